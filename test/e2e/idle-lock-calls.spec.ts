/**
 * The idle lock with a real call (issue 11 §2): the OS locks the screen, then a call rings through
 * Kamailio. The lock screen says that a call rings and nothing else — no caller name, number or
 * client, not even in the desktop notification's title — and no key answers it (F2 is held back);
 * once unlocked (this desk has no roster: one click) the same call is answered. The desk stays
 * registered throughout. On a roster desk the main process holds the lock too: while locked it
 * refuses the ring's pop, and once the signed-in person's PIN opens the desk the pop is asked again,
 * so the answered call shows its client.
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
import { callApi, pairDesk, registeredContacts } from './support/live-desk.js';
import { generateAdminKeyPair, signDirectory } from '../../electron/main/services/directory/bundle.js';
import { readEnrolment } from '../../electron/main/services/roster/desk-key.js';
import { signRoster } from '../../electron/main/services/roster/roster-bundle.js';
import { makeRoster } from '../support/roster-fixture.js';
import { grantDeskPermissions } from './support/permissions.js';
import { PhonePage } from './support/phone-page.js';
import { sampleClient, sampleDirectory } from './support/sample-directory.js';

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

test("a roster desk's main process refuses the ring's pop while locked, and the answered call shows its client after the PIN", async ({ browser }) => {
  test.setTimeout(120_000);
  const kam = await startKamailio();
  const deskUser = await kam.newUser('desk');
  const harness = await startHarness();
  const phones = await servePhonePage();
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1440, height: 900 } });
  let phone: PhonePage | undefined;
  try {
    // One admin key signs the directory and the roster; the roster names this desk by its key.
    const admin = generateAdminKeyPair();
    const identity = await callApi(harness, 'deskIdentity');
    const enrolment = identity.ok ? readEnrolment(identity.enrolment) : null;
    expect(enrolment).not.toBeNull();
    const aor = `sip:${deskUser.user}@${kam.domain}`;
    const fixture = await makeRoster({ desks: [{ id: 'desk-01', sipUri: aor, name: '受付01' }], people: [{ id: 'op-001', roles: ['operator'], secret: '246810', name: '田中 花子' }] });
    const roster = { ...fixture.roster, desks: [{ ...fixture.roster.desks[0]!, publicKey: enrolment!.publicKey }] };
    const profile = { server: kam.wsUrl, aor, authUser: deskUser.user, displayName: 'Desk', iceServers: [], maxCalls: 2, dtmfMode: 'rfc4733' as const };
    await callApi(harness, 'importProvisioning', {
      profile: JSON.stringify({
        format: 'kotozute-provisioning',
        version: 1,
        line: profile,
        adminPublicKey: admin.publicKeyPem,
        directoryBundle: signDirectory(JSON.stringify(sampleDirectory()), admin.privateKeyPem).toString('utf8'),
        rosterBundle: signRoster(JSON.stringify(roster), admin.privateKeyPem).toString(),
      }),
    });
    await callApi(harness, 'pairLine', { profile, password: deskUser.password });
    expect(await callApi(harness, 'signIn', { personId: 'op-001', secret: '246810' })).toMatchObject({ ok: true });

    await grantDeskPermissions(context, harness.origin);
    const page = await context.newPage();
    phone = await PhonePage.open(browser, phones.url, kam, { prefix: 'rostered', displayName: CALLER });
    await openDesk(page, harness);
    await expect.poll(() => registeredContacts(kam, deskUser.user), { timeout: 15_000 }).toBe(1);
    const d = new DeskPage(page, 'ja');

    harness.lockScreen();
    await expect(page.getByRole('heading', { name: ja.idleLock.title, exact: true })).toBeVisible();
    await expect.poll(async () => (await callApi(harness, 'rosterState')).locked).toBe(true);
    const id = await phone.call(deskUser.user, LAW.dids[0]!);
    await expect(page.getByRole('status').filter({ hasText: ja.idleLock.ringing })).toBeVisible();
    await expect(page.getByText(LAW.name).filter({ visible: true })).toHaveCount(0);
    // The main process itself refuses the caller's pop while the desk is locked.
    await expect(callApi(harness, 'popIncomingCall', { callId: 'probe', did: LAW.dids[0]!, caller: { name: '', number: '' } })).rejects.toThrow(/the desk is locked/);

    await page.getByLabel(ja.floor.pin, { exact: true }).fill('246810');
    await page.getByRole('button', { name: ja.idleLock.unlock, exact: true }).click();
    await expect(d.ringing()).toContainText(CALLER);
    await d.ringing().getByRole('button', { name: ja.call.answer, exact: true }).click();
    await phone.waitState(id, 'Established');
    // The real pop, asked for again after the unlock: the client, not the generic stand-in.
    await expect(d.inCall().locator('.client-name')).toHaveText(LAW.name);
    await expect(page.getByRole('alert', { name: ja.errors.heading })).toHaveCount(0);
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
