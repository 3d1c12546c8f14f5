/**
 * A directory whose every text field is an attack (script tags, onerror images, javascript: links,
 * raw HTML, RTL overrides) is shown as inert text: nothing runs, no element from directory text
 * reaches the DOM, and hidden transfer targets never reach the page at all.
 *
 * The harness loads it as its training directory (KOTOZUTE_TRAINING_DIRECTORY, dev-web and tests
 * only), signed with a key made for this run.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { HIDDEN_TRANSFER_MARKER, HOSTILE_DIDS, HOSTILE_MARKER, hostileDirectory } from '../support/hostile-directory.js';
import { DeskPage } from './support/desk-page.js';
import { openDesk } from './support/fixtures.js';
import type { Harness } from './support/harness.js';
import { startTrainingHarness } from './support/training-harness.js';

const test = base.extend<object, { hostileHarness: Harness }>({
  hostileHarness: [
    async ({}, use) => {
      const harness = await startTrainingHarness(hostileDirectory());
      await use(harness);
      await harness.stop();
    },
    { scope: 'worker' },
  ],
});

/** Everything that would show directory text turned into live markup. */
async function injected(page: Page): Promise<Record<string, number | boolean>> {
  return page.evaluate(() => {
    const own = (s: HTMLScriptElement) => s.type === 'module' && s.src.startsWith(location.origin) && s.closest('head') !== null;
    return {
      pwned: (window as unknown as { __pwned?: unknown }).__pwned !== undefined,
      foreignScripts: [...document.querySelectorAll('script')].filter((s) => !own(s)).length,
      images: document.querySelectorAll('img, iframe, svg script, object, embed').length,
      bodyStyles: document.querySelectorAll('body style').length,
      eventAttributes: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
      javascriptLinks: document.querySelectorAll('a[href^="javascript:" i], a[href^="data:" i]').length,
    };
  });
}

const clean = { pwned: false, foreignScripts: 0, images: 0, bodyStyles: 0, eventAttributes: 0, javascriptLinks: 0 };

for (const language of ['ja', 'en'] as const) {
  test(`a hostile ${language} client pops as inert text`, async ({ page, hostileHarness }) => {
    await openDesk(page, hostileHarness);
    const d = new DeskPage(page, 'ja');
    // The directory's publisher is hostile too, and shown in the top bar.
    await expect(page.getByRole('banner')).toContainText(HOSTILE_MARKER);

    const dialog = await d.fillSimulateForDid(HOSTILE_DIDS[language], { name: HOSTILE_MARKER, number: '<img src=x onerror=window.__pwned=1>' });
    await d.ring(dialog);
    await expect(d.ringing()).toContainText(HOSTILE_MARKER);
    await d.answer();

    await expect(d.panel(d.t.pop.greeting)).toContainText(HOSTILE_MARKER);
    await expect(d.panel(d.t.pop.script)).toContainText(HOSTILE_MARKER);
    await expect(d.panel(d.t.pop.neverDisclose)).toContainText(HOSTILE_MARKER);
    await expect(d.panel(d.t.pop.staff)).toContainText(HOSTILE_MARKER);

    // Search through hostile keywords and pick one: its wording is shown, still as text.
    await d.answerSearch().fill('へんぴん');
    await expect(d.answerList().getByRole('option').first()).toBeVisible();
    await d.answerSearch().press('Enter');
    await expect(d.pickedAnswer()).toContainText(HOSTILE_MARKER);
    await page.getByRole('option').first().hover();

    expect(await injected(page)).toEqual(clean);
    const html = await page.content();
    expect(html).not.toContain(HIDDEN_TRANSFER_MARKER);
    expect(html).not.toContain('sip:');
    // Give a late onerror or timer a chance to fire before the final check.
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();

    await d.snap(`hostile-${language}-pop`);
    await d.end();
    expect(await injected(page)).toEqual(clean);
  });
}

test('the hostile client list in the simulate dialog is inert text too', async ({ page, hostileHarness }) => {
  await openDesk(page, hostileHarness);
  const d = new DeskPage(page, 'ja');
  await d.simulateButton().click();
  const list = d.simulateDialog().getByRole('listbox', { name: d.t.simulate.clients });
  await expect(list.getByRole('option')).toHaveCount(2);
  await expect(list.getByRole('option').first()).toContainText(HOSTILE_MARKER);
  expect(await injected(page)).toEqual(clean);
});
