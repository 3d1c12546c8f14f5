/**
 * The floor, measured the way a supervisor feels it (issue 9).
 *
 * - Desk state change → visible on the supervisor's board: 50 desks (test/support/floor-desk.ts:
 *   the renderer's line and reporter with main's floor service and a roster desk key, in Node)
 *   register on a Kamailio on loopback and report — heartbeats included — to a supervisor desk
 *   (dev-web harness paired to the same server, the board at `?view=floor` in Chromium) that watches
 *   them. For each sample one desk at random changes state (a new call for a client named for the
 *   sample); the time runs from the reporter being told (so the gathering of changes counts) to the
 *   end of the frame that shows the new state on that desk's row, observed from outside the app (a
 *   MutationObserver and frame callbacks installed before the page loads, as bench/support/paint-probe.ts
 *   does for calls). 200 samples, p95 ≤ 300 ms.
 * - Signature check of a state and of a watch token (floor-token.ts readToken with the roster's keys,
 *   parsed once): 20,000 each, p99 ≤ 1 ms.
 *
 * BENCH_QUICK=1 runs 10 desks and 20 samples, to try the bench itself (its figures then mean nothing).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import type { DeskStatePayload, WatchPayload } from '../shared/floor/wire.js';
import type { FloorReportArgs } from '../shared/ipc/floor-contract.js';
import { readToken, signToken } from '../electron/main/services/floor/floor-token.js';
import { RosterKeys } from '../electron/main/services/floor/roster-keys.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/e2e/support/chromium.js';
import { startHarness } from '../test/e2e/support/harness.js';
import { pairDesk } from '../test/e2e/support/live-desk.js';
import { floorFixtureFile, startFloorDesk, type FloorDesk } from '../test/support/floor-desk.js';
import { startKamailio, type SipUser } from '../test/support/kamailio.js';
import { makeRoster } from '../test/support/roster-fixture.js';
import { freshRenderer, collectGarbage, quantile, round, type Bench, type BenchResult } from './harness.js';
import { clockOffset, nowMs, sleep } from './support/page-clock.js';

const QUICK = process.env.BENCH_QUICK === '1';
const DESKS = QUICK ? 10 : 50;
const SAMPLES = QUICK ? 20 : 200;
const CHECKS = QUICK ? 2_000 : 20_000;
const TARGETS = { visibleP95: 300, checkP99: 1 };
/** Between samples: a random wait, so changes land anywhere in a frame and among the heartbeats. */
const SETTLE_MS = 40;
const JITTER_MS = 60;


/**
 * Runs in the page before the app: `__floorProbe.shown(text)` resolves with the end of the frame
 * that first shows `text` in the board's body (style, layout and paint done: a timeout queued from
 * that frame's callback). Nothing polls; a MutationObserver wakes it.
 */
function installFloorProbe(): void {
  const now = () => performance.timeOrigin + performance.now();
  let waiting: { text: string; resolve: (t: number) => void } | null = null;
  const check = () => {
    const w = waiting;
    if (!w) return;
    const body = document.querySelector('.floor-board-table tbody');
    if (!body?.textContent?.includes(w.text)) return;
    waiting = null;
    requestAnimationFrame(() => setTimeout(() => w.resolve(now()), 0));
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
  (window as unknown as { __floorProbe: unknown }).__floorProbe = {
    shown: (text: string, timeoutMs: number) =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`"${text}" not shown in ${timeoutMs} ms`)), timeoutMs);
        waiting = {
          text,
          resolve: (t) => {
            clearTimeout(timer);
            resolve(t);
          },
        };
        check();
      }),
  };
}

async function checkTimes(): Promise<{ state: number[]; watch: number[] }> {
  const fixture = await makeRoster({
    desks: Array.from({ length: 200 }, (_, i) => ({ id: `desk-${i}`, sipUri: `sip:desk-${i}@kotozute.test` })),
    people: [{ id: 'suzuki', roles: ['supervisor'], secret: 'correct horse battery' }],
  });
  const keys = new RosterKeys().use(fixture.roster);
  const t = Date.now();
  const state: DeskStatePayload = {
    kind: 'desk-state', v: 1, deskId: 'desk-17', seq: t, sentAt: t, person: 'suzuki', activity: 'talking', since: t,
    call: { ref: 'AAAAAAAAAAAAAAAAAAAAAA', client: { id: 'acme', name: 'アクメ商事株式会社' }, onHold: false, monitored: false },
    outbox: { pending: 1, failed: 0 }, line: 'registered',
  };
  const watch: WatchPayload = { kind: 'watch', v: 1, person: 'suzuki', watcherDesk: 'desk-0', deskId: 'desk-17', sentAt: t, nonce: randomBytes(16).toString('base64url'), leaseMs: 60_000 };
  const tokens = { state: signToken(state, fixture.deskKeys.get('desk-17')!), watch: signToken(watch, await fixture.personKey('suzuki')) };
  const out: { state: number[]; watch: number[] } = { state: [], watch: [] };
  for (const kind of ['state', 'watch'] as const) {
    collectGarbage();
    for (let i = 0; i < CHECKS; i++) {
      const start = performance.now();
      const read = readToken(tokens[kind], keys.keyOf);
      out[kind].push(performance.now() - start);
      if (!read.ok) throw new Error(`floor bench: a good ${kind} token was refused (${read.reason})`);
    }
  }
  return out;
}

const bench: Bench = {
  title: `${DESKS} desks report through Kamailio to a supervisor's board in Chromium; signature checks`,
  async run(): Promise<BenchResult[]> {
    const checks = await checkTimes();
    await freshRenderer();
    const kam = await startKamailio();
    const desks: FloorDesk[] = [];
    const dir = await mkdtemp(path.join(tmpdir(), 'kotozute-floor-bench-'));
    let harness: Awaited<ReturnType<typeof startHarness>> | undefined;
    let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
    try {
      const sup = await kam.newUser('sup');
      const users: SipUser[] = [];
      for (let i = 0; i < DESKS; i++) users.push(await kam.newUser('desk'));
      const uri = (u: SipUser) => `sip:${u.user}@${kam.domain}`;
      const fixture = await makeRoster({
        desks: [{ id: 'sup', sipUri: uri(sup), name: '監督席' }, ...users.map((u, i) => ({ id: `desk-${i}`, sipUri: uri(u), name: `${i + 1}番席` }))],
        people: [
          { id: 'op', roles: ['operator'], secret: '4821', name: 'オペレーター' },
          { id: 'suzuki', roles: ['supervisor'], secret: 'correct horse battery', name: '鈴木' },
        ],
      });
      const file = path.join(dir, 'floor.json');
      await writeFile(file, JSON.stringify(await floorFixtureFile(fixture, 'sup', 'suzuki')), { mode: 0o600 });
      harness = await startHarness({ env: { KOTOZUTE_FLOOR_FIXTURE: file }, readyTimeoutMs: 120_000 });
      await pairDesk(harness, { wsUrl: kam.wsUrl, domain: kam.domain, ...sup });
      for (const [i, user] of users.entries()) desks.push(await startFloorDesk({ server: kam, user, fixture, deskId: `desk-${i}`, person: 'op' }));
      const idle: FloorReportArgs = { activity: 'idle', since: Date.now(), call: null, line: 'registered' };
      for (const d of desks) d.reporter.update(idle);

      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'ja-JP' });
      // As text, with tsx's __name helper stubbed (the function is serialised out of this module).
      await page.addInitScript(`(() => { const __name = (f) => f; (${installFloorProbe.toString()})(); })();`);
      await page.goto(`${harness.origin}/?view=floor#token=${harness.token}`);
      // Every desk heard (after the page's first watches): the board's body lists them all as idle.
      await page.waitForFunction((n) => document.querySelectorAll('.floor-board-table tbody tr[data-status="idle"]').length === n, DESKS, { timeout: 60_000 });

      const visible: number[] = [];
      for (let n = 0; n < SAMPLES; n++) {
        await sleep(SETTLE_MS + Math.random() * JITTER_MS);
        const desk = desks[Math.floor(Math.random() * desks.length)]!;
        const text = `顧客${n.toString().padStart(4, '0')}`;
        const offset = await clockOffset(page);
        const shown = page.evaluate(([t, ms]) => (window as unknown as { __floorProbe: { shown(t: string, ms: number): Promise<number> } }).__floorProbe.shown(t, ms), [text, 5_000] as const);
        const start = nowMs();
        desk.reporter.update({ activity: 'talking', since: Date.now(), call: { ref: randomBytes(16).toString('base64url'), client: { id: `c${n}`, name: text }, onHold: false, monitored: false }, line: 'registered' });
        visible.push((await shown) - offset - start);
      }
      return [
        { name: 'floor', metric: `state change → visible on the board, p95 (${DESKS} desks)`, value: round(quantile(visible, 0.95)), unit: 'ms', target: TARGETS.visibleP95 },
        { name: 'floor', metric: 'state change → visible on the board, p50', value: round(quantile(visible, 0.5)), unit: 'ms', target: null },
        { name: 'floor', metric: 'state change → visible on the board, max', value: round(Math.max(...visible)), unit: 'ms', target: null },
        { name: 'floor', metric: 'signature check of a desk state, p99', value: round(quantile(checks.state, 0.99)), unit: 'ms', target: TARGETS.checkP99 },
        { name: 'floor', metric: 'signature check of a watch, p99', value: round(quantile(checks.watch, 0.99)), unit: 'ms', target: TARGETS.checkP99 },
      ];
    } finally {
      await browser?.close().catch(() => undefined);
      await Promise.all(desks.map((d) => d.stop().catch(() => undefined)));
      await harness?.stop().catch(() => undefined);
      await kam.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
