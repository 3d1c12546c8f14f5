/**
 * Japanese first, English too: the language is switched in Settings, applied at once, saved by the
 * desk (not the browser), and still chosen after a reload.
 */
import { test, expect } from './support/fixtures.js';
import { DeskPage, STRINGS } from './support/desk-page.js';

test('switching to English and back applies at once and survives a reload', async ({ desk }) => {
  const d = new DeskPage(desk, 'ja');
  await expect(d.simulateButton()).toBeVisible();

  await d.switchLanguage('en');
  await expect(desk.getByText(STRINGS.en.topBar.trainingBadge, { exact: true })).toBeVisible();
  await expect(desk.getByRole('button', { name: STRINGS.ja.idle.simulate })).toHaveCount(0);

  await desk.reload();
  await expect(d.simulateButton()).toBeVisible();
  await expect(desk.getByText(STRINGS.en.topBar.trainingBadge, { exact: true })).toBeVisible();

  // A pop in English: the labels follow the UI language.
  await d.ring(await d.fillSimulateForClient('Harbor', /Harbor Bridge/, { name: 'Jane Doe', number: '+1 415 555 0100' }));
  await d.answer();
  await expect(d.panel(STRINGS.en.pop.neverDisclose)).toBeVisible();
  await d.end();

  await d.switchLanguage('ja');
  await expect(desk.getByText(STRINGS.ja.topBar.trainingBadge, { exact: true })).toBeVisible();
  await desk.reload();
  await expect(new DeskPage(desk, 'ja').simulateButton()).toBeVisible();
});

test('the language is kept by the desk, so a new browser session gets it too', async ({ desk, harness, browser }) => {
  const d = new DeskPage(desk, 'ja');
  await d.switchLanguage('en');
  const other = await browser.newContext();
  try {
    const page = await other.newPage();
    await page.goto(harness.url);
    await expect(new DeskPage(page, 'en').simulateButton()).toBeVisible();
  } finally {
    await other.close();
  }
  await d.switchLanguage('ja');
});
