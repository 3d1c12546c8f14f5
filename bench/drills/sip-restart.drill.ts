/**
 * The SIP server restarted during calls: the desk's line (the renderer's line code in Node, with the
 * signalling-only session description handler, as test/integration/line/* runs it) registered on a
 * Kamailio on loopback, in an answered call, when Kamailio is SIGKILLed at a random moment of the
 * call and started again — 20 times. Each time the line must register again by itself and the next
 * call must ring. A call that does not ring is a message lost (a caller nobody answers). Recovery:
 * the server ready again → the next call ringing on the desk (beside it: → registered).
 */
import { SessionState } from 'sip.js';
import { createLine } from '../../renderer/src/line/line.js';
import type { Call, Line, LineState } from '../../renderer/src/line/types.js';
import { startKamailio, type Kamailio } from '../../test/support/kamailio.js';
import { createNodeUa, sessionReaches, StubSessionDescriptionHandler, type NodeUa } from '../../test/support/sip-node-ua.js';
import { quantile, round, type BenchResult } from '../harness.js';
import { drillRows, QUICK, sleep, type Drill } from './drill-harness.js';

const RESTARTS = QUICK ? 3 : 20;
const RING_DEADLINE_MS = 15_000;

function waitFor(line: Line, predicate: (s: LineState) => boolean, what: string, timeoutMs: number): Promise<LineState> {
  if (predicate(line.state)) return Promise.resolve(line.state);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what} (registration ${line.state.registration}, reason ${line.state.reason})`));
    }, timeoutMs);
    const off = line.subscribe((s) => {
      if (!predicate(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

async function ringing(line: Line, timeoutMs: number): Promise<Call> {
  const known = new Set(line.calls.map((c) => c.id));
  const s = await waitFor(line, (st) => st.calls.some((c) => !known.has(c.id)), 'a call to ring', timeoutMs);
  return line.call(s.calls.find((c) => !known.has(c.id))!.id)!;
}

async function run(): Promise<BenchResult[]> {
  const kam: Kamailio = await startKamailio({ domain: 'kotozute.test' });
  const user = await kam.newUser('desk');
  const callerUser = await kam.newUser('caller');
  const line = createLine(
    { server: kam.wsUrl, aor: `sip:${user.user}@${kam.domain}`, authUser: user.user, password: user.password, displayName: 'Desk' },
    { sessionDescriptionHandlerFactory: () => new StubSessionDescriptionHandler(), log: () => {} },
  );
  const seen = new Set<string>();
  const offState = line.subscribe((s) => seen.add(`${s.registration}${s.reason ? `/${s.reason}` : ''}`));
  let caller: NodeUa | undefined;
  const newCaller = async () => {
    await caller?.stop();
    caller = await createNodeUa({ wsUrl: kam.wsUrl, domain: kam.domain, ...callerUser });
    await caller.register();
    return caller;
  };
  const toRing: number[] = [];
  const toRegistered: number[] = [];
  let missed = 0;
  let stillShown = 0;
  try {
    const first = await line.connect();
    if (first.registration !== 'registered') throw new Error(`the line did not register: ${first.registration} ${first.reason}`);
    // The first call, answered: the server goes down during it.
    let c = await newCaller();
    let ring = ringing(line, RING_DEADLINE_MS);
    let inviter = await c.call(user.user, { extraHeaders: ['X-Called-Number: 0312345678'] });
    let call = await ring;
    await call.answer();
    await sessionReaches(inviter, SessionState.Established);
    for (let i = 0; i < RESTARTS; i++) {
      await sleep(Math.random() * 500);
      await kam.kill();
      await kam.restart();
      const back = performance.now();
      await waitFor(line, (s) => s.registration === 'registered', 'the line to register again', RING_DEADLINE_MS)
        .then(() => toRegistered.push(performance.now() - back))
        .catch(() => undefined);
      // The interrupted call: its dialog died with the server (the media may well go on); the
      // operator hangs up once the line is back, as after any dropped call.
      if (line.calls.some((x) => x.id === call.info.id)) {
        stillShown += 1;
        await call.hangup().catch(() => undefined);
      }
      c = await newCaller();
      ring = ringing(line, RING_DEADLINE_MS);
      inviter = await c.call(user.user, { extraHeaders: ['X-Called-Number: 0312345678'] });
      try {
        call = await ring;
        toRing.push(performance.now() - back);
        await call.answer();
        await sessionReaches(inviter, SessionState.Established);
      } catch (err) {
        missed += 1;
        process.stderr.write(`  restart ${i + 1}: the next call did not ring — ${(err as Error).message}\n`);
        break;
      }
    }
    await call.hangup().catch(() => undefined);
    process.stdout.write(
      `  registered again p95 ${round(quantile(toRegistered, 0.95))} ms; line states seen: ${[...seen].join(', ')}; interrupted calls still shown once the line was back: ${stillShown} (hung up by the operator)\n`,
    );
    const name = 'drill:sip-restart';
    return [
      ...drillRows(name, { trials: RESTARTS, trialsUnit: 'restarts', lost: missed, duplicates: null, recoveryMs: toRing, recoveryWhat: 'server ready → next call rings' }),
      { name, metric: 'recovery p95 (server ready → registered)', value: round(quantile(toRegistered, 0.95)), unit: 'ms', target: null },
      { name, metric: 'interrupted calls still shown once the line was back', value: stillShown, unit: 'calls', target: null },
    ];
  } finally {
    offState();
    await caller?.stop();
    await line.disconnect();
    await kam.stop();
  }
}

const drill: Drill = { title: `the SIP server killed and restarted ${RESTARTS} times during answered calls`, run };
export default drill;
