/**
 * Real calls with media, end to end: a real Kamailio, the desk (dev-web harness, real sip.js and
 * WebRTC in Chromium) paired to it, and test phones in other Chromium pages calling it. Runs only
 * inside a private network namespace with nothing but loopback, so WebRTC media stays on 127.0.0.1:
 *
 *   npm run test:e2e:media
 *     = unshare -n sh -c 'ip link set lo up && bash test/support/with-keyring.sh playwright test … --project media'
 *
 * One desk (one page, one paired line) serves the whole file, as a desk serves a shift; every call
 * comes from a fresh phone with its own SIP user.
 */
import { mkdir } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { startKamailio, type Kamailio, type SipUser } from '../support/kamailio.js';
import { servePhonePage, type PhoneServer } from './support/caller-page/serve.js';
import { DeskPage, STRINGS, type UiLocale } from './support/desk-page.js';
import { openDesk } from './support/fixtures.js';
import { grantDeskPermissions } from './support/permissions.js';
import { SCREENSHOTS } from './support/paths.js';
import { startHarness, type Harness } from './support/harness.js';
import {
  deskRtp,
  directoryWithTargets,
  notificationsShown,
  pairDesk,
  registeredContacts,
  watchNotifications,
  watchPeerConnections, type SignedDirectory } from './support/live-desk.js';
import { PhonePage } from './support/phone-page.js';
import { sampleClient } from './support/sample-directory.js';

const onlyLoopback = Object.entries(networkInterfaces()).every(([, addrs]) => (addrs ?? []).every((a) => a.internal));

const LAW = sampleClient('sato-law');
const SHOP = sampleClient('midorido-shop');
const CLINIC = sampleClient('aoba-clinic');
const LAW_DID = LAW.dids[0]!;
const SHOP_DID = SHOP.dids[1]!;
const CLINIC_DID = CLINIC.dids[0]!;
/** The law office's staff member whose hidden transfer target is the staff phone of this run. */
const STAFF_ID = 'ito-kenta';
const STAFF_NAME = LAW.staff.find((s) => s.id === STAFF_ID)!.name;

interface Shift {
  kam: Kamailio;
  harness: Harness;
  phones: PhoneServer;
  directory: SignedDirectory;
  deskUser: SipUser;
  staffUser: SipUser;
  /** The desk page, paired and registered. */
  desk: Page;
}

const test = base.extend<{ shift: Shift }, { shiftW: Shift }>({
  shiftW: [
    async ({ browser }, use) => {
      const kam = await startKamailio();
      const deskUser = await kam.newUser('desk');
      const staffUser = await kam.newUser('staff');
      const directory = directoryWithTargets({ [`sato-law/${STAFF_ID}`]: `sip:${staffUser.user}@${kam.domain}` });
      const harness = await startHarness();
      const phones = await servePhonePage();
      await pairDesk(harness, { wsUrl: kam.wsUrl, domain: kam.domain, ...deskUser }, { dtmfMode: 'info' }, directory);
      const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1440, height: 900 } });
      await grantDeskPermissions(context, harness.origin);
      const desk = await context.newPage();
      await watchPeerConnections(desk);
      await watchNotifications(desk);
      await openDesk(desk, harness);
      await expect.poll(() => registeredContacts(kam, deskUser.user), { timeout: 15_000 }).toBe(1);
      await use({ kam, harness, phones, directory, deskUser, staffUser, desk });
      await context.close();
      await phones.close();
      await harness.stop();
      await kam.stop();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  shift: async ({ shiftW }, use, testInfo) => {
    await use(shiftW);
    if (testInfo.status !== testInfo.expectedStatus) {
      shiftW.kam.keepLogs();
      console.error(`[calls] kamailio log kept at ${shiftW.kam.logPath}\n${shiftW.harness.log().slice(-3000)}`);
    }
  },
});

test.skip(!onlyLoopback, 'media tests run inside a private network namespace: npm run test:e2e:media');
test.describe.configure({ mode: 'serial' });

async function caller(browser: Browser, s: Shift, displayName = '山田 太郎', prefix = 'caller'): Promise<PhonePage> {
  return PhonePage.open(browser, s.phones.url, s.kam, { prefix, displayName });
}

function held(d: DeskPage) {
  return d.page.getByRole('region', { name: d.t.calls.held, exact: true });
}

async function expectIdle(d: DeskPage): Promise<void> {
  await expect(d.idle()).toBeVisible();
  await expect(d.ringing()).toHaveCount(0);
}

test('a real call pops the dialled client; audio flows both ways; hold, resume, mute, DTMF, device changes and hang-up work', async ({ browser, shift }) => {
  const d = new DeskPage(shift.desk, 'ja');
  const phone = await caller(browser, shift);
  try {
    const id = await phone.call(shift.deskUser.user, LAW_DID);
    const ringing = d.ringing();
    await expect(ringing).toBeVisible();
    await expect(ringing.locator('.client-name')).toHaveText(LAW.name);
    await expect(ringing.locator('.caller-name')).toHaveText('山田 太郎');
    // The client's own pop: its staff board, by public name only.
    await expect(d.panel(d.t.pop.staff)).toContainText(STAFF_NAME);
    // The renderer's "script painted" mark is set for real calls too (the benchmark reads it).
    expect(await shift.desk.evaluate(() => document.body.dataset.popPaintedAt)).toBeTruthy();
    // A desktop notification names the client; the caller's name and number stay off it.
    await expect.poll(async () => (await notificationsShown(shift.desk)).map((n) => n.title)).toContain(LAW.name);
    for (const n of await notificationsShown(shift.desk)) {
      expect(`${n.title} ${n.body}`).not.toContain('山田');
      expect(`${n.title} ${n.body}`).not.toContain(phone.user.user);
    }

    await shift.desk.keyboard.press('F2');
    await expect(d.inCall()).toBeVisible();
    await phone.waitState(id, 'Established');
    await expect.poll(async () => (await phone.rtp(id)).received, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await deskRtp(shift.desk)).received, { timeout: 10_000 }).toBeGreaterThan(0);

    await shift.desk.keyboard.press('F6');
    await expect(held(d)).toBeVisible();
    await shift.desk.keyboard.press('F6');
    await expect(d.inCall()).toBeVisible();

    await shift.desk.keyboard.press('F7');
    await expect(d.inCall().getByRole('button', { name: d.t.calls.mute })).toHaveAttribute('aria-pressed', 'true');
    await shift.desk.keyboard.press('F7');

    await shift.desk.keyboard.press('Alt+KeyK');
    const keypad = shift.desk.getByRole('dialog', { name: d.t.calls.keypadTitle });
    await expect(keypad).toBeVisible();
    await keypad.getByRole('button', { name: '5', exact: true }).click();
    await shift.desk.keyboard.press('#');
    await expect.poll(async () => (await phone.session(id))?.infos.join('|') ?? '').toMatch(/Signal=5.*\|.*Signal=#/s);
    await keypad.getByRole('button', { name: d.t.calls.close }).click();

    // Mid-call: another microphone (the sender's track is replaced) and another speaker (setSinkId).
    await d.inCall().getByRole('button', { name: d.t.calls.audio }).click();
    const audio = shift.desk.getByRole('dialog', { name: d.t.calls.audioTitle });
    const mic = audio.getByRole('combobox', { name: d.t.calls.microphone });
    await expect.poll(() => mic.locator('option').count()).toBeGreaterThan(1);
    const micId = await mic.locator('option').nth(1).getAttribute('value');
    await mic.selectOption(micId!);
    const speaker = audio.getByRole('combobox', { name: d.t.calls.speaker });
    const speakerOptions = await speaker.locator('option').count();
    const speakerId = speakerOptions > 1 ? await speaker.locator('option').nth(1).getAttribute('value') : null;
    if (speakerId) await speaker.selectOption(speakerId);
    await audio.getByRole('button', { name: d.t.calls.close }).click();
    await expect
      .poll(() => shift.desk.evaluate(() => {
        const pcs = (window as unknown as { __kzPeerConnections: RTCPeerConnection[] }).__kzPeerConnections;
        const pc = pcs.filter((p) => p.connectionState !== 'closed').at(-1);
        return pc?.getSenders().find((s) => s.track?.kind === 'audio')?.track?.getSettings().deviceId ?? '';
      }))
      .toBe(micId);
    if (speakerId) {
      expect(await shift.desk.evaluate(() => (document.querySelector('audio[data-remote-audio]') as HTMLAudioElement & { sinkId: string }).sinkId)).toBe(speakerId);
    }
    const heard = (await phone.rtp(id)).received;
    await expect.poll(async () => (await phone.rtp(id)).received, { timeout: 10_000 }).toBeGreaterThan(heard);
    await expect(shift.desk.getByRole('alert').filter({ hasText: d.t.errors.heading })).toHaveCount(0);

    await shift.desk.keyboard.press('F4');
    await expectIdle(d);
    await phone.waitState(id, 'Terminated');
  } finally {
    await phone.close();
  }
});

/** How much audio energy a phone receives over a window of time (its silence adds nothing). */
async function energyOver(phone: PhonePage, id: string, ms: number): Promise<number> {
  const before = await phone.receivedEnergy(id);
  await new Promise((resolve) => setTimeout(resolve, ms));
  return (await phone.receivedEnergy(id)) - before;
}

test('the held caller hears nothing of the operator: not while held, not during a consultation with staff; again after resume', async ({ browser, shift }) => {
  const d = new DeskPage(shift.desk, 'ja');
  const phone = await caller(browser, shift);
  const target = await openStaffPhone(browser, shift);
  // The desk's (fake) microphone beeps twice a second: what the caller hears of the operator.
  const WINDOW_MS = 2_000;
  try {
    const id = await phone.call(shift.deskUser.user, LAW_DID);
    await expect(d.ringing()).toBeVisible();
    await shift.desk.keyboard.press('F2');
    await phone.waitState(id, 'Established');
    await expect.poll(() => phone.receivedEnergy(id), { timeout: 10_000 }).toBeGreaterThan(0);
    const talking = await energyOver(phone, id, WINDOW_MS);
    expect(talking).toBeGreaterThan(0);

    await shift.desk.keyboard.press('F6');
    await expect(held(d)).toBeVisible();
    // What was already on its way drains first.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await energyOver(phone, id, WINDOW_MS)).toBeLessThan(talking * 0.05);

    await shift.desk.keyboard.press('F6');
    await expect(d.inCall()).toBeVisible();
    const resumedFrom = await phone.receivedEnergy(id);
    await expect.poll(async () => (await phone.receivedEnergy(id)) - resumedFrom, { timeout: 10_000 }).toBeGreaterThan(talking * 0.25);

    // An attended transfer: the caller is held while the operator talks to the staff member.
    await shift.desk.keyboard.press('F10');
    const dialog = shift.desk.getByRole('dialog', { name: d.t.calls.transferTitle });
    await dialog.getByRole('radio', { name: new RegExp(STAFF_NAME) }).check();
    await dialog.getByRole('radio', { name: d.t.calls.attended }).check();
    await dialog.getByRole('button', { name: d.t.calls.transferConsult }).click();
    const consult = shift.desk.getByRole('region', { name: d.t.calls.consulting });
    await expect(consult.getByRole('button', { name: d.t.calls.completeTransfer })).toBeEnabled();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await energyOver(phone, id, WINDOW_MS)).toBeLessThan(talking * 0.05);
    // The staff member does hear the operator.
    const staffCall = (await target.sessions()).find((s) => s.state === 'Established');
    expect(staffCall).toBeDefined();
    expect(await energyOver(target, staffCall!.id, WINDOW_MS)).toBeGreaterThan(talking * 0.25);

    await consult.getByRole('button', { name: d.t.calls.completeTransfer }).click();
    await expectIdle(d);
  } finally {
    await Promise.all([phone.close(), target.close()]);
  }
});

test('a caller who gives up before the answer (CANCEL) closes the pop', async ({ browser, shift }) => {
  const d = new DeskPage(shift.desk, 'ja');
  const phone = await caller(browser, shift);
  try {
    const id = await phone.call(shift.deskUser.user, SHOP_DID);
    await expect(d.ringing().locator('.client-name')).toHaveText(SHOP.name);
    await phone.hangup(id);
    await expectIdle(d);
    await expect(d.page.getByRole('status').filter({ hasText: d.t.calls.ended.cancelled })).toHaveCount(1);
  } finally {
    await phone.close();
  }
});

test('a caller who hangs up during the call (BYE) closes the pop', async ({ browser, shift }) => {
  const d = new DeskPage(shift.desk, 'ja');
  const phone = await caller(browser, shift);
  try {
    const id = await phone.call(shift.deskUser.user, SHOP_DID);
    await expect(d.ringing()).toBeVisible();
    await shift.desk.keyboard.press('F2');
    await expect(d.inCall().locator('.client-name')).toHaveText(SHOP.name);
    await phone.waitState(id, 'Established');
    await phone.hangup(id);
    await expectIdle(d);
    await expect(d.page.getByRole('status').filter({ hasText: d.t.calls.ended['remote-hangup'] })).toHaveCount(1);
  } finally {
    await phone.close();
  }
});

test('call waiting: a second call rings with its own client, taking it holds the first; a third gets 486', async ({ browser, shift }) => {
  const d = new DeskPage(shift.desk, 'ja');
  const first = await caller(browser, shift, '第一 発信者', 'first');
  const second = await caller(browser, shift, '第二 発信者', 'second');
  const third = await caller(browser, shift, '第三 発信者', 'third');
  try {
    const a = await first.call(shift.deskUser.user, LAW_DID);
    await expect(d.ringing()).toBeVisible();
    await shift.desk.keyboard.press('F2');
    await expect(d.inCall()).toBeVisible();
    await first.waitState(a, 'Established');

    const b = await second.call(shift.deskUser.user, CLINIC_DID);
    const waiting = shift.desk.getByRole('alert').filter({ hasText: d.t.calls.waiting });
    await expect(waiting).toBeVisible();
    await expect(waiting.locator('.client-name')).toHaveText(CLINIC.name);
    // The first call's pop stays in front while the second rings.
    await expect(d.inCall().locator('.client-name')).toHaveText(LAW.name);

    const c = await third.call(shift.deskUser.user, SHOP_DID);
    await expect.poll(async () => (await third.session(c))?.rejected).toBe(486);

    await waiting.getByRole('button', { name: d.t.calls.answerHolding }).click();
    await expect(d.inCall().locator('.client-name')).toHaveText(CLINIC.name);
    const heldFirst = held(d);
    await expect(heldFirst.locator('.client-name')).toHaveText(LAW.name);
    await second.waitState(b, 'Established');

    await shift.desk.keyboard.press('F4');
    await expect(held(d)).toBeVisible();
    await held(d).getByRole('button', { name: d.t.calls.resume }).click();
    await expect(d.inCall().locator('.client-name')).toHaveText(LAW.name);
    await shift.desk.keyboard.press('F4');
    await expectIdle(d);
  } finally {
    await Promise.all([first.close(), second.close(), third.close()]);
  }
});

for (const mode of ['blind', 'attended'] as const) {
  test(`${mode} transfer to a staff member by name reaches the phone registered as the hidden target`, async ({ browser, shift }) => {
    const d = new DeskPage(shift.desk, 'ja');
    const phone = await caller(browser, shift);
    const target = await openStaffPhone(browser, shift);
    try {
      const id = await phone.call(shift.deskUser.user, LAW_DID);
      await expect(d.ringing()).toBeVisible();
      await shift.desk.keyboard.press('F2');
      await expect(d.inCall()).toBeVisible();
      await phone.waitState(id, 'Established');

      await shift.desk.keyboard.press('F10');
      const dialog = shift.desk.getByRole('dialog', { name: d.t.calls.transferTitle });
      await dialog.getByRole('radio', { name: new RegExp(STAFF_NAME) }).check();
      await dialog.getByRole('radio', { name: mode === 'blind' ? d.t.calls.blind : d.t.calls.attended }).check();
      await dialog.getByRole('button', { name: mode === 'blind' ? d.t.calls.transferBlind : d.t.calls.transferConsult }).click();

      if (mode === 'attended') {
        const consult = shift.desk.getByRole('region', { name: d.t.calls.consulting });
        await expect(consult).toContainText(STAFF_NAME);
        await expect(consult.getByRole('button', { name: d.t.calls.completeTransfer })).toBeEnabled();
        await consult.getByRole('button', { name: d.t.calls.completeTransfer }).click();
      }
      // The caller's new call arrives at the staff phone (with Replaces when attended) and connects.
      await expect
        .poll(async () => (await target.sessions()).some((s) => s.fromUser === phone.user.user && s.state === 'Established' && s.replaces === (mode === 'attended')), {
          timeout: 15_000,
        })
        .toBe(true);
      await expectIdle(d);
      // The hidden target was dialled, never shown.
      expect(await shift.desk.content()).not.toContain(shift.staffUser.user);
    } finally {
      await Promise.all([phone.close(), target.close()]);
    }
  });
}

/** Saves test-results/screenshots/calls-<screen>-<locale>.png. */
async function snap(d: DeskPage, screen: string, locale: UiLocale): Promise<void> {
  // An error left by an earlier step must fail here, not slip into the pictures unnoticed.
  await expect(d.page.getByRole('alert', { name: d.t.errors.heading, exact: true })).toHaveCount(0);
  await mkdir(SCREENSHOTS, { recursive: true });
  await d.page.evaluate(() => document.fonts.ready.then(() => undefined));
  await d.page.screenshot({ path: path.join(SCREENSHOTS, `calls-${screen}-${locale}.png`), fullPage: true, animations: 'disabled' });
}

/** The staff member's phone, registered as the user the directory's hidden target names. */
async function openStaffPhone(browser: Browser, s: Shift): Promise<PhonePage> {
  return PhonePage.openAs(browser, s.phones.url, s.kam, s.staffUser, { displayName: STAFF_NAME, autoAnswer: true });
}

test('after Kamailio is killed and restarted the desk registers again by itself and the next call pops', async ({ browser, shift }) => {
  const d = new DeskPage(shift.desk, 'ja');
  await shift.kam.kill();
  await shift.kam.restart();
  await expect.poll(() => registeredContacts(shift.kam, shift.deskUser.user), { timeout: 30_000 }).toBe(1);
  const phone = await caller(browser, shift);
  try {
    const id = await phone.call(shift.deskUser.user, SHOP_DID);
    await expect(d.ringing().locator('.client-name')).toHaveText(SHOP.name);
    await phone.hangup(id);
    await expectIdle(d);
  } finally {
    await phone.close();
  }
});

for (const locale of ['ja', 'en'] as const satisfies readonly UiLocale[]) {
  test(`screenshots (${locale}): ringing, in call, held, transfer`, async ({ browser, shift }) => {
    const d = new DeskPage(shift.desk, 'ja');
    if (locale !== 'ja') await d.switchLanguage(locale);
    const phone = await caller(browser, shift, locale === 'ja' ? '山田 太郎' : 'Taro Yamada');
    const target = await openStaffPhone(browser, shift);
    try {
      const id = await phone.call(shift.deskUser.user, LAW_DID);
      await expect(d.ringing()).toBeVisible();
      await snap(d, 'ringing', locale);
      await shift.desk.keyboard.press('F2');
      await expect(d.inCall()).toBeVisible();
      await phone.waitState(id, 'Established');
      await snap(d, 'in-call', locale);
      await shift.desk.keyboard.press('F6');
      await expect(held(d)).toBeVisible();
      await snap(d, 'held', locale);
      await shift.desk.keyboard.press('F6');
      await expect(d.inCall()).toBeVisible();
      await shift.desk.keyboard.press('F10');
      const dialog = shift.desk.getByRole('dialog', { name: STRINGS[locale].calls.transferTitle });
      await dialog.getByRole('radio', { name: new RegExp(STAFF_NAME) }).check();
      await snap(d, 'transfer-pick', locale);
      await dialog.getByRole('button', { name: STRINGS[locale].calls.transferConsult }).click();
      const consult = shift.desk.getByRole('region', { name: STRINGS[locale].calls.consulting });
      await expect(consult.getByRole('button', { name: STRINGS[locale].calls.completeTransfer })).toBeEnabled();
      await snap(d, 'transfer-consult', locale);
      await consult.getByRole('button', { name: STRINGS[locale].calls.completeTransfer }).click();
      await expectIdle(d);
    } finally {
      await Promise.all([phone.close(), target.close()]);
      if (locale !== 'ja') await d.switchLanguage('ja');
    }
  });
}
