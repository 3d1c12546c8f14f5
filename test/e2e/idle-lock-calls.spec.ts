/**
 * The idle lock with a real call (issue 11 §2): the OS locks the screen, then a call rings through
 * Kamailio. The lock screen says that a call rings and nothing else — no caller name, number or
 * client, not even in the desktop notification's title — and no key answers it (F2 is held back);
 * once unlocked (this desk has no roster: one click) the same call is answered. The desk stays
 * registered throughout.
 *
 * Runs with the other real calls inside a private network namespace: npm run test:e2e:media
 */
import { networkInterfaces } from 'node:os';
import { expect, test } from '@playwright/test';
import { startKamailio } from '../support/kamailio.js';
import { servePhonePage } from './support/caller-page/serve.js';
import { DeskPage, STRINGS } from './support/desk-page.js';
import { openDesk } from './support/fixtures.js';
import { startHarness } from './support/harness.js';
import { pairDesk, registeredContacts } from './support/live-desk.js';
import { grantDeskPermissions } from './support/permissions.js';
import { PhonePage } from './support/phone-page.js';
import { sampleClient } from './support/sample-directory.js';

const onlyLoopback = Object.entries(networkInterfaces()).every(([, addrs]) => (addrs ?? []).every((a) => a.internal));
test.skip(!onlyLoopback, 'media tests run inside a private network namespace: npm run test:e2e:media');

const ja = STRINGS.ja;
const LAW = sampleClient('sato-law');
const CALLER = '施錠中の発信者 Lockedcaller';

test('a call ringing on a locked desk shows only that it rings, and is answered after unlocking', async ({ browser }) => {
  test.setTimeout(120_000);
  const kam = await startKamailio();
  const deskUser = await kam.newUser('desk');
  const harness = await startHarness();
  const phones = await servePhonePage();
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1440, height: 900 } });
  let phone: PhonePage | undefined;
  try {
    await pairDesk(harness, { wsUrl: kam.wsUrl, domain: kam.domain, ...deskUser });
    await grantDeskPermissions(context, harness.origin);
    const page = await context.newPage();
    // What the desktop notifications say (the page's Notification, recorded).
    await page.addInitScript(() => {
      const shown: string[] = [];
      (window as unknown as { shownNotifications: string[] }).shownNotifications = shown;
      class Recorded {
        static permission = 'granted';
        static requestPermission = () => Promise.resolve('granted');
        onclick: (() => void) | null = null;
        constructor(title: string) {
          shown.push(title);
        }
        close(): void {}
      }
      (window as unknown as { Notification: unknown }).Notification = Recorded;
    });
    phone = await PhonePage.open(browser, phones.url, kam, { prefix: 'locked', displayName: CALLER });
    await openDesk(page, harness);
    await expect.poll(() => registeredContacts(kam, deskUser.user), { timeout: 15_000 }).toBe(1);
    const d = new DeskPage(page, 'ja');

    harness.lockScreen();
    const lock = page.getByRole('heading', { name: ja.idleLock.title, exact: true });
    await expect(lock).toBeVisible();
    const id = await phone.call(deskUser.user, LAW.dids[0]!);
    await expect(page.getByRole('status').filter({ hasText: ja.idleLock.ringing })).toBeVisible();
    await expect(page.getByText(CALLER).filter({ visible: true })).toHaveCount(0);
    await expect(page.getByText(LAW.name).filter({ visible: true })).toHaveCount(0);
    await page.keyboard.press('F2');
    expect((await phone.session(id))?.state).toBe('Establishing');
    // One notification for the ring, titled only "着信" (unlocked it would be the client's name).
    await expect.poll(() => page.evaluate(() => (window as unknown as { shownNotifications: string[] }).shownNotifications)).toEqual([ja.call.incoming]);

    await page.getByRole('button', { name: ja.idleLock.resume, exact: true }).click();
    await expect(d.ringing()).toContainText(CALLER);
    await d.ringing().getByRole('button', { name: ja.call.answer, exact: true }).click();
    await phone.waitState(id, 'Established');
    await expect(d.inCall().locator('.client-name')).toHaveText(LAW.name);
    expect(await registeredContacts(kam, deskUser.user)).toBe(1);
    await page.keyboard.press('F4');
    await phone.waitState(id, 'Terminated');
  } finally {
    await phone?.close();
    await context.close();
    await phones.close();
    await harness.stop();
    await kam.stop();
  }
});
