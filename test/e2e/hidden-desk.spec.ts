/**
 * A desk nobody is looking at still rings: the operator works in another window, the desk is
 * minimized or behind it (a background tab under dev-web). Chromium runs no animation frames in such
 * a page and throttles its timers — the real thing here, not Playwright's always-visible pages: our
 * own Chromium, the desk's tab hidden by another tab brought to the front (support/hidden-tab.ts).
 *
 * Against a REAL Kamailio that grants short registrations, the desk stays registered through a
 * hidden stretch longer than its registration interval; then a real call (a Node sip.js caller,
 * signalling only: nobody answers, so no media) rings it — the ringtone's audio is playing and the
 * desktop notification names the client — while the page is still hidden. Cancelling stops the ring.
 */
import { startKamailio, type Kamailio } from '../support/kamailio.js';
import { createNodeUa, type NodeUa } from '../support/sip-node-ua.js';
import { STRINGS } from './support/desk-page.js';
import { expect, test } from './support/fixtures.js';
import { launchHiddenableChromium, type HiddenableBrowser, type Tab } from './support/hidden-tab.js';
import { callApi, pairDesk } from './support/live-desk.js';
import { sampleClient } from './support/sample-directory.js';

/**
 * The longest registration Kamailio grants here; the desk refreshes it at 85 %, i.e. 3 s before it
 * lapses — room for a hidden page's timers, aligned to whole seconds, and Kamailio's whole seconds.
 */
const EXPIRES_SEC = 20;
/** How long the desk stays hidden before the call: over two registration intervals. */
const HIDDEN_MS = 2.25 * EXPIRES_SEC * 1000;

const t = STRINGS.ja;
const client = sampleClient('sato-law');

/**
 * Installed before the desk's scripts: records the notifications it shows (a headless one is seen by
 * nobody) and the media elements it plays and audio contexts it makes, so the test can read whether
 * the ringtone is sounding. Nothing of the desk's behaviour changes.
 */
const WATCH = `(() => {
  const w = window;
  w.__kzNotifications = [];
  const NativeNotification = w.Notification;
  if (NativeNotification) {
    w.Notification = class extends NativeNotification {
      constructor(title, options) {
        super(title, options);
        w.__kzNotifications.push({ title, body: (options && options.body) || '', hidden: document.visibilityState === 'hidden' });
      }
    };
  }
  w.__kzPlayed = [];
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (...args) {
    w.__kzPlayed.push(this);
    return play.apply(this, args);
  };
  w.__kzAudioContexts = [];
  const NativeAudioContext = w.AudioContext;
  w.AudioContext = class extends NativeAudioContext {
    constructor(options) {
      super(options);
      w.__kzAudioContexts.push(this);
    }
  };
})();`;

interface DeskView {
  visibility: DocumentVisibilityState;
  line: string | null;
  /** A media element playing a live audio stream (the ringtone's element; nothing else plays here). */
  ringtonePlaying: boolean;
  /** Whether the audio graph behind it runs (its clock moves). */
  audioRunning: boolean;
  notifications: { title: string; body: string; hidden: boolean }[];
  ringingClient: boolean;
}

function deskView(tab: Tab): Promise<DeskView> {
  return tab.evaluate<DeskView>(`(async () => {
    const w = window;
    const line = [...document.querySelectorAll('[role="status"]')].find((e) => e.getAttribute('aria-label') === ${JSON.stringify(t.pairing.indicator.label)});
    const ringtonePlaying = (w.__kzPlayed || []).some(
      (e) => !e.paused && e.srcObject instanceof MediaStream && e.srcObject.getAudioTracks().some((track) => track.readyState === 'live' && track.enabled),
    );
    const contexts = w.__kzAudioContexts || [];
    const before = contexts.map((c) => c.currentTime);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const audioRunning = contexts.some((c, i) => c.state === 'running' && c.currentTime > before[i]);
    const ringingClient = [...document.querySelectorAll('[role="alert"]')].some((a) => (a.textContent || '').includes(${JSON.stringify(client.name)}));
    return {
      visibility: document.visibilityState,
      line: line ? line.textContent : null,
      ringtonePlaying,
      audioRunning,
      notifications: w.__kzNotifications || [],
      ringingClient,
    };
  })()`);
}

/** Whether the page produced an animation frame within a second (a hidden one does not). */
function framesRun(tab: Tab): Promise<boolean> {
  return tab.evaluate<boolean>(`new Promise((resolve) => {
    let ran = false;
    requestAnimationFrame(() => { ran = true; });
    setTimeout(() => resolve(ran), 1000);
  })`);
}

let kam: Kamailio;
let chromium: HiddenableBrowser | undefined;
let caller: NodeUa | undefined;

test.beforeAll(async () => {
  kam = await startKamailio({ maxExpiresSec: EXPIRES_SEC });
});
test.afterAll(async () => {
  await kam?.stop();
});
test.afterEach(async ({}, testInfo) => {
  await caller?.ua.stop().catch(() => undefined);
  await chromium?.close();
  if (testInfo.status !== testInfo.expectedStatus) {
    kam.keepLogs();
    console.error(`[hidden-desk] kamailio log kept at ${kam.logPath}`);
  }
});

test('a hidden desk keeps its line through its registration interval, and a real call rings it and notifies', async ({ harness }) => {
  test.setTimeout(100_000);
  const deskUser = await kam.newUser('desk');
  await pairDesk(harness, { wsUrl: kam.wsUrl, domain: kam.domain, ...deskUser });

  // Electron's own autoplay policy (webPreferences.autoplayPolicy defaults to no-user-gesture-required):
  // the desk rings before anyone has touched it.
  chromium = await launchHiddenableChromium(['--autoplay-policy=no-user-gesture-required']);
  // Exactly what the desk window's permission handlers grant: notifications and the microphone.
  await chromium.cdp.send('Browser.grantPermissions', { origin: harness.origin, permissions: ['notifications', 'audioCapture'] });
  const desk = await chromium.firstTab();
  await desk.send('Page.enable');
  await desk.send('Page.addScriptToEvaluateOnNewDocument', { source: WATCH });
  await desk.send('Page.navigate', { url: harness.url });
  await expect.poll(async () => (await deskView(desk).catch(() => null))?.line, { timeout: 20_000 }).toBe(t.pairing.indicator.registered);
  await expect.poll(async () => (await kam.liveContacts(deskUser.user)).length).toBe(1);
  expect(await framesRun(desk)).toBe(true);

  // The operator turns to another window: the desk is hidden and produces no frames.
  const other = await chromium.openTabInFront();
  await expect.poll(async () => (await deskView(desk)).visibility).toBe('hidden');
  expect(await framesRun(desk)).toBe(false);

  // Hidden for longer than the registration lasts: the desk refreshes it, the registrar never
  // loses the contact (seconds left always above zero).
  const hiddenUntil = Date.now() + HIDDEN_MS;
  let refreshed = false;
  let lastLeft = Number.POSITIVE_INFINITY;
  while (Date.now() < hiddenUntil) {
    const left = await kam.liveContacts(deskUser.user);
    expect(left, 'the registrar still holds the hidden desk').toHaveLength(1);
    if (left[0]! > lastLeft) refreshed = true;
    lastLeft = left[0]!;
    await new Promise((r) => setTimeout(r, 1000));
  }
  expect(refreshed, 'the registration was refreshed while hidden').toBe(true);
  expect((await deskView(desk)).visibility).toBe('hidden');

  // A real call to one of the client's numbers.
  const callerUser = await kam.newUser('caller');
  caller = await createNodeUa({ wsUrl: kam.wsUrl, domain: kam.domain, ...callerUser, displayName: '山田 太郎' });
  await caller.register();
  const inviter = await caller.call(deskUser.user, { extraHeaders: [`X-Called-Number: ${client.dids[0]}`] });

  // It rings and notifies while the desk is still hidden.
  await expect
    .poll(async () => {
      const v = await deskView(desk);
      return { visibility: v.visibility, ringingClient: v.ringingClient, ringtonePlaying: v.ringtonePlaying, audioRunning: v.audioRunning };
    }, { timeout: 10_000 })
    .toEqual({ visibility: 'hidden', ringingClient: true, ringtonePlaying: true, audioRunning: true });
  await expect.poll(async () => (await deskView(desk)).notifications, { timeout: 10_000 }).toEqual([
    { title: client.name, body: t.calls.notifyBody, hidden: true },
  ]);

  // The caller gives up: the ring stops, still hidden.
  await inviter.cancel();
  await expect
    .poll(async () => {
      const v = await deskView(desk);
      return { visibility: v.visibility, ringingClient: v.ringingClient, ringtonePlaying: v.ringtonePlaying };
    }, { timeout: 10_000 })
    .toEqual({ visibility: 'hidden', ringingClient: false, ringtonePlaying: false });

  await other.send('Page.close').catch(() => undefined);
  await callApi(harness, 'unpairLine');
});
