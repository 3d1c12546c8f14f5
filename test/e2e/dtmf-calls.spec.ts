/**
 * DTMF in the media (RFC 4733), end to end: the desk paired in its default DTMF mode, a real call
 * from a test phone, digits pressed on the desk's keypad, and the phone detecting exactly those
 * digits as DTMF tones in the audio it receives. Chromium's receiver (NetEq) plays the telephone-
 * events it receives out as the two-tone signal, so the phone hears what an IVR behind a gateway
 * would; support/dtmf-detector.ts finds the tone pairs. (SIP INFO is proven in calls.spec.ts.)
 *
 * Runs with the other real calls inside a private network namespace: npm run test:e2e:media
 */
import { expect } from '@playwright/test';
import { DeskPage } from './support/desk-page.js';
import { openDesk } from './support/fixtures.js';
import { grantDeskPermissions } from './support/permissions.js';
import { registeredContacts } from './support/live-desk.js';
import { PhonePage } from './support/phone-page.js';
import { sampleClient } from './support/sample-directory.js';
import { MEDIA_SKIP_REASON, onlyLoopback, pairedLineTest } from './support/paired-line.js';

const LAW = sampleClient('sato-law');
const LAW_DID = LAW.dids[0]!;

const test = pairedLineTest('dtmf-calls');

test.skip(!onlyLoopback, MEDIA_SKIP_REASON);

test('digits pressed on the keypad reach the caller in the media (RFC 4733) and are heard there as exactly those DTMF tones', async ({ browser, line }) => {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1440, height: 900 } });
  await grantDeskPermissions(context, line.harness.origin);
  const page = await context.newPage();
  const phone = await PhonePage.open(browser, line.phones.url, line.kam, { prefix: 'caller', displayName: '山田 太郎' });
  try {
    await openDesk(page, line.harness);
    await expect.poll(() => registeredContacts(line.kam, line.deskUser.user), { timeout: 15_000 }).toBe(1);
    const d = new DeskPage(page, 'ja');

    const id = await phone.call(line.deskUser.user, LAW_DID);
    await expect(d.ringing().locator('.client-name')).toHaveText(LAW.name);
    await d.answer();
    await phone.waitState(id, 'Established');
    await expect.poll(async () => (await phone.rtp(id)).received, { timeout: 10_000 }).toBeGreaterThan(0);

    // The control: the phone hears the desk (its fake microphone beeps), and none of that is a digit.
    await phone.listenForDtmf(id);
    await expect.poll(async () => (await phone.dtmfHeard(id)).audibleFrames, { timeout: 15_000 }).toBeGreaterThan(40);
    expect((await phone.dtmfHeard(id)).digits).toBe('');

    await d.inCall().getByRole('button', { name: d.t.calls.keypad, exact: true }).click();
    const keypad = page.getByRole('dialog', { name: d.t.calls.keypadTitle });
    await expect(keypad).toBeVisible();
    // Every row and column of the keypad, pressed one after another without waiting for the tones.
    const clicked = ['1', '5', '9', '*', '0', '#'];
    for (const digit of clicked) await keypad.getByRole('button', { name: digit, exact: true }).click();
    // Typed on the keyboard, a key pressed twice in a row is two digits at the far end, not one.
    const typed = '2288';
    await page.keyboard.type(typed);
    const all = clicked.join('') + typed;
    await expect(keypad.getByRole('status', { name: d.t.calls.keypadSent })).toHaveText(all);

    await expect.poll(async () => (await phone.dtmfHeard(id)).digits, { timeout: 15_000 }).toBe(all).catch(async (error: unknown) => {
      // What each analysed frame held since listening began: says whether a missing digit's tone came at all.
      console.error(`[dtmf-calls] frames heard: ${(await phone.dtmfHeard(id)).trace.replace(/_{8,}/g, (run) => `${run[0]}×${run.length}`)}`);
      throw error;
    });
    // The microphone is held silent while the digits play: between the first tone and the last the
    // phone hears tones and silence, not the desk's microphone (its beep) overdubbed on them — a tone
    // mixed with the operator's audio is a digit an IVR loses. A frame or two at each tone's edges is
    // the tone starting or ending inside the frame.
    const { trace } = await phone.dtmfHeard(id);
    const during = trace.slice(trace.search(/[0-9*#]/), trace.search(/[0-9*#][^0-9*#]*$/) + 1);
    expect(during.replaceAll(/[^.]/g, '').length, `frames heard: ${trace}`).toBeLessThanOrEqual(all.length * 3);
    // In the media, not by SIP INFO.
    expect((await phone.session(id))?.infos).toEqual([]);

    await keypad.getByRole('button', { name: d.t.calls.close, exact: true }).click();
    await d.inCall().getByRole('button', { name: d.t.calls.hangup, exact: true }).click();
    await expect(d.idle()).toBeVisible();
    await phone.waitState(id, 'Terminated');
  } finally {
    await phone.close();
    await context.close();
  }
});
