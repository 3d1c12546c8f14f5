/**
 * Layout under a hostile caller on a real call (issue 11 §2): a caller sends a 10 KB display name
 * through Kamailio. The desk cuts it to 256 characters (shared/line/caller.ts); on the ringing strip
 * and on the live call's strip the long name gives way inside the caller column only — the client
 * column (label, name) and every button keep exactly the boxes they have for a short name, and
 * nothing wraps. Screenshots of both strips.
 *
 * Runs with the other real calls inside a private network namespace: npm run test:e2e:media
 */
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startKamailio } from '../support/kamailio.js';
import { servePhonePage } from './support/caller-page/serve.js';
import { DeskPage } from './support/desk-page.js';
import { openDesk } from './support/fixtures.js';
import { startHarness } from './support/harness.js';
import { pairDesk, registeredContacts } from './support/live-desk.js';
import { SCREENSHOTS } from './support/paths.js';
import { grantDeskPermissions } from './support/permissions.js';
import { PhonePage } from './support/phone-page.js';
import { sampleClient } from './support/sample-directory.js';

const onlyLoopback = Object.entries(networkInterfaces()).every(([, addrs]) => (addrs ?? []).every((a) => a.internal));
test.skip(!onlyLoopback, 'media tests run inside a private network namespace: npm run test:e2e:media');

const LAW = sampleClient('sato-law');
const HUGE = '寿限無寿限無五劫の擦り切れ'.repeat(300).slice(0, 3_400); // ~10 KB of UTF-8

type Box = { x: number; y: number; width: number; height: number };
const box = async (l: Locator): Promise<Box> => (await l.boundingBox())!;

/**
 * The boxes that must not move, relative to the strip (a notice above it may move the whole strip):
 * the client column, its label and name, and every button.
 */
async function fixedBoxes(strip: Locator): Promise<Record<string, Box>> {
  const origin = await box(strip);
  const raw: Record<string, Box> = {
    client: await box(strip.locator('.call-client')),
    clientLabel: await box(strip.locator('.call-client dt')),
    clientName: await box(strip.locator('.call-client .client-name')),
  };
  for (const [i, b] of (await strip.getByRole('button').all()).entries()) raw[`button ${i} ${(await b.innerText()).split('\n')[0]}`] = await box(b);
  return Object.fromEntries(Object.entries(raw).map(([k, b]) => [k, { ...b, x: b.x - origin.x, y: b.y - origin.y }]));
}

async function ringAndMeasure(page: Page, d: DeskPage, phone: PhonePage, desk: string): Promise<{ id: string; ringing: Record<string, Box>; live: Record<string, Box> }> {
  const id = await phone.call(desk, LAW.dids[0]!);
  await expect(d.ringing().locator('.client-name')).toHaveText(LAW.name);
  const ringing = await fixedBoxes(d.ringing());
  await page.keyboard.press('F2');
  await phone.waitState(id, 'Established');
  await expect(d.inCall().locator('.client-name')).toHaveText(LAW.name);
  return { id, ringing, live: await fixedBoxes(d.inCall()) };
}

test('a 10 KB caller display name gives way inside its own column on the ringing and the live strip', async ({ browser }) => {
  test.setTimeout(120_000);
  const kam = await startKamailio();
  const deskUser = await kam.newUser('desk');
  const harness = await startHarness();
  const phones = await servePhonePage();
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1440, height: 900 } });
  const phones2: PhonePage[] = [];
  try {
    await pairDesk(harness, { wsUrl: kam.wsUrl, domain: kam.domain, ...deskUser });
    await grantDeskPermissions(context, harness.origin);
    const page = await context.newPage();
    const polite = await PhonePage.open(browser, phones.url, kam, { prefix: 'polite', displayName: '山田 太郎' });
    const hostile = await PhonePage.open(browser, phones.url, kam, { prefix: 'hostile', displayName: HUGE });
    phones2.push(polite, hostile);
    await openDesk(page, harness);
    await expect.poll(() => registeredContacts(kam, deskUser.user), { timeout: 15_000 }).toBe(1);
    const d = new DeskPage(page, 'ja');

    const short = await ringAndMeasure(page, d, polite, deskUser.user);
    await page.keyboard.press('F4');
    await polite.waitState(short.id, 'Terminated');

    const id = await hostile.call(deskUser.user, LAW.dids[0]!);
    await expect(d.ringing().locator('.client-name')).toHaveText(LAW.name);
    const name = d.ringing().locator('.caller-name');
    expect((await name.innerText()).length).toBeLessThanOrEqual(256);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ja-hostile-name-ringing-live.png') });
    expect(await fixedBoxes(d.ringing())).toEqual(short.ringing);
    await page.keyboard.press('F2');
    await hostile.waitState(id, 'Established');
    await expect(d.inCall().locator('.client-name')).toHaveText(LAW.name);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ja-hostile-name-live-call.png') });
    expect(await fixedBoxes(d.inCall())).toEqual(short.live);
    expect(await d.inCall().locator('.caller-name').evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await page.keyboard.press('F4');
    await hostile.waitState(id, 'Terminated');
  } finally {
    for (const p of phones2) await p.close();
    await context.close();
    await phones.close();
    await harness.stop();
    await kam.stop();
  }
});
