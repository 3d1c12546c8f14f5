/**
 * Dead audio is noticed and mended (issue 14 §4), with real calls through Kamailio and WebRTC media
 * between the desk and a test phone in Chromium:
 * - the media path dies under a call that is still up (the caller's peer connection is closed
 *   without any SIP: no packets, no answers to ICE checks) → the strip says 通話音声が途切れています
 *   while the call is still shown as up; the time from the cut to the notice is printed (Chromium
 *   declares ICE disconnected after ~2.5 s without packets; the desk shows it on that event);
 * - the network changes mid-call (an `online` event) → once the line has registered again the desk
 *   re-INVITEs with an ICE restart: new ICE credentials in its offer, and the caller still hears it.
 *
 * Runs with the other real calls inside a private network namespace: npm run test:e2e:media
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { DeskPage } from './support/desk-page.js';
import { openDesk } from './support/fixtures.js';
import { grantDeskPermissions } from './support/permissions.js';
import { registeredContacts, watchPeerConnections } from './support/live-desk.js';
import { SCREENSHOTS } from './support/paths.js';
import { PhonePage } from './support/phone-page.js';
import { sampleClient } from './support/sample-directory.js';
import { MEDIA_SKIP_REASON, onlyLoopback, pairedLineTest, type PairedLine } from './support/paired-line.js';

const LAW = sampleClient('sato-law');

const test = pairedLineTest('dead-audio-calls');

test.skip(!onlyLoopback, MEDIA_SKIP_REASON);

/** The ICE username fragment of the desk's open call's local description (changes only with an ICE restart). */
function deskIceUfrag(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const list = (window as unknown as { __kzPeerConnections: RTCPeerConnection[] }).__kzPeerConnections;
    const pc = list.filter((p) => p.connectionState !== 'closed').at(-1);
    return /a=ice-ufrag:(\S+)/.exec(pc?.localDescription?.sdp ?? '')?.[1] ?? null;
  });
}

/** Whether the caller hears the desk: the audio energy it receives rises over half a second. */
async function callerHearsDesk(phone: PhonePage, id: string): Promise<boolean> {
  const before = await phone.receivedEnergy(id);
  await new Promise((resolve) => setTimeout(resolve, 500));
  return (await phone.receivedEnergy(id)) > before;
}

async function answeredCall(page: Page, line: PairedLine, phone: PhonePage): Promise<{ d: DeskPage; id: string }> {
  await watchPeerConnections(page);
  await openDesk(page, line.harness);
  await expect.poll(() => registeredContacts(line.kam, line.deskUser.user), { timeout: 15_000 }).toBe(1);
  const d = new DeskPage(page, 'ja');
  const id = await phone.call(line.deskUser.user, LAW.dids[0]!);
  await expect(d.ringing().locator('.client-name')).toHaveText(LAW.name);
  await page.keyboard.press('F2');
  await phone.waitState(id, 'Established');
  await expect(d.inCall()).toBeVisible();
  await expect.poll(() => callerHearsDesk(phone, id), { timeout: 10_000 }).toBe(true);
  return { d, id };
}

test('a media path that dies under a call still up is shown as no audio within seconds', async ({ browser, line }) => {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1440, height: 900 } });
  await grantDeskPermissions(context, line.harness.origin);
  const page = await context.newPage();
  const phone = await PhonePage.open(browser, line.phones.url, line.kam, { prefix: 'caller', displayName: '佐藤 一郎' });
  try {
    const { d, id } = await answeredCall(page, line, phone);
    const noAudio = page.getByRole('alert').filter({ hasText: d.t.calls.noAudio });
    await expect(noAudio).toHaveCount(0);

    const cut = Date.now();
    await phone.dropMedia(id);
    // The issue asks for the notice within 5 s of the failure.
    await expect(noAudio).toBeVisible({ timeout: 5_000 });
    console.info(`[dead-audio-calls] media cut → no-audio notice: ${Date.now() - cut} ms`);
    // The call is still up (nothing was signalled): the operator decides, the strip does not pretend.
    await expect(d.inCall()).toBeVisible();
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'calls-no-audio-ja.png'), fullPage: true, animations: 'disabled' });

    await phone.hangup(id);
    await expect(d.idle()).toBeVisible();
    await expect(noAudio).toHaveCount(0);
  } finally {
    await phone.close();
    await context.close();
  }
});

test('a network change mid-call renews the media path with an ICE-restart re-INVITE, and the caller still hears the desk', async ({ browser, line }) => {
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1440, height: 900 } });
  await grantDeskPermissions(context, line.harness.origin);
  const page = await context.newPage();
  const phone = await PhonePage.open(browser, line.phones.url, line.kam, { prefix: 'caller', displayName: '佐藤 一郎' });
  try {
    const { d, id } = await answeredCall(page, line, phone);
    const before = await deskIceUfrag(page);
    expect(before).not.toBeNull();

    // What Chromium fires when the machine joins a network again (Wi-Fi to cable, a VPN coming up).
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(() => deskIceUfrag(page), { timeout: 10_000 }).not.toBe(before);
    await expect(d.inCall()).toBeVisible();
    expect((await phone.session(id))?.state).toBe('Established');
    await expect.poll(() => callerHearsDesk(phone, id), { timeout: 10_000 }).toBe(true);
    await expect(page.getByRole('alert').filter({ hasText: d.t.calls.noAudio })).toHaveCount(0);

    await page.keyboard.press('F4');
    await expect(d.idle()).toBeVisible();
    await phone.waitState(id, 'Terminated');
  } finally {
    await phone.close();
    await context.close();
  }
});
