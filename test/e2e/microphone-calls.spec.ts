/**
 * A desk whose microphone is refused, end to end: a real Kamailio, the desk (dev-web harness, real
 * sip.js and WebRTC in Chromium) and a test phone calling it. The refusal is Chromium's own: the
 * desk's microphone permission is set to "denied" through CDP (Browser.setPermission), so
 * getUserMedia rejects with NotAllowedError exactly as it does for an operator who refused it.
 * The media project's --use-fake-ui-for-media-stream would accept any request whatever the
 * permission says, so the desk gets its own Chromium without that flag (the fake microphone stays);
 * the caller uses the project's browser.
 *
 * What an operator must get: told at once, in the call strip, that the microphone cannot be used and
 * why; the call keeps ringing (nothing went to the network), and once the microphone is allowed the
 * same call answers with audio.
 *
 * Runs with the other real calls inside a private network namespace: npm run test:e2e:media
 */
import { mkdir } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { test as base, expect, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { startKamailio, type Kamailio, type SipUser } from '../support/kamailio.js';
import { servePhonePage, type PhoneServer } from './support/caller-page/serve.js';
import { DeskPage } from './support/desk-page.js';
import { openDesk } from './support/fixtures.js';
import { startHarness, type Harness } from './support/harness.js';
import { directoryWithTargets, pairDesk, registeredContacts, watchPeerConnections } from './support/live-desk.js';
import { SCREENSHOTS } from './support/paths.js';
import { PhonePage } from './support/phone-page.js';
import { sampleClient } from './support/sample-directory.js';

const onlyLoopback = Object.entries(networkInterfaces()).every(([, addrs]) => (addrs ?? []).every((a) => a.internal));

const LAW = sampleClient('sato-law');
const LAW_DID = LAW.dids[0]!;
/** The law office's staff member whose hidden transfer target is this run's staff user. */
const STAFF_ID = 'ito-kenta';
const STAFF_NAME = LAW.staff.find((s) => s.id === STAFF_ID)!.name;

interface Desk {
  kam: Kamailio;
  harness: Harness;
  phones: PhoneServer;
  deskUser: SipUser;
  /** Registered as the hidden transfer target of the law office's 伊藤 健太. */
  staffUser: SipUser;
  page: Page;
  /** Sets Chromium's microphone permission for the desk's origin, as the operator's browser would. */
  microphone(setting: 'granted' | 'denied'): Promise<void>;
}

const test = base.extend<object, { deskW: Desk }>({
  deskW: [
    async ({ playwright, launchOptions }, use) => {
      const kam = await startKamailio();
      const deskUser = await kam.newUser('desk');
      const staffUser = await kam.newUser('staff');
      const harness = await startHarness();
      const phones = await servePhonePage();
      const deskBrowser = await playwright.chromium.launch({
        ...launchOptions,
        args: (launchOptions.args ?? []).filter((arg) => arg !== '--use-fake-ui-for-media-stream'),
      });
      let context: BrowserContext | undefined;
      try {
        const directory = directoryWithTargets({ [`sato-law/${STAFF_ID}`]: `sip:${staffUser.user}@${kam.domain}` });
        await pairDesk(harness, { wsUrl: kam.wsUrl, domain: kam.domain, ...deskUser }, {}, directory);
        context = await deskBrowser.newContext({ locale: 'ja-JP', viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        const cdp: CDPSession = await context.newCDPSession(page);
        const { targetInfo } = await cdp.send('Target.getTargetInfo');
        const microphone = async (setting: 'granted' | 'denied') => {
          await cdp.send('Browser.setPermission', {
            permission: { name: 'microphone' },
            setting,
            origin: harness.origin,
            browserContextId: targetInfo.browserContextId,
          });
        };
        await watchPeerConnections(page);
        await openDesk(page, harness);
        await expect.poll(() => registeredContacts(kam, deskUser.user), { timeout: 15_000 }).toBe(1);
        await use({ kam, harness, phones, deskUser, staffUser, page, microphone });
      } finally {
        await context?.close();
        await deskBrowser.close();
        await phones.close();
        await harness.stop();
        await kam.stop();
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

test.skip(!onlyLoopback, 'media tests run inside a private network namespace: npm run test:e2e:media');
test.describe.configure({ mode: 'serial' });

test.afterEach(async ({ deskW }, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) {
    deskW.kam.keepLogs();
    console.error(`[microphone-calls] kamailio log kept at ${deskW.kam.logPath}\n${deskW.harness.log().slice(-3000)}`);
  }
});

/** The strip's microphone alert, by its accessible text (the same words the operator reads). */
function micAlert(d: DeskPage, text: string) {
  return d.page.getByRole('alert').filter({ hasText: text });
}

function answerFailedText(d: DeskPage, problem: 'denied'): string {
  return d.t.calls.mic.answerFailed.replace('{{reason}}', d.t.calls.mic.reason[problem]).replace('{{fix}}', d.t.calls.mic.fix[problem]);
}

function peerConnections(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __kzPeerConnections: RTCPeerConnection[] }).__kzPeerConnections.length);
}

test('a refused microphone: the operator is told why at once, the call keeps ringing, and it answers with audio once allowed', async ({ browser, deskW }) => {
  const d = new DeskPage(deskW.page, 'ja');
  await deskW.microphone('denied');
  const phone = await PhonePage.open(browser, deskW.phones.url, deskW.kam, { prefix: 'caller', displayName: '山田 太郎' });
  try {
    const id = await phone.call(deskW.deskUser.user, LAW_DID);
    await expect(d.ringing().locator('.client-name')).toHaveText(LAW.name);
    const pcsBefore = await peerConnections(d.page);

    await d.page.keyboard.press('F2');
    const alert = micAlert(d, answerFailedText(d, 'denied'));
    await expect(alert).toBeVisible();
    // Plain words with the reason: 「マイクが使えません（許可されていません）。相手にはこちらの声が届きません。…」
    await expect(alert).toContainText('マイクが使えません（許可されていません）。相手にはこちらの声が届きません。');
    // Not answered: still ringing on the desk and at the caller, no media was set up, no stray error.
    await expect(d.ringing()).toBeVisible();
    await expect(d.inCall()).toHaveCount(0);
    expect((await phone.session(id))?.state).toBe('Establishing');
    expect(await peerConnections(d.page)).toBe(pcsBefore);
    await expect(d.page.getByRole('alert', { name: d.t.errors.heading, exact: true })).toHaveCount(0);
    await mkdir(SCREENSHOTS, { recursive: true });
    await d.page.evaluate(() => document.fonts.ready.then(() => undefined));
    await d.page.screenshot({ path: path.join(SCREENSHOTS, 'calls-microphone-denied-ja.png'), fullPage: true, animations: 'disabled' });

    // The operator allows the microphone and answers the same call again.
    await deskW.microphone('granted');
    await d.ringing().getByRole('button', { name: d.t.call.answer, exact: true }).click();
    await expect(d.inCall()).toBeVisible();
    await expect(alert).toHaveCount(0);
    await phone.waitState(id, 'Established');
    // The caller hears the desk: the warning is about exactly this.
    await expect.poll(async () => (await phone.rtp(id)).received, { timeout: 10_000 }).toBeGreaterThan(0);

    // Refused again mid-call: Chromium ends the call's own capture too, so the caller hears nothing.
    // The desk notices (no default to fall back on: refused as well) and the Audio dialog says so, with the way back.
    await deskW.microphone('denied');
    await expect(micAlert(d, d.t.calls.mic.lost.replace('{{reason}}', d.t.calls.mic.reason.denied))).toBeVisible();
    await d.inCall().getByRole('button', { name: d.t.calls.audio }).click();
    const audio = d.page.getByRole('dialog', { name: d.t.calls.audioTitle });
    await expect(audio.getByRole('alert')).toContainText(d.t.calls.mic.lost.replace('{{reason}}', d.t.calls.mic.reason.denied));
    await expect(audio.getByRole('button', { name: d.t.calls.mic.reconnect })).toBeVisible();
    await audio.getByRole('button', { name: d.t.calls.close }).click();

    await d.page.keyboard.press('F4');
    await expect(d.idle()).toBeVisible();
    await phone.waitState(id, 'Terminated');
    await expect(d.page.getByRole('alert', { name: d.t.errors.heading, exact: true })).toHaveCount(0);
  } finally {
    await phone.close();
  }
});

test('a caller who gives up while the microphone is refused leaves the desk idle, with no alert behind', async ({ browser, deskW }) => {
  const d = new DeskPage(deskW.page, 'ja');
  await deskW.microphone('denied');
  const phone = await PhonePage.open(browser, deskW.phones.url, deskW.kam, { prefix: 'caller', displayName: '山田 太郎' });
  try {
    const id = await phone.call(deskW.deskUser.user, LAW_DID);
    await expect(d.ringing()).toBeVisible();
    await d.page.keyboard.press('F2');
    const alert = micAlert(d, answerFailedText(d, 'denied'));
    await expect(alert).toBeVisible();

    await phone.hangup(id);
    await expect(d.idle()).toBeVisible();
    await expect(d.ringing()).toHaveCount(0);
    await expect(alert).toHaveCount(0);
    await expect(d.page.getByRole('status').filter({ hasText: d.t.calls.ended.cancelled })).toHaveCount(1);
    await expect(d.page.getByRole('alert', { name: d.t.errors.heading, exact: true })).toHaveCount(0);
  } finally {
    await phone.close();
  }
});

test('a refused microphone when consulting a staff member: nobody is called, the caller is back from hold, the operator is told', async ({ browser, deskW }) => {
  const d = new DeskPage(deskW.page, 'ja');
  await deskW.microphone('granted');
  const phone = await PhonePage.open(browser, deskW.phones.url, deskW.kam, { prefix: 'caller', displayName: '山田 太郎' });
  const staff = await PhonePage.openAs(browser, deskW.phones.url, deskW.kam, deskW.staffUser, { displayName: STAFF_NAME, autoAnswer: true });
  try {
    const id = await phone.call(deskW.deskUser.user, LAW_DID);
    await expect(d.ringing()).toBeVisible();
    await d.page.keyboard.press('F2');
    await expect(d.inCall()).toBeVisible();
    await phone.waitState(id, 'Established');

    await deskW.microphone('denied');
    await d.page.keyboard.press('F10');
    const dialog = d.page.getByRole('dialog', { name: d.t.calls.transferTitle });
    await dialog.getByRole('radio', { name: new RegExp(STAFF_NAME) }).check();
    await dialog.getByRole('radio', { name: d.t.calls.attended }).check();
    await dialog.getByRole('button', { name: d.t.calls.transferConsult }).click();

    const consultFailed = d.t.calls.mic.consultFailed.replace('{{reason}}', d.t.calls.mic.reason.denied);
    await expect(micAlert(d, consultFailed)).toBeVisible();
    // The caller is talking to the desk again (resumed, not left on hold), and no consultation began.
    await expect(d.inCall()).toBeVisible();
    await expect(d.page.getByRole('region', { name: d.t.calls.consulting })).toHaveCount(0);
    await expect(d.page.getByRole('alert', { name: d.t.errors.heading, exact: true })).toHaveCount(0);
    // The staff phone never rang.
    expect(await staff.sessions()).toEqual([]);

    await deskW.microphone('granted');
    await d.page.keyboard.press('F4');
    await expect(d.idle()).toBeVisible();
    await phone.waitState(id, 'Terminated');
    expect(await staff.sessions()).toEqual([]);
  } finally {
    await Promise.all([phone.close(), staff.close()]);
  }
});

/**
 * The desk's microphone unplugged mid-call, as Chromium reports it: the capture track of the call's
 * sender stops (the caller gets silence) and fires `ended`. A page's own track.stop() fires no
 * 'ended', so the test stops the track and dispatches the event the platform would send when the
 * device disappears (Chromium's fake capture device cannot be removed from the page).
 */
async function unplugMicrophone(page: Page): Promise<void> {
  await page.evaluate(() => {
    const list = (window as unknown as { __kzPeerConnections: RTCPeerConnection[] }).__kzPeerConnections;
    const pc = list.filter((p) => p.connectionState !== 'closed').at(-1);
    const track = pc?.getSenders().find((s) => s.track?.kind === 'audio')?.track;
    if (!track) throw new Error('the desk sends no microphone');
    track.stop();
    track.dispatchEvent(new Event('ended'));
  });
}

/** Whether the caller hears the desk: the audio energy it receives rises over half a second. */
async function callerHearsDesk(phone: PhonePage, id: string): Promise<boolean> {
  const before = await phone.receivedEnergy(id);
  await new Promise((resolve) => setTimeout(resolve, 500));
  return (await phone.receivedEnergy(id)) > before;
}

test('a microphone unplugged mid-call: the operator is told, the call moves to the default microphone by itself, and the dialog shows it', async ({ browser, deskW }) => {
  const d = new DeskPage(deskW.page, 'ja');
  await deskW.microphone('granted');
  const phone = await PhonePage.open(browser, deskW.phones.url, deskW.kam, { prefix: 'caller', displayName: '山田 太郎' });
  try {
    const id = await phone.call(deskW.deskUser.user, LAW_DID);
    await expect(d.ringing()).toBeVisible();
    await d.page.keyboard.press('F2');
    await expect(d.inCall()).toBeVisible();
    await phone.waitState(id, 'Established');

    // The operator's headset: a microphone other than the system default, chosen mid-call.
    await d.inCall().getByRole('button', { name: d.t.calls.audio }).click();
    const audio = d.page.getByRole('dialog', { name: d.t.calls.audioTitle });
    const mic = audio.getByRole('combobox', { name: d.t.calls.microphone });
    const headset = (await mic.locator('option').allTextContents()).find((label) => label !== d.t.calls.deviceDefault)!;
    await mic.selectOption({ label: headset });
    await expect.poll(() => callerHearsDesk(phone, id), { timeout: 10_000 }).toBe(true);
    await audio.getByRole('button', { name: d.t.calls.close }).click();

    await unplugMicrophone(d.page);
    await expect(micAlert(d, d.t.calls.mic.fellBack)).toBeVisible();
    await mkdir(SCREENSHOTS, { recursive: true });
    await d.page.screenshot({ path: path.join(SCREENSHOTS, 'calls-microphone-fell-back-ja.png'), fullPage: true, animations: 'disabled' });
    await expect(d.inCall()).toBeVisible();
    // The caller hears the desk again, on the default microphone, without the operator doing anything.
    await expect.poll(() => callerHearsDesk(phone, id), { timeout: 10_000 }).toBe(true);
    // The dialog shows what the call really uses now.
    await d.inCall().getByRole('button', { name: d.t.calls.audio }).click();
    await expect(mic).toHaveValue('');
    await expect(mic.locator('option:checked')).toHaveText(d.t.calls.deviceDefault);
    await audio.getByRole('button', { name: d.t.calls.close }).click();

    await d.page.keyboard.press('F4');
    await expect(d.idle()).toBeVisible();
    await expect(micAlert(d, d.t.calls.mic.fellBack)).toHaveCount(0);
  } finally {
    await phone.close();
  }
});

test('a microphone lost with none to fall back on: the strip says the caller cannot hear, and Reconnect microphone brings the voice back', async ({ browser, deskW }) => {
  const d = new DeskPage(deskW.page, 'ja');
  await deskW.microphone('granted');
  const phone = await PhonePage.open(browser, deskW.phones.url, deskW.kam, { prefix: 'caller', displayName: '山田 太郎' });
  try {
    const id = await phone.call(deskW.deskUser.user, LAW_DID);
    await expect(d.ringing()).toBeVisible();
    await d.page.keyboard.press('F2');
    await expect(d.inCall()).toBeVisible();
    await phone.waitState(id, 'Established');
    await expect.poll(() => callerHearsDesk(phone, id), { timeout: 10_000 }).toBe(true);

    // No microphone can be opened any more (refused), and the one in use goes away.
    await deskW.microphone('denied');
    await unplugMicrophone(d.page);
    const lost = d.t.calls.mic.lost.replace('{{reason}}', d.t.calls.mic.reason.denied);
    await expect(micAlert(d, lost)).toBeVisible();
    await expect.poll(() => callerHearsDesk(phone, id)).toBe(false);

    // The operator fixes it and asks for the microphone again: the same choice is opened again.
    await deskW.microphone('granted');
    await micAlert(d, lost).getByRole('button', { name: d.t.calls.mic.reconnect }).click();
    await expect(micAlert(d, lost)).toHaveCount(0);
    await expect.poll(() => callerHearsDesk(phone, id), { timeout: 10_000 }).toBe(true);
    await expect(d.page.getByRole('alert', { name: d.t.errors.heading, exact: true })).toHaveCount(0);

    await d.page.keyboard.press('F4');
    await expect(d.idle()).toBeVisible();
  } finally {
    await phone.close();
  }
});
