/**
 * SIGKILL during hand-off: a child takes messages and hands them off while the outbox delivers them
 * to a loopback webhook receiver; it is killed at a random moment. The restart (the same data
 * directory, opened here) resumes the outbox, hands off what was ready, and must deliver every
 * message the child had finished, exactly once as the reader sees it (the receiver drops repeated
 * Idempotency-Keys; a repeat under a new key would be a duplicate delivered). Recovery: the kill →
 * every finished message delivered and its note wiped.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { idempotencyKeyFor } from '../../electron/main/services/outbox/job.js';
import { startHttpsReceiver, type HttpsReceiver } from '../../test/support/receivers/https-receiver.js';
import { loopbackCa } from '../../test/support/receivers/loopback-ca.js';
import type { BenchResult } from '../harness.js';
import { drillRows, killChild, QUICK, sleep, startChild, type Drill } from './drill-harness.js';
import { openHandOffDesk, type HandOffDesk, type HandOffDeskOptions } from './handoff-desk.js';

const TRIALS = QUICK ? 5 : 100;
const KILL_WINDOW_MS = 1_500;
const RECOVERY_DEADLINE_MS = 60_000;

/** Waits until the vault is empty (every note delivered and wiped) or the deadline passes. */
export async function drained(desk: HandOffDesk, deadlineMs: number): Promise<boolean> {
  const until = performance.now() + deadlineMs;
  while (performance.now() < until) {
    if (desk.vault.list().length === 0) return true;
    await sleep(5);
  }
  return false;
}

/** Messages delivered more than once as the reader sees them: the same note under more than one key, or one key twice. */
export function duplicatesDelivered(receiver: HttpsReceiver): number {
  return receiver.received.length - new Set(receiver.received.map((d) => d.idempotencyKey)).size;
}

async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kotozute-drill-handoff-'));
  const receiver = await startHttpsReceiver('webhook');
  const options: HandOffDeskOptions = {
    dir,
    kek: randomBytes(32).toString('base64'),
    storeKey: randomBytes(32).toString('base64'),
    channel: receiver.channel,
    secret: receiver.secret,
    ca: loopbackCa().ca,
    timeoutMs: 5_000,
  };
  const recovery: number[] = [];
  const finished = new Set<string>();
  let lost = 0;
  let n = 0;
  try {
    for (let t = 0; t < TRIALS; t++) {
      const child = startChild('handoff.ts', { ...options, first: n });
      await child.line((l) => l === 'started');
      await sleep(Math.random() * KILL_WINDOW_MS);
      const killedAt = await killChild(child);
      const ready = child.lines.filter((l) => l.startsWith('ready ')).map((l) => l.slice('ready '.length));
      n += ready.length + 1;
      for (const id of ready) finished.add(id);

      // The restart: the outbox resumes; what was ready is handed off, what was half-taken is discarded.
      const desk = openHandOffDesk(options);
      desk.service.outbox.start();
      for (const m of desk.vault.list()) {
        if (!finished.has(m.id)) desk.vault.wipe(m.id, 'discarded');
        else if (m.state === 'draft' || m.state === 'ready') {
          if (m.state === 'draft') desk.vault.setState(m.id, 'ready');
          desk.service.handOff(m.id);
        }
      }
      const ok = await drained(desk, RECOVERY_DEADLINE_MS);
      recovery.push(performance.now() - killedAt);
      if (!ok) process.stderr.write(`  trial ${t}: ${desk.vault.list().length} note(s) still undelivered after ${RECOVERY_DEADLINE_MS} ms\n`);
      await desk.close();
    }
    const keys = new Set(receiver.received.map((d) => d.idempotencyKey));
    for (const id of finished) if (!keys.has(idempotencyKeyFor(id, receiver.channel.id))) lost += 1;
    process.stdout.write(
      `  ${finished.size} messages finished before ${TRIALS} kills, ${receiver.received.length} delivered, ${receiver.duplicates} resends caught by the Idempotency-Key\n`,
    );
    return [
      ...drillRows('drill:sigkill-handoff', { trials: TRIALS, lost, duplicates: duplicatesDelivered(receiver), recoveryMs: recovery, recoveryWhat: 'kill → every finished message delivered, note wiped' }),
      { name: 'drill:sigkill-handoff', metric: 'resends caught by the Idempotency-Key', value: receiver.duplicates, unit: 'requests', target: null },
    ];
  } finally {
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const drill: Drill = { title: `SIGKILL during hand-off, ${TRIALS} kills at random moments`, run };
export default drill;
