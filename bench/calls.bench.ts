/**
 * Real calls through Kamailio on loopback, against the desk in Chromium (real sip.js, the dev-web
 * harness with the 5,000-client directory):
 *
 * - INVITE sent by a caller → the client's script painted on the operator's screen
 *   (`document.body.dataset.popFrameAt`, stamped by the renderer in the animation frame that shows
 *   the committed pop), 200 calls: p50 ≤ 20 ms, p95 ≤ 40 ms. Reported beside it: the same frame
 *   produced (`popPaintedAt`: its style, layout and paint done), a few ms later. The caller's and the
 *   page's clocks are lined up by a round-trip calibration before each measurement.
 * - Kamailio killed and started again → the desk registered again (its contact back in the
 *   registrar), measured from the moment the server is back: p95 ≤ 3 s.
 * - Renderer JS heap (after a forced GC, CDP) after 500 calls ≤ 1.2 × the heap after 10 calls.
 *
 * Callers are signalling-only sip.js user agents in Node (stub session description handler); each
 * call is cancelled once painted, so the desk never answers and no media is needed (no network
 * namespace). The harness needs a built renderer (built here if dist/renderer is missing).
 */
import { chromium, type Page } from '@playwright/test';
import type { Inviter } from 'sip.js';
import { generateAdminKeyPair, signDirectory } from '../electron/main/services/directory/bundle.js';
import { buildWebRenderer, CHROMIUM_ARGS, CHROMIUM_PATH, rendererBuilt } from '../test/e2e/support/chromium.js';
import { startHarness } from '../test/e2e/support/harness.js';
import { pairDesk, registeredContacts } from '../test/e2e/support/live-desk.js';
import { generateDirectory } from '../test/support/generate-directory.js';
import { startKamailio, type Kamailio } from '../test/support/kamailio.js';
import { createNodeUa } from '../test/support/sip-node-ua.js';
import { quantile, round, type Bench, type BenchResult } from './harness.js';

const CLIENTS = 5_000;
const TIMED_CALLS = 200;
const HEAP_BASE_CALLS = 10;
const HEAP_CALLS = 500;
const RESTARTS = 10;
/** Pause before each call so the previous call's teardown is not billed to this one. */
const SETTLE_MS = 60;
const TARGETS = { p50: 20, p95: 40, reregisterP95: 3000, heapRatio: 1.2 };

/** Wall-clock milliseconds with sub-millisecond resolution, comparable to the page's. */
const nowMs = () => performance.timeOrigin + performance.now();

/** The page's clock minus ours, from the tightest of a few round trips. */
async function clockOffset(page: Page): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 5; i++) {
    const before = nowMs();
    const pageNow = await page.evaluate(() => performance.timeOrigin + performance.now());
    const after = nowMs();
    if (after - before < best.rtt) best = { rtt: after - before, offset: pageNow - (before + after) / 2 };
  }
  return best.offset;
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 20): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`calls bench: ${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function heapBytes(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    return usage.usedSize;
  } finally {
    await cdp.detach();
  }
}

const bench: Bench = {
  title: `real calls through Kamailio to the desk in Chromium (${CLIENTS} clients): pop, re-registration, heap`,
  async run(): Promise<BenchResult[]> {
    if (!rendererBuilt()) buildWebRenderer();
    const directory = generateDirectory({ clients: CLIENTS });
    const keys = generateAdminKeyPair();
    // Provisioned as a floor's desks get it: a live desk pops only from its provisioned directory.
    const signed = { bundle: signDirectory(JSON.stringify(directory), keys.privateKeyPem).toString('utf8'), publicKeyPem: keys.publicKeyPem };

    let kam: Kamailio | undefined;
    const harness = await startHarness({ readyTimeoutMs: 120_000 });
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    try {
      kam = await startKamailio();
      const server = kam;
      const deskUser = await server.newUser('desk');
      await pairDesk(harness, { wsUrl: server.wsUrl, domain: server.domain, ...deskUser }, {}, signed);
      const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'ja-JP' })).newPage();
      await page.goto(harness.url);
      await waitUntil('the desk registering', async () => (await registeredContacts(server, deskUser.user)) === 1, 30_000, 50);

      const callerUser = await server.newUser('caller');
      const caller = await createNodeUa({ wsUrl: server.wsUrl, domain: server.domain, ...callerUser, displayName: '山田 太郎' });
      await caller.register();

      /** One call: INVITE → pop frame started and produced (ms), checked against the expected client; then CANCEL and wait for idle. */
      const oneCall = async (n: number): Promise<{ frame: number; painted: number }> => {
        const client = directory.clients[(n * 7919) % CLIENTS]!;
        const did = client.dids[n % client.dids.length]!;
        await page.evaluate(() => {
          delete document.body.dataset.popPaintedAt;
          delete document.body.dataset.popFrameAt;
        });
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        const offset = await clockOffset(page);
        const sent = nowMs();
        const inviter: Inviter = await caller.call(deskUser.user, { extraHeaders: [`X-Called-Number: ${did}`] });
        const painted = await page.waitForFunction(
          () => {
            const { popFrameAt, popPaintedAt } = document.body.dataset;
            const name = document.querySelector('.call-ringing .client-name')?.textContent;
            return popFrameAt && popPaintedAt && name
              ? { frame: Number(popFrameAt) + performance.timeOrigin, painted: Number(popPaintedAt) + performance.timeOrigin, name }
              : null;
          },
          undefined,
          { polling: 'raf', timeout: 10_000 },
        );
        const { frame, painted: producedAt, name } = (await painted.jsonValue())!;
        if (name !== client.name) throw new Error(`calls bench: call ${n} popped "${name}", expected "${client.name}"`);
        await inviter.cancel();
        await page.locator('.call-ringing').waitFor({ state: 'detached', timeout: 10_000 });
        return { frame: frame - offset - sent, painted: producedAt - offset - sent };
      };

      const samples: number[] = [];
      const produced: number[] = [];
      let heapBase = 0;
      for (let n = 0; n < HEAP_CALLS; n++) {
        const ms = await oneCall(n);
        if (n + 1 === HEAP_BASE_CALLS) heapBase = await heapBytes(page);
        if (n >= HEAP_BASE_CALLS && samples.length < TIMED_CALLS) {
          samples.push(ms.frame);
          produced.push(ms.painted);
        }
      }
      const heapAfter = await heapBytes(page);
      await caller.stop();

      // Server restarts: killed, down a moment, started again on the same ports.
      const reregister: number[] = [];
      for (let i = 0; i < RESTARTS; i++) {
        await server.kill();
        await new Promise((r) => setTimeout(r, 500));
        await server.restart();
        const back = performance.now();
        await waitUntil('the desk registering again', async () => (await registeredContacts(server, deskUser.user)) === 1, 60_000, 10);
        reregister.push(performance.now() - back);
      }

      const r = (metric: string, value: number, unit: string, target: number | null): BenchResult => ({ name: 'calls', metric, value: round(value), unit, target });
      return [
        r('INVITE → script painted p50', quantile(samples, 0.5), 'ms', TARGETS.p50),
        r('INVITE → script painted p95', quantile(samples, 0.95), 'ms', TARGETS.p95),
        r('INVITE → script painted max', Math.max(...samples), 'ms', null),
        r('INVITE → that frame produced p50', quantile(produced, 0.5), 'ms', null),
        r('INVITE → that frame produced p95', quantile(produced, 0.95), 'ms', null),
        r('server back → registered p50', quantile(reregister, 0.5), 'ms', null),
        r('server back → registered p95', quantile(reregister, 0.95), 'ms', TARGETS.reregisterP95),
        r(`heap after ${HEAP_BASE_CALLS} calls`, heapBase / 1_048_576, 'MB', null),
        r(`heap after ${HEAP_CALLS} calls`, heapAfter / 1_048_576, 'MB', null),
        r(`heap ${HEAP_CALLS} / ${HEAP_BASE_CALLS} calls`, heapAfter / heapBase, '×', TARGETS.heapRatio),
      ];
    } finally {
      await browser.close();
      await harness.stop();
      await kam?.stop();
    }
  },
};

export default bench;
