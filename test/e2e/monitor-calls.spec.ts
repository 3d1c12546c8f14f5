/**
 * Listen / whisper / barge end to end, with real media (issue 9 §6): a real Kamailio; the caller, the
 * operator desk (dev-web harness, its floor identity from a roster made here) and the supervisor each
 * in their own Chromium process with their own fake microphone — a 440 Hz, 880 Hz and 1320 Hz tone.
 * Spectral checks on what each party receives prove who hears whom in each mode, after mode changes
 * (SIP INFO with a new signed token, no new INVITE), and under the operator's mute and hold.
 *
 * The supervisor is the test phone sending the INVITE with the signed request header, exactly what
 * a supervisor desk sends; the operator desk's side (checks in main, the WebAudio mix) is the app's.
 * supervisor-calls.spec.ts drives the supervisor's own desk (the board's buttons) instead.
 *
 * Runs inside a private network namespace: npm run test:e2e:media
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { FLOOR_CONTENT_TYPE, MONITOR_HEADER } from '../../shared/floor/wire.js';
import type { MonitorMode } from '../../shared/roster/schema.js';
import { signMonitorRequest } from '../../electron/main/services/floor/monitor-gate.js';
import { floorFixtureFile } from '../support/floor-desk.js';
import { startKamailio, type Kamailio, type SipUser } from '../support/kamailio.js';
import { fixtureIdentity, makeRoster } from '../support/roster-fixture.js';
import { servePhonePage, type PhoneServer } from './support/caller-page/serve.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/chromium.js';
import { DeskPage, STRINGS, type UiLocale } from './support/desk-page.js';
import { openDesk } from './support/fixtures.js';
import { startHarness, type Harness } from './support/harness.js';
import { callApi, pairDesk, registeredContacts, watchPeerConnections } from './support/live-desk.js';
import { MEDIA_ARGS } from './support/media-args.js';
import { grantDeskPermissions } from './support/permissions.js';
import { PhonePage } from './support/phone-page.js';
import { sampleClient } from './support/sample-directory.js';
import { CALLER_HZ, FREQS, OPERATOR_HZ, SUPERVISOR_HZ, expectHearing, operatorHears, type Levels } from './support/hearing.js';
import { toneWav } from './support/tone-levels.js';

const onlyLoopback = Object.entries(networkInterfaces()).every(([, addrs]) => (addrs ?? []).every((a) => a.internal));

const LAW_DID = sampleClient('sato-law').dids[0]!;

interface Floor {
  kam: Kamailio;
  harness: Harness;
  phones: PhoneServer;
  opUser: SipUser;
  supUser: SipUser;
  desk: Page;
  callerBrowser: Browser;
  supervisorBrowser: Browser;
  /** A monitor request for the operator desk's call, signed by the supervisor 佐藤. */
  sign(callRef: string, mode: MonitorMode): string;
}

const test = base.extend<object, { floorW: Floor }>({
  floorW: [
    async ({ playwright }, use) => {
      const dir = await mkdtemp(path.join(tmpdir(), 'kotozute-floor-'));
      const kam = await startKamailio();
      const opUser = await kam.newUser('desk-op');
      const supUser = await kam.newUser('desk-sup');
      const fx = await makeRoster({
        desks: [
          { id: 'desk-op', sipUri: `sip:${opUser.user}@${kam.domain}` },
          { id: 'desk-sup', sipUri: `sip:${supUser.user}@${kam.domain}` },
        ],
        people: [
          { id: 'sato', roles: ['supervisor'], secret: 'correct horse battery', name: '佐藤' },
          { id: 'tanaka', roles: ['operator'], secret: '4821', name: '田中' },
        ],
      });
      const floorFile = path.join(dir, 'floor.json');
      await writeFile(floorFile, JSON.stringify(await floorFixtureFile(fx, 'desk-op', null)), { mode: 0o600 });
      const supervisor = fixtureIdentity(fx, 'desk-sup');
      supervisor.signIn({ person: fx.roster.people.find((p) => p.id === 'sato')!, key: await fx.personKey('sato'), since: new Date() });
      const sign = (callRef: string, mode: MonitorMode): string => {
        const signed = signMonitorRequest(supervisor, { deskId: 'desk-op', callRef, mode }, Date.now(), randomBytes(16).toString('base64url'));
        if (!signed.ok) throw new Error(signed.reason);
        return signed.token;
      };
      const launch = async (hz: number): Promise<Browser> => {
        const wav = path.join(dir, `${hz}.wav`);
        await writeFile(wav, toneWav(hz));
        return playwright.chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...MEDIA_ARGS, `--use-file-for-fake-audio-capture=${wav}`] });
      };
      const [callerBrowser, deskBrowser, supervisorBrowser] = await Promise.all([launch(CALLER_HZ), launch(OPERATOR_HZ), launch(SUPERVISOR_HZ)]);
      const harness = await startHarness({ env: { KOTOZUTE_FLOOR_FIXTURE: floorFile } });
      const phones = await servePhonePage();
      try {
        await pairDesk(harness, { wsUrl: kam.wsUrl, domain: kam.domain, ...opUser });
        const context = await deskBrowser.newContext({ locale: 'ja-JP', viewport: { width: 1440, height: 900 } });
        await grantDeskPermissions(context, harness.origin);
        const desk = await context.newPage();
        await watchPeerConnections(desk);
        await openDesk(desk, harness);
        await expect.poll(() => registeredContacts(kam, opUser.user), { timeout: 15_000 }).toBe(1);
        await use({ kam, harness, phones, opUser, supUser, desk, callerBrowser, supervisorBrowser, sign });
      } finally {
        await Promise.all([callerBrowser.close(), deskBrowser.close(), supervisorBrowser.close()]);
        await phones.close();
        await harness.stop();
        await kam.stop();
        await rm(dir, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 90_000 },
  ],
});

test.skip(!onlyLoopback, 'media tests run inside a private network namespace: npm run test:e2e:media');

type Heard = Levels<'caller' | 'operator' | 'supervisor'>;

/** The three parties measured at once (each in its own process). */
async function measure(f: Floor, caller: PhonePage, callerId: string, sup: PhonePage, supId: string): Promise<Heard> {
  const [c, o, s] = await Promise.all([caller.toneLevels(callerId, FREQS), operatorHears(f.desk), sup.toneLevels(supId, FREQS)]);
  return { caller: c, operator: o, supervisor: s };
}


async function switchLanguageInCall(d: DeskPage, to: UiLocale): Promise<void> {
  await d.page.getByRole('button', { name: d.t.topBar.settings, exact: true }).click();
  const dialog = d.page.getByRole('dialog', { name: d.t.settings.title, exact: true });
  await dialog.getByRole('radio', { name: STRINGS[to].settings[to], exact: true }).click();
  d.locale = to;
  const renamed = d.page.getByRole('dialog', { name: d.t.settings.title, exact: true });
  await expect(renamed.getByRole('radio', { name: STRINGS[to].settings[to], exact: true })).toBeChecked();
  await renamed.getByRole('button', { name: d.t.settings.close, exact: true }).click();
}

test('listen, whisper and barge: who hears whom, mode changes without a new INVITE, mute and hold act on the real call, the session ends with the call', async ({ floorW: f }) => {
  test.setTimeout(240_000);
  const d = new DeskPage(f.desk, 'ja');
  const caller = await PhonePage.open(f.callerBrowser, f.phones.url, f.kam, { prefix: 'caller', displayName: '山田 太郎' });
  const sup = await PhonePage.openAs(f.supervisorBrowser, f.phones.url, f.kam, f.supUser, { displayName: 'Supervisor' });
  try {
    const callerId = await caller.call(f.opUser.user, LAW_DID);
    await expect(d.ringing()).toBeVisible();
    await f.desk.keyboard.press('F2');
    await expect(d.inCall()).toBeVisible();
    await caller.waitState(callerId, 'Established');
    // The floor's name of the call, as the board learns it from the desk's state.
    const ref = (await d.inCall().getAttribute('data-call-ref')) ?? '';
    expect(ref).toMatch(/^[A-Za-z0-9_-]{8,64}$/);

    // Listen: answered by the desk itself, no ring, no second call.
    const supId = await sup.callWith(f.opUser.user, [`${MONITOR_HEADER}: ${f.sign(ref, 'listen')}`]);
    await sup.waitState(supId, 'Established');
    const notice = f.desk.getByRole('status', { name: STRINGS.ja.monitor.notice.badge });
    await expect(notice).toContainText(STRINGS.ja.monitor.notice.listen);
    await expect(d.ringing()).toHaveCount(0);
    await expectHearing('monitor-calls', () => measure(f, caller, callerId, sup, supId), 'listen', {
      supervisor: { [CALLER_HZ]: true, [OPERATOR_HZ]: true },
      caller: { [OPERATOR_HZ]: true, [SUPERVISOR_HZ]: false },
      operator: { [CALLER_HZ]: true, [SUPERVISOR_HZ]: false },
    });
    await d.snap('monitor-listen');

    // Whisper (an INFO with a new token): the operator hears the supervisor, the caller does not.
    expect(await sup.info(supId, FLOOR_CONTENT_TYPE, f.sign(ref, 'whisper'))).toBe(200);
    await expect(notice).toContainText(STRINGS.ja.monitor.notice.whisper);
    await expectHearing('monitor-calls', () => measure(f, caller, callerId, sup, supId), 'whisper', {
      supervisor: { [CALLER_HZ]: true, [OPERATOR_HZ]: true },
      caller: { [OPERATOR_HZ]: true, [SUPERVISOR_HZ]: false },
      operator: { [CALLER_HZ]: true, [SUPERVISOR_HZ]: true },
    });
    await d.snap('monitor-whisper');

    // Barge: all three hear each other.
    const bargeToken = f.sign(ref, 'barge');
    expect(await sup.info(supId, FLOOR_CONTENT_TYPE, bargeToken)).toBe(200);
    await expect(notice).toContainText(STRINGS.ja.monitor.notice.barge);
    await expectHearing('monitor-calls', () => measure(f, caller, callerId, sup, supId), 'barge', {
      supervisor: { [CALLER_HZ]: true, [OPERATOR_HZ]: true },
      caller: { [OPERATOR_HZ]: true, [SUPERVISOR_HZ]: true },
      operator: { [CALLER_HZ]: true, [SUPERVISOR_HZ]: true },
    });
    await d.snap('monitor-barge');

    // A replayed mode token is refused and changes nothing.
    expect(await sup.info(supId, FLOOR_CONTENT_TYPE, bargeToken)).toBe(403);

    // Mute: the caller no longer hears the operator (still the barging supervisor); the supervisor still hears both.
    await f.desk.keyboard.press('F7');
    await expect(d.inCall().getByRole('button', { name: d.t.calls.mute })).toHaveAttribute('aria-pressed', 'true');
    await expectHearing('monitor-calls', () => measure(f, caller, callerId, sup, supId), 'barge, operator muted', {
      caller: { [OPERATOR_HZ]: false, [SUPERVISOR_HZ]: true },
      supervisor: { [CALLER_HZ]: true, [OPERATOR_HZ]: true },
    });
    await f.desk.keyboard.press('F7');

    // Back to listen: the supervisor drops out of everyone's ears again, without a new INVITE.
    expect(await sup.info(supId, FLOOR_CONTENT_TYPE, f.sign(ref, 'listen'))).toBe(200);
    await expectHearing('monitor-calls', () => measure(f, caller, callerId, sup, supId), 'listen again', {
      caller: { [OPERATOR_HZ]: true, [SUPERVISOR_HZ]: false },
      operator: { [SUPERVISOR_HZ]: false },
    });

    // Hold acts on the real call: the caller hears nothing of the desk; the session stays up. Resume restores it.
    await f.desk.keyboard.press('F6');
    await expect(f.desk.getByRole('region', { name: d.t.calls.held, exact: true })).toBeVisible();
    await expectHearing('monitor-calls', () => measure(f, caller, callerId, sup, supId), 'held', { caller: { [OPERATOR_HZ]: false, [SUPERVISOR_HZ]: false } });
    expect((await sup.session(supId))?.state).toBe('Established');
    await f.desk.keyboard.press('F6');
    await expect(d.inCall()).toBeVisible();
    await expectHearing('monitor-calls', () => measure(f, caller, callerId, sup, supId), 'resumed', {
      caller: { [OPERATOR_HZ]: true, [SUPERVISOR_HZ]: false },
      supervisor: { [CALLER_HZ]: true, [OPERATOR_HZ]: true },
    });

    // The same three modes in English, for the screenshots.
    await switchLanguageInCall(d, 'en');
    for (const mode of ['listen', 'whisper', 'barge'] as const) {
      if (mode !== 'listen') expect(await sup.info(supId, FLOOR_CONTENT_TYPE, f.sign(ref, mode))).toBe(200);
      await expect(f.desk.getByRole('status', { name: STRINGS.en.monitor.notice.badge })).toContainText(STRINGS.en.monitor.notice[mode]);
      await d.snap(`monitor-${mode}`);
    }
    await switchLanguageInCall(d, 'ja');

    // The call ends: so does the monitor session.
    await caller.hangup(callerId);
    await sup.waitState(supId, 'Terminated');
    await expect(notice).toHaveCount(0);

    const audit = await callApi(f.harness, 'getAudit', { limit: 50 });
    const monitorEvents = audit.events.filter((e) => e.type.startsWith('monitor-')).map((e) => `${e.type}:${e.reason ?? ''}`).reverse();
    expect(monitorEvents).toEqual([
      'monitor-started:listen',
      'monitor-mode:whisper',
      'monitor-mode:barge',
      'monitor-refused:replayed',
      'monitor-mode:listen',
      'monitor-mode:whisper',
      'monitor-mode:barge',
      'monitor-stopped:call-ended',
    ]);
  } finally {
    await sup.close();
    await caller.close();
  }
});

