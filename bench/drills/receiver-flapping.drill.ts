/**
 * Hand-off receiver flapping: 200 messages queued, then the webhook receiver cycles through outages
 * — down (connections refused), 429 with Retry-After, 500, hanging, taking the message and hanging
 * (the confirmation lost), and a random mix of all of them — each followed by a healthy spell, for
 * a bounded time (10 minutes; DRILL_QUICK=1: 1 minute with a short back-off and timeout). The
 * operator keeps handing off a message every few seconds throughout. Real hand-off service, sealed
 * outbox, vault and TLS webhook; the desk's own back-off and timeout in the full run.
 *
 * Every message must reach the reader exactly once (the receiver drops repeated Idempotency-Keys and
 * counts them; a message under two keys would show as a duplicate delivered). Recovery, per outage:
 * the receiver healthy again → every message handed off before that delivered.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { idempotencyKeyFor } from '../../electron/main/services/outbox/job.js';
import { startHttpsReceiver, type Behaviour, type HttpsReceiver } from '../../test/support/receivers/https-receiver.js';
import { loopbackCa } from '../../test/support/receivers/loopback-ca.js';
import type { BenchResult } from '../harness.js';
import { drillRows, QUICK, sleep, type Drill } from './drill-harness.js';
import { openHandOffDesk } from './handoff-desk.js';
import { drained, duplicatesDelivered } from './sigkill-handoff.drill.js';

const QUEUED = 200;
const DURATION_MS = Number(process.env.DRILL_FLAP_MS ?? (QUICK ? 60_000 : 10 * 60_000));
const OUTAGE_MS = QUICK ? 4_000 : 40_000;
const HEALTHY_MS = QUICK ? 6_000 : 60_000;
const NEW_MESSAGE_EVERY_MS = QUICK ? 500 : 3_000;
/** Quick runs shrink the desk's 15 s timeout and 2 s…5 min back-off so a minute shows several outages. */
const QUICK_DESK = { timeoutMs: 1_500, backoff: { baseMs: 200, maxMs: 2_000 } };
/** After the flapping: the longest back-off plus a timed-out attempt, and slack. */
const DRAIN_DEADLINE_MS = QUICK ? 30_000 : 6 * 60_000 + 30_000;

type Outage = 'down' | 'rate-limited' | 'server-error' | 'hang' | 'deliver-then-hang' | 'mixed';
const OUTAGES: readonly Outage[] = ['down', 'rate-limited', 'server-error', 'hang', 'deliver-then-hang', 'mixed'];

function behaviours(outage: Exclude<Outage, 'down'>): Behaviour[] {
  const pick = (): Behaviour => {
    const kind = outage === 'mixed' ? (['succeed', 'rate-limited', 'server-error', 'hang', 'deliver-then-hang'] as const)[Math.floor(Math.random() * 5)]! : outage;
    return kind === 'rate-limited' ? { rateLimit: QUICK ? '1' : '5' } : kind;
  };
  return Array.from({ length: 5_000 }, pick);
}

async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kotozute-drill-flap-'));
  const receiver: HttpsReceiver = await startHttpsReceiver('webhook');
  const desk = openHandOffDesk({
    dir,
    kek: randomBytes(32).toString('base64'),
    storeKey: randomBytes(32).toString('base64'),
    channel: receiver.channel,
    secret: receiver.secret,
    ca: loopbackCa().ca,
    ...(QUICK ? QUICK_DESK : {}),
  });
  const handedAt = new Map<string, number>();
  const deliveredAt = new Map<string, number>();
  desk.service.outbox.onChange((jobs) => {
    for (const j of jobs) if (j.state === 'delivered' && !deliveredAt.has(j.noteId)) deliveredAt.set(j.noteId, performance.now());
  });
  let n = 0;
  const handOff = () => {
    const id = desk.takeMessage(n++);
    desk.service.handOff(id);
    handedAt.set(id, performance.now());
  };
  const healthyFrom: number[] = [];
  let operator: NodeJS.Timeout | undefined;
  try {
    for (let i = 0; i < QUEUED; i++) handOff();
    const start = performance.now();
    desk.service.outbox.start();
    operator = setInterval(handOff, NEW_MESSAGE_EVERY_MS);
    for (let cycle = 0; performance.now() - start < DURATION_MS; cycle++) {
      const outage = OUTAGES[cycle % OUTAGES.length]!;
      if (outage === 'down') await receiver.down();
      else receiver.script(behaviours(outage), 'succeed');
      await sleep(Math.min(OUTAGE_MS, Math.max(0, DURATION_MS - (performance.now() - start))));
      // Healthy again: what hangs is cut off (as a receiver restart would), the port is open.
      await receiver.down();
      receiver.script([], 'succeed');
      await receiver.up();
      healthyFrom.push(performance.now());
      await sleep(Math.min(HEALTHY_MS, Math.max(0, DURATION_MS - (performance.now() - start))));
    }
    clearInterval(operator);
    operator = undefined;
    const ok = await drained(desk, DRAIN_DEADLINE_MS);
    if (!ok) process.stderr.write(`  ${desk.vault.list().length} message(s) still undelivered ${DRAIN_DEADLINE_MS} ms after the flapping\n`);

    const keys = new Set(receiver.received.map((d) => d.idempotencyKey));
    const lost = [...handedAt.keys()].filter((id) => !keys.has(idempotencyKeyFor(id, receiver.channel.id))).length;
    const recovery = healthyFrom.map((h) => {
      const before = [...handedAt].filter(([, at]) => at < h).map(([id]) => deliveredAt.get(id) ?? Number.POSITIVE_INFINITY);
      return Math.max(0, ...before) - h;
    });
    const faulty = receiver.requests.filter((r) => r.behaviour !== 'succeed').length;
    process.stdout.write(
      `  ${handedAt.size} messages (${QUEUED} queued at the start) through ${healthyFrom.length} outages in ${Math.round(DURATION_MS / 1000)} s: ` +
        `${receiver.requests.length} requests (${faulty} met a fault), ${receiver.received.length} delivered, ${receiver.duplicates} resends caught by the Idempotency-Key\n`,
    );
    const name = 'drill:receiver-flapping';
    return [
      ...drillRows(name, { trials: handedAt.size, trialsUnit: 'messages', lost, duplicates: duplicatesDelivered(receiver), recoveryMs: recovery, recoveryWhat: 'receiver healthy → backlog delivered' }),
      { name, metric: 'outages', value: healthyFrom.length, unit: 'outages', target: null },
      { name, metric: 'resends caught by the Idempotency-Key', value: receiver.duplicates, unit: 'requests', target: null },
    ];
  } finally {
    if (operator) clearInterval(operator);
    await desk.close();
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const drill: Drill = { title: `hand-off receiver flapping for ${Math.round(DURATION_MS / 1000)} s with ${QUEUED} messages queued`, run };
export default drill;
