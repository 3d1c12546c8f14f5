/**
 * Layout under hostile input (issue 11 §2): a caller display name as long as the desk lets through
 * (256 characters, the pop's cap; a real call's 10 KB name is cut to it first) must give way inside
 * the caller column only. The client column — its label, the name, the 未登録 badge — and the Answer /
 * Decline buttons keep exactly the boxes they have with a short name. Screenshots in both languages.
 */
import type { Locator, Page } from '@playwright/test';
import { DeskPage, STRINGS, type UiLocale } from './support/desk-page.js';
import { expect, test } from './support/fixtures.js';

const HOSTILE = '寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末食う寝る処に住む処'.repeat(8).slice(0, 256);
const UNKNOWN_DID = '0120-999-000';

interface Boxes {
  clientColumn: { x: number; width: number; height: number };
  clientLabel: { width: number; scrollWidth: number };
  badge: { x: number; right: number };
  clientRight: number;
  decline: { width: number; height: number };
  answer: { width: number; height: number };
  callerColumnRight: number;
}

async function boxes(strip: Locator, t: (typeof STRINGS)['ja']): Promise<Boxes> {
  const client = strip.locator('.call-client');
  const box = async (l: Locator) => (await l.boundingBox())!;
  const col = await box(client);
  const badge = await box(client.getByText(t.call.unknownNumber, { exact: true }));
  const label = await client.locator('dt').evaluate((el) => ({ width: el.clientWidth, scrollWidth: el.scrollWidth }));
  const decline = await box(strip.getByRole('button', { name: t.call.decline, exact: true }));
  const answer = await box(strip.getByRole('button', { name: t.call.answer, exact: true }));
  const caller = await box(strip.locator('.call-caller'));
  return {
    clientColumn: { x: col.x, width: col.width, height: col.height },
    clientLabel: label,
    badge: { x: badge.x, right: badge.x + badge.width },
    clientRight: col.x + col.width,
    decline: { width: decline.width, height: decline.height },
    answer: { width: answer.width, height: answer.height },
    callerColumnRight: caller.x + caller.width,
  };
}

async function ringWith(d: DeskPage, name: string): Promise<Locator> {
  const dialog = await d.fillSimulateForDid(UNKNOWN_DID, { name, number: '090-1234-5678' });
  await d.ring(dialog);
  return d.ringing();
}

async function decline(d: DeskPage, page: Page): Promise<void> {
  await d.ringing().getByRole('button', { name: d.t.call.decline, exact: true }).click();
  await expect(page.getByRole('region', { name: d.t.idle.heading, exact: true })).toBeVisible();
}

for (const locale of ['ja', 'en'] as UiLocale[]) {
  test(`${locale}: a 256-character caller name gives way in its own column; the client column and the buttons keep their boxes`, async ({ desk: page }) => {
    const d = new DeskPage(page, 'ja');
    if (locale === 'en') await d.switchLanguage('en');
    const t = STRINGS[locale];

    const short = await boxes(await ringWith(d, '山田 太郎'), t);
    await decline(d, page);
    const strip = await ringWith(d, HOSTILE);
    const long = await boxes(strip, t);
    await d.snap('hostile-caller-strip');

    // The client column is the same box; its label is not cut, the badge sits inside the column.
    expect(long.clientColumn).toEqual(short.clientColumn);
    expect(long.clientLabel.scrollWidth).toBeLessThanOrEqual(long.clientLabel.width);
    expect(long.badge.right).toBeLessThanOrEqual(long.clientRight + 0.5);
    // Answer and Decline stay one line, as wide as before.
    expect(long.decline).toEqual(short.decline);
    expect(long.answer).toEqual(short.answer);
    // The caller column ends before the buttons: the name is cut inside it, with an ellipsis.
    const declineBox = (await strip.getByRole('button', { name: t.call.answer, exact: true }).boundingBox())!;
    expect(long.callerColumnRight).toBeLessThanOrEqual(declineBox.x);
    const name = strip.locator('.caller-name');
    expect(await name.evaluate((el) => el.scrollWidth > el.clientWidth && getComputedStyle(el).textOverflow === 'ellipsis')).toBe(true);
    await expect(strip.getByText('090-1234-5678', { exact: true })).toBeVisible();
    await decline(d, page);
  });
}
