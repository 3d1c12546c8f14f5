/**
 * A picture of every screen in both languages, saved to test-results/screenshots/ for people to
 * look at: idle, the simulate dialog, ringing, the pop with an answer picked, an unknown number,
 * and settings. Each step still asserts what it shows, so a broken screen fails here too.
 */
import { test, expect } from './support/fixtures.js';
import { DeskPage, type UiLocale } from './support/desk-page.js';
import { sampleClient } from './support/sample-directory.js';

const law = sampleClient('sato-law');
const harbor = sampleClient('harbor-bridge-tokyo');

const scenes: Record<UiLocale, { client: typeof law; filter: string; caller: { name: string; number: string }; query: string }> = {
  ja: { client: law, filter: 'さとう', caller: { name: '山田 花子', number: '090-1234-5678' }, query: 'そうだん' },
  en: { client: harbor, filter: 'Harbor', caller: { name: 'Jane Doe', number: '+1 415 555 0100' }, query: 'meeting' },
};

for (const locale of ['ja', 'en'] as const) {
  test(`every screen in ${locale === 'ja' ? 'Japanese' : 'English'}`, async ({ desk }) => {
    const d = new DeskPage(desk, 'ja');
    if (locale !== 'ja') await d.switchLanguage(locale);
    const scene = scenes[locale];

    await expect(d.idle()).toBeVisible();
    await d.snap('01-idle');

    const dialog = await d.fillSimulateForClient(scene.filter, scene.client.name, scene.caller);
    await d.snap('02-simulate-dialog');

    await d.ring(dialog);
    await d.snap('03-ringing');

    await d.answer();
    await d.answerSearch().fill(scene.query);
    await expect(d.answerList().getByRole('option').first()).toBeVisible();
    await d.answerSearch().press('Enter');
    await expect(d.pickedAnswer()).not.toContainText(d.t.pop.pickedNone);
    await d.snap('04-pop-answer-picked');
    await d.end();

    await d.ring(await d.fillSimulateForDid('03-9876-5432', scene.caller));
    await d.answer();
    await expect(desk.getByRole('alert').filter({ hasText: d.t.unknown.warning })).toBeVisible();
    await d.snap('05-unknown-number');
    await d.end();

    await desk.getByRole('button', { name: d.t.topBar.settings, exact: true }).click();
    await expect(desk.getByRole('dialog', { name: d.t.settings.title, exact: true })).toBeVisible();
    await d.snap('06-settings');
    await desk.getByRole('dialog', { name: d.t.settings.title, exact: true }).getByRole('button', { name: d.t.settings.close, exact: true }).click();

    if (locale !== 'ja') await d.switchLanguage('ja');
  });
}
