/**
 * The supervisor's own desk, end to end with real media (issue 9 §5–6): no test phone plays the
 * supervisor here. A real Kamailio; the caller (a test phone, 440 Hz), the operator desk (dev-web,
 * its place on the floor from the roster fixture, 880 Hz) and the supervisor desk (dev-web, the
 * roster fixture with 鈴木 signed in, paired to Kamailio, `?view=floor`, 1320 Hz), each in its own
 * Chromium process with its own fake microphone.
 *
 * The operator desk reports its state to the supervisor's watch; the test clicks 聞く / ささやく /
 * 参加 / 終了 on the operator's row of the supervisor's board, by role and accessible name, and proves
 * with spectral checks what the supervisor desk *plays* (the monitor panel's audio element) and what
 * the caller and the operator hear. In listen the supervisor's microphone is not sent at all: the
 * operator desk receives no 1320 Hz on the monitor session (and does, once the supervisor whispers).
 * Screenshots of the supervisor's board with the monitor panel in each mode, ja and en.
 *
 * Runs inside a private network namespace: npm run test:e2e:media
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { startKamailio, type Kamailio, type SipUser } from '../support/kamailio.js';
import { floorFixtureFile } from '../support/floor-desk.js';
import { makeRoster } from '../support/roster-fixture.js';
import { servePhonePage, type PhoneServer } from './support/caller-page/serve.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/chromium.js';
import { DeskPage, STRINGS, type UiLocale } from './support/desk-page.js';
import { openDesk } from './support/fixtures.js';
import { startHarness, type Harness } from './support/harness.js';
import { callApi, pairDesk, registeredContacts, watchPeerConnections } from './support/live-desk.js';
import { MEDIA_ARGS } from './support/media-args.js';
import { SCREENSHOTS } from './support/paths.js';
import { grantDeskPermissions } from './support/permissions.js';
import { PhonePage } from './support/phone-page.js';
import { sampleClient } from './support/sample-directory.js';
import { CALLER_HZ, FREQS, OPERATOR_HZ, SUPERVISOR_HZ, expectHearing, operatorHears, type Levels } from './support/hearing.js';
import { TONE_LEVELS_JS, toneWav } from './support/tone-levels.js';

const onlyLoopback = Object.entries(networkInterfaces()).every(([, addrs]) => (addrs ?? []).every((a) => a.internal));

/** A tone at or above this (dBFS, support/tone-levels.ts) is heard; at or below SILENT it is not. */
const LAW = sampleClient('sato-law');
const OPERATOR_DESK = '3番席';

interface Floor {
  kam: Kamailio;
  operatorHarness: Harness;
  supervisorHarness: Harness;
  phones: PhoneServer;
  opUser: SipUser;
  desk: Page;
  board: Page;
  callerBrowser: Browser;
}

const test = base.extend<object, { floorW: Floor }>({
  floorW: [
    async ({ playwright }, use) => {
      const dir = await mkdtemp(path.join(tmpdir(), 'kotozute-supervisor-'));
      const kam = await startKamailio();
      const opUser = await kam.newUser('desk-op');
      // Each dev-web desk keeps its own SIP password (keychain accounts are per data folder).
      const supUser = await kam.newUser('desk-sup');
      const fx = await makeRoster({
        desks: [
          { id: 'desk-op', sipUri: `sip:${opUser.user}@${kam.domain}`, name: OPERATOR_DESK },
          { id: 'desk-sup', sipUri: `sip:${supUser.user}@${kam.domain}`, name: '監督席' },
        ],
        people: [
          { id: 'suzuki', roles: ['supervisor'], secret: 'correct horse battery', name: '鈴木 監督' },
          { id: 'tanaka', roles: ['operator'], secret: '4821', name: '田中 一郎' },
        ],
      });
      const opFile = path.join(dir, 'operator.json');
      const supFile = path.join(dir, 'supervisor.json');
      await writeFile(opFile, JSON.stringify(await floorFixtureFile(fx, 'desk-op', 'tanaka')), { mode: 0o600 });
      await writeFile(supFile, JSON.stringify(await floorFixtureFile(fx, 'desk-sup', 'suzuki')), { mode: 0o600 });
      const launch = async (hz: number): Promise<Browser> => {
        const wav = path.join(dir, `${hz}.wav`);
        await writeFile(wav, toneWav(hz));
        return playwright.chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...MEDIA_ARGS, `--use-file-for-fake-audio-capture=${wav}`] });
      };
      const [callerBrowser, deskBrowser, boardBrowser] = await Promise.all([launch(CALLER_HZ), launch(OPERATOR_HZ), launch(SUPERVISOR_HZ)]);
      const operatorHarness = await startHarness({ env: { KOTOZUTE_FLOOR_FIXTURE: opFile } });
      const supervisorHarness = await startHarness({ env: { KOTOZUTE_FLOOR_FIXTURE: supFile } });
      const phones = await servePhonePage();
      try {
        await pairDesk(operatorHarness, { wsUrl: kam.wsUrl, domain: kam.domain, ...opUser });
        await pairDesk(supervisorHarness, { wsUrl: kam.wsUrl, domain: kam.domain, ...supUser });

        const deskContext = await deskBrowser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: { width: 1440, height: 900 } });
        await grantDeskPermissions(deskContext, operatorHarness.origin);
        const desk = await deskContext.newPage();
        await watchPeerConnections(desk);
        await openDesk(desk, operatorHarness);
        await expect.poll(() => registeredContacts(kam, opUser.user), { timeout: 15_000 }).toBe(1);

        const boardContext = await boardBrowser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: { width: 1440, height: 900 } });
        await grantDeskPermissions(boardContext, supervisorHarness.origin);
        const board = await boardContext.newPage();
        await board.goto(`${supervisorHarness.origin}/?view=floor#token=${supervisorHarness.token}`);
        await expect(board.getByRole('heading', { name: STRINGS.ja.floor.deskTitle, exact: true })).toBeVisible();
        await expect.poll(() => registeredContacts(kam, supUser.user), { timeout: 15_000 }).toBe(1);
        await use({ kam, operatorHarness, supervisorHarness, phones, opUser, desk, board, callerBrowser });
      } finally {
        await Promise.all([callerBrowser.close(), deskBrowser.close(), boardBrowser.close()]);
        await phones.close();
        await Promise.all([operatorHarness.stop(), supervisorHarness.stop()]);
        await kam.stop();
        await rm(dir, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});

test.skip(!onlyLoopback, 'media tests run inside a private network namespace: npm run test:e2e:media');

/** What the supervisor desk plays: its monitor panel's audio element, when it is playing and not muted. */
function supervisorPlays(board: Page, ms = 1500): Promise<number[]> {
  const streams = `[...document.querySelectorAll('audio[data-monitor-audio="supervisor"]')].filter((a) => !a.muted && !a.paused && a.srcObject).map((a) => a.srcObject)`;
  return board.evaluate(`(${TONE_LEVELS_JS})(${streams}, ${JSON.stringify(FREQS)}, ${ms})`);
}

/**
 * What the operator desk receives from the supervisor, before any mixing: the incoming audio of the
 * desk's newest open peer connection (the monitor session's; the call's is older).
 */
function operatorDeskReceivesFromSupervisor(desk: Page, ms = 1500): Promise<number[]> {
  const streams = `(() => { const open = window.__kzPeerConnections.filter((pc) => pc.connectionState !== 'closed'); const pc = open[open.length - 1]; return pc && open.length >= 2 ? pc.getReceivers().filter((r) => r.track && r.track.kind === 'audio').map((r) => new MediaStream([r.track])) : []; })()`;
  return desk.evaluate(`(${TONE_LEVELS_JS})(${streams}, ${JSON.stringify(FREQS)}, ${ms})`);
}

/** `sent`: the supervisor's microphone as it arrives at the operator desk (unmixed). */
type Heard = Levels<'caller' | 'operator' | 'supervisor' | 'sent'>;

async function measure(f: Floor, caller: PhonePage, callerId: string): Promise<Heard> {
  const [c, o, s, m] = await Promise.all([caller.toneLevels(callerId, FREQS), operatorHears(f.desk), supervisorPlays(f.board), operatorDeskReceivesFromSupervisor(f.desk)]);
  return { caller: c, operator: o, supervisor: s, sent: m };
}


/** The supervisor's board, in a language. */
class Board {
  locale: UiLocale = 'ja';
  constructor(readonly page: Page) {}
  get t() {
    return STRINGS[this.locale];
  }
  row() {
    return this.page.getByRole('row', { name: new RegExp(`^${OPERATOR_DESK}${this.t.floor.listSeparator}`) });
  }
  action(key: 'listenOn' | 'whisperOn' | 'bargeOn' | 'stopOn') {
    return this.row().getByRole('button', { name: this.t.floor[key].replace('{{desk}}', OPERATOR_DESK), exact: true });
  }
  panel() {
    return this.page.getByRole('region', { name: this.t.monitor.panel.title, exact: true });
  }
  /** The panel's status: the mode, on this desk and operator. */
  async panelSays(mode: 'listen' | 'whisper' | 'barge'): Promise<void> {
    const who = `${OPERATOR_DESK}${this.t.floor.listSeparator}田中 一郎`;
    await expect(this.panel().getByRole('status')).toHaveText(this.t.monitor.panel.state.active[mode].replace('{{who}}', who));
    await expect(this.panelMode(mode)).toHaveAttribute('aria-pressed', 'true');
  }
  panelMode(mode: 'listen' | 'whisper' | 'barge') {
    return this.panel().getByRole('button', { name: this.t.monitor.panel.mode[mode], exact: true });
  }
  async language(to: UiLocale): Promise<void> {
    await this.page.getByRole('group', { name: this.t.settings.language, exact: true }).getByRole('button', { name: STRINGS[to].settings[to], exact: true }).click();
    this.locale = to;
    await expect(this.page.getByRole('heading', { name: this.t.floor.deskTitle, exact: true })).toBeVisible();
  }
  async snap(name: string): Promise<void> {
    await mkdir(SCREENSHOTS, { recursive: true });
    await this.page.evaluate(() => document.fonts.ready.then(() => undefined));
    await this.page.screenshot({ path: path.join(SCREENSHOTS, `${this.locale}-supervisor-${name}.png`), fullPage: true, animations: 'disabled' });
  }
}

test('the supervisor desk listens, whispers, barges and stops from its board: who hears whom, and a listening supervisor’s microphone is not sent', async ({ floorW: f }) => {
  test.setTimeout(240_000);
  const d = new DeskPage(f.desk, 'ja');
  const b = new Board(f.board);
  // The operator desk is on the board, reporting (signed in: 田中), before any call.
  await expect(b.row()).toHaveAccessibleName(new RegExp(`^${OPERATOR_DESK}、田中 一郎、${STRINGS.ja.floor.status.idle}`), { timeout: 30_000 });
  await expect(b.action('listenOn')).toHaveCount(0);

  const caller = await PhonePage.open(f.callerBrowser, f.phones.url, f.kam, { prefix: 'caller', displayName: '山田 太郎' });
  try {
    const callerId = await caller.call(f.opUser.user, LAW.dids[0]!);
    await expect(d.ringing()).toBeVisible();
    await f.desk.keyboard.press('F2');
    await expect(d.inCall()).toBeVisible();
    await caller.waitState(callerId, 'Established');

    // The board: the operator's row shows the call (通話中, the client), with its actions.
    await expect(b.row()).toHaveAccessibleName(new RegExp(`^${OPERATOR_DESK}、田中 一郎、${STRINGS.ja.floor.status.talking} \\d+:\\d\\d、${LAW.name}`));
    await expect(b.panel()).toHaveCount(0);

    // 聞く: the supervisor desk plays caller + operator; nobody hears the supervisor, whose microphone is not even sent.
    await b.action('listenOn').click();
    await b.panelSays('listen');
    const notice = f.desk.getByRole('status', { name: STRINGS.ja.monitor.notice.badge });
    await expect(notice).toContainText(STRINGS.ja.monitor.notice.listen);
    await expect(d.ringing()).toHaveCount(0);
    // The operator desk now reports the call monitored: the row says so.
    await expect(b.row().getByText(STRINGS.ja.floor.monitored, { exact: true })).toBeVisible();
    await expectHearing('supervisor-calls', () => measure(f, caller, callerId), 'listen', {
      supervisor: { [CALLER_HZ]: true, [OPERATOR_HZ]: true },
      caller: { [OPERATOR_HZ]: true, [SUPERVISOR_HZ]: false },
      operator: { [CALLER_HZ]: true, [SUPERVISOR_HZ]: false },
      sent: { [SUPERVISOR_HZ]: false },
    });
    await b.snap('listen');

    // ささやく: the operator hears the supervisor, the caller does not.
    await b.action('whisperOn').click();
    await b.panelSays('whisper');
    await expect(notice).toContainText(STRINGS.ja.monitor.notice.whisper);
    await expectHearing('supervisor-calls', () => measure(f, caller, callerId), 'whisper', {
      supervisor: { [CALLER_HZ]: true, [OPERATOR_HZ]: true },
      caller: { [OPERATOR_HZ]: true, [SUPERVISOR_HZ]: false },
      operator: { [CALLER_HZ]: true, [SUPERVISOR_HZ]: true },
      sent: { [SUPERVISOR_HZ]: true },
    });
    await b.snap('whisper');

    // 参加: all three hear each other.
    await b.action('bargeOn').click();
    await b.panelSays('barge');
    await expect(notice).toContainText(STRINGS.ja.monitor.notice.barge);
    await expectHearing('supervisor-calls', () => measure(f, caller, callerId), 'barge', {
      supervisor: { [CALLER_HZ]: true, [OPERATOR_HZ]: true },
      caller: { [OPERATOR_HZ]: true, [SUPERVISOR_HZ]: true },
      operator: { [CALLER_HZ]: true, [SUPERVISOR_HZ]: true },
    });
    await b.snap('barge');

    // Back to 聞く from the panel: the microphone stops being sent again, without a new session.
    await b.panelMode('listen').click();
    await b.panelSays('listen');
    await expect(notice).toContainText(STRINGS.ja.monitor.notice.listen);
    await expectHearing('supervisor-calls', () => measure(f, caller, callerId), 'listen again', {
      supervisor: { [CALLER_HZ]: true, [OPERATOR_HZ]: true },
      caller: { [SUPERVISOR_HZ]: false },
      operator: { [SUPERVISOR_HZ]: false },
      sent: { [SUPERVISOR_HZ]: false },
    });

    // The same three modes in English, for the screenshots.
    await b.language('en');
    for (const mode of ['listen', 'whisper', 'barge'] as const) {
      if (mode !== 'listen') await b.action(mode === 'whisper' ? 'whisperOn' : 'bargeOn').click();
      await b.panelSays(mode);
      await b.snap(mode);
    }
    await b.language('ja');

    // 終了: the session ends, on both desks; the call goes on.
    await b.action('stopOn').click();
    await expect(b.panel()).toHaveCount(0);
    await expect(notice).toHaveCount(0);
    await expect(b.row().getByText(STRINGS.ja.floor.monitored, { exact: true })).toHaveCount(0);
    await expect(d.inCall()).toBeVisible();
    await expectHearing('supervisor-calls', () => measure(f, caller, callerId), 'stopped', {
      caller: { [OPERATOR_HZ]: true, [SUPERVISOR_HZ]: false },
      operator: { [CALLER_HZ]: true, [SUPERVISOR_HZ]: false },
    });
    await caller.hangup(callerId);
    await expect(b.row()).toHaveAccessibleName(new RegExp(`^${OPERATOR_DESK}、田中 一郎、(${STRINGS.ja.floor.status['wrap-up']}|${STRINGS.ja.floor.status.idle})`));

    const audit = await callApi(f.operatorHarness, 'getAudit', { limit: 50 });
    const monitorEvents = audit.events.filter((e) => e.type.startsWith('monitor-')).map((e) => `${e.type}:${e.reason ?? ''}`).reverse();
    expect(monitorEvents).toEqual([
      'monitor-started:listen',
      'monitor-mode:whisper',
      'monitor-mode:barge',
      'monitor-mode:listen',
      'monitor-mode:whisper',
      'monitor-mode:barge',
      'monitor-stopped:supervisor-left',
    ]);
  } finally {
    await caller.close();
  }
});
