/**
 * Supervisor clicks Listen → first audio of the mix received on the supervisor's side (issue 9:
 * p95 ≤ 1 s). Real components on loopback (`npm run bench` runs inside `unshare -n`): Kamailio; the
 * caller, the operator desk (dev-web harness with a roster made here, in a live call) and the
 * supervisor each in their own Chromium with their own tone (440 / 880 / 1320 Hz).
 *
 * One sample: the monitor request is signed (as the supervisor desk's main process does), the
 * supervisor's page sends the INVITE, the operator desk checks it in its main process, answers by
 * itself and builds its WebAudio mix; the clock stops at the first analyser frame in the supervisor's
 * page where the caller's 440 Hz stands out (≥ -60 dBFS). Then the supervisor hangs up and the next
 * sample starts once the desk has let the session go. The clock starts before the signing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from '@playwright/test';
import { MONITOR_HEADER } from '../shared/floor/wire.js';
import { signMonitorRequest } from '../electron/main/services/floor/monitor-gate.js';
import { floorFixtureFile } from '../test/support/floor-desk.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/e2e/support/chromium.js';
import { servePhonePage } from '../test/e2e/support/caller-page/serve.js';
import type { Phone } from '../test/e2e/support/caller-page/phone.js';
import { startHarness } from '../test/e2e/support/harness.js';
import { pairDesk, registeredContacts } from '../test/e2e/support/live-desk.js';
import { MEDIA_ARGS } from '../test/e2e/support/media-args.js';
import { toneWav } from '../test/e2e/support/tone-levels.js';
import { startKamailio } from '../test/support/kamailio.js';
import { fixtureIdentity, makeRoster } from '../test/support/roster-fixture.js';
import { freshRenderer, quantile, round, type Bench, type BenchResult } from './harness.js';

const QUICK = process.env.BENCH_QUICK === '1';
const SAMPLES = QUICK ? 3 : 30;
const TARGET_P95_MS = 1000;
const SAMPLE_TIMEOUT_MS = 5000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`monitor bench: timed out waiting for ${what}`);
}

type PhoneWindow = Window & { phone: Phone; __benchCtx?: AudioContext };

/** Opens the test phone in a page and registers it. */
async function openPhone(browser: Browser, url: string, account: { wsUrl: string; domain: string; user: string; password: string }): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await page.evaluate((o) => (window as unknown as PhoneWindow).phone.start({ ...o, displayName: o.user, autoAnswer: false }), account);
  return page;
}

const bench: Bench = {
  title: 'Listen → first audio of the mix at the supervisor (Kamailio, three Chromium processes, WebAudio mix)',
  async run(): Promise<BenchResult[]> {
    await freshRenderer();
    const dir = await mkdtemp(path.join(tmpdir(), 'kotozute-monitor-bench-'));
    const kam = await startKamailio();
    const browsers: Browser[] = [];
    const stops: Array<() => Promise<unknown>> = [];
    try {
      const opUser = await kam.newUser('desk-op');
      const supUser = await kam.newUser('desk-sup');
      const callerUser = await kam.newUser('caller');
      const fx = await makeRoster({
        desks: [
          { id: 'desk-op', sipUri: `sip:${opUser.user}@${kam.domain}` },
          { id: 'desk-sup', sipUri: `sip:${supUser.user}@${kam.domain}` },
        ],
        people: [{ id: 'sato', roles: ['supervisor'], secret: 'correct horse battery' }],
      });
      const floorFile = path.join(dir, 'floor.json');
      await writeFile(floorFile, JSON.stringify(await floorFixtureFile(fx, 'desk-op', null)), { mode: 0o600 });
      const supervisor = fixtureIdentity(fx, 'desk-sup');
      supervisor.signIn({ person: fx.roster.people[0]!, key: await fx.personKey('sato'), since: new Date() });

      const launch = async (hz: number): Promise<Browser> => {
        const wav = path.join(dir, `${hz}.wav`);
        await writeFile(wav, toneWav(hz));
        const b = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...MEDIA_ARGS, `--use-file-for-fake-audio-capture=${wav}`] });
        browsers.push(b);
        return b;
      };
      const [callerBrowser, deskBrowser, supBrowser] = await Promise.all([launch(440), launch(880), launch(1320)]);
      const harness = await startHarness({ env: { KOTOZUTE_FLOOR_FIXTURE: floorFile } });
      stops.push(() => harness.stop());
      const phones = await servePhonePage();
      stops.push(() => phones.close());
      await pairDesk(harness, { wsUrl: kam.wsUrl, domain: kam.domain, ...opUser });
      const deskContext = await deskBrowser.newContext({ locale: 'ja-JP' });
      await deskContext.grantPermissions(['microphone'], { origin: harness.origin });
      const desk = await deskContext.newPage();
      await desk.goto(harness.url);
      await until('the desk to register', async () => (await registeredContacts(kam, opUser.user)) === 1);

      const account = { wsUrl: kam.wsUrl, domain: kam.domain };
      const caller = await openPhone(callerBrowser, phones.url, { ...account, ...callerUser });
      const sup = await openPhone(supBrowser, phones.url, { ...account, ...supUser });
      await caller.evaluate((t) => (window as unknown as PhoneWindow).phone.call(t, ['X-Called-Number: 0355500101']), opUser.user);
      await desk.locator('.desk > .call-ringing').waitFor({ timeout: 15_000 });
      await desk.keyboard.press('F2');
      const ref = await desk.locator('[data-call-ref]').first().getAttribute('data-call-ref', { timeout: 15_000 });
      if (!ref) throw new Error('monitor bench: the desk shows no call ref');
      // The first AudioContext of a page costs ~300 ms (ENVIRONMENT.md): made before the clock runs.
      await sup.evaluate(() => {
        (window as unknown as PhoneWindow).__benchCtx = new AudioContext();
      });

      const samples: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const t0 = performance.timeOrigin + performance.now();
        const signed = signMonitorRequest(supervisor, { deskId: 'desk-op', callRef: ref, mode: 'listen' }, Date.now(), randomBytes(16).toString('base64url'));
        if (!signed.ok) throw new Error(signed.reason);
        const result = await sup.evaluate(
          async ({ target, header, timeoutMs }) => {
            const w = window as unknown as PhoneWindow;
            const ctx = w.__benchCtx!;
            await ctx.resume();
            const id = await w.phone.call(target, [header]);
            const start = performance.now();
            let stream: MediaStream | null = null;
            while (performance.now() - start < timeoutMs) {
              stream = w.phone.received(id);
              if (stream && stream.getAudioTracks().length > 0) break;
              await new Promise((r) => setTimeout(r, 2));
            }
            if (!stream || stream.getAudioTracks().length === 0) return { id, heardAt: null as number | null };
            const analyser = ctx.createAnalyser();
            analyser.fftSize = 2048;
            analyser.smoothingTimeConstant = 0;
            const source = ctx.createMediaStreamSource(stream);
            source.connect(analyser);
            const bins = new Float32Array(analyser.frequencyBinCount);
            const bin = Math.round(440 / (ctx.sampleRate / analyser.fftSize));
            let heardAt: number | null = null;
            while (performance.now() - start < timeoutMs) {
              analyser.getFloatFrequencyData(bins);
              if (Math.max(bins[bin - 1] ?? -200, bins[bin] ?? -200, bins[bin + 1] ?? -200) >= -60) {
                heardAt = performance.timeOrigin + performance.now();
                break;
              }
              await new Promise((r) => setTimeout(r, 5));
            }
            source.disconnect();
            return { id, heardAt };
          },
          { target: opUser.user, header: `${MONITOR_HEADER}: ${signed.token}`, timeoutMs: SAMPLE_TIMEOUT_MS },
        );
        samples.push(result.heardAt === null ? Number.POSITIVE_INFINITY : result.heardAt - t0);
        await sup.evaluate((id) => (window as unknown as PhoneWindow).phone.hangup(id), result.id);
        // The desk lets the session go (its notice disappears) before the next sample.
        await desk.locator('.monitored-notice').waitFor({ state: 'detached', timeout: 10_000 });
        await sleep(200);
      }
      const finite = samples.filter(Number.isFinite);
      return [
        { name: 'monitor', metric: 'listen → first mixed audio p50', value: round(quantile(finite, 0.5)), unit: 'ms', target: null },
        { name: 'monitor', metric: 'listen → first mixed audio p95', value: finite.length === samples.length ? round(quantile(samples, 0.95)) : Number.NaN, unit: 'ms', target: TARGET_P95_MS },
        { name: 'monitor', metric: 'samples', value: samples.length, unit: 'count', target: null },
      ];
    } finally {
      await Promise.all(browsers.map((b) => b.close().catch(() => undefined)));
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
      await kam.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
