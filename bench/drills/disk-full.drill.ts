/**
 * Disk full under the data directory, while typing and while handing off: the desk's data directory
 * is a small tmpfs (mounted by the drill: root in its own mount namespace, `npm run drill` runs in
 * `unshare -m`), a filler file takes the last byte, and the operator goes on saving a note and
 * handing off messages; then the space comes back (the filler removed) and, at the end, the desk is
 * restarted on the same directory. Real vault (fsync), audit, sealed outbox, TLS webhook.
 *
 * Lost: a save that returned and is not there after the restart (or a note quarantined), or a
 * message whose hand-off was accepted, or that was left ready, that never reaches the receiver.
 * Recovery: space back → the next save succeeds and every accepted hand-off delivered.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { idempotencyKeyFor } from '../../electron/main/services/outbox/job.js';
import { startHttpsReceiver } from '../../test/support/receivers/https-receiver.js';
import { loopbackCa } from '../../test/support/receivers/loopback-ca.js';
import type { BenchResult } from '../harness.js';
import { drillRows, QUICK, sleep, type Drill } from './drill-harness.js';
import { openHandOffDesk, type HandOffDeskOptions } from './handoff-desk.js';
import { drained, duplicatesDelivered } from './sigkill-handoff.drill.js';

const TRIALS = QUICK ? 3 : 20;
const TMPFS_SIZE = '8m';

/** Writes zeros until the file system refuses (ENOSPC). */
function fill(file: string): void {
  const fd = fs.openSync(file, 'a');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (let size = chunk.length; size >= 1; ) {
      try {
        fs.writeSync(fd, chunk, 0, size);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        size = Math.floor(size / 2);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

const errorName = (err: unknown) => (err instanceof Error ? `${(err as NodeJS.ErrnoException).code ?? (err as { code?: string }).code ?? err.name}` : 'unknown');

async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kotozute-drill-diskfull-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE},mode=0700`, 'tmpfs', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    process.stdout.write(`  skipped: a tmpfs cannot be mounted here (${(err as Error).message.split('\n')[0]})\n`);
    return [];
  }
  const data = path.join(dir, 'data');
  const filler = path.join(dir, 'filler');
  const receiver = await startHttpsReceiver('webhook');
  const options: HandOffDeskOptions = {
    dir: data,
    kek: randomBytes(32).toString('base64'),
    storeKey: randomBytes(32).toString('base64'),
    channel: receiver.channel,
    secret: receiver.secret,
    ca: loopbackCa().ca,
    timeoutMs: 5_000,
    backoff: { baseMs: 200, maxMs: 2_000 },
  };
  const acked = new Map<string, number>();
  const accepted = new Set<string>();
  const errors = new Map<string, number>();
  const recovery: number[] = [];
  let refusedSaves = 0;
  let refusedHandOffs = 0;
  let lost = 0;
  let stuckTotal = 0;
  let desk = openHandOffDesk(options);
  desk.service.outbox.start();
  const note = (n: number) => {
    try {
      const id = desk.takeMessage(n);
      return id;
    } catch (err) {
      errors.set(`take: ${errorName(err)}`, (errors.get(`take: ${errorName(err)}`) ?? 0) + 1);
      return undefined;
    }
  };
  const typing = desk.vault.create({ callId: randomBytes(8).toString('hex'), clientId: 'drill-client', training: false, call: { did: '0312345678', callerName: 'ヤマダ', callerNumber: '09012345678', receivedAt: new Date().toISOString() } });
  let seq = 0;
  const save = () => {
    try {
      desk.vault.save(typing.id, { memo: `seq-${seq + 1} ${'折り返しをお願いします。'.repeat(20)}` });
      seq += 1;
      acked.set(typing.id, seq);
      return true;
    } catch (err) {
      refusedSaves += 1;
      errors.set(`save: ${errorName(err)}`, (errors.get(`save: ${errorName(err)}`) ?? 0) + 1);
      return false;
    }
  };
  let n = 0;
  try {
    for (let t = 0; t < TRIALS; t++) {
      // Messages finished while there is room; two are on their way when the disk fills.
      const ready = [0, 1, 2, 3, 4].map(() => note(n++)).filter((id): id is string => id !== undefined);
      for (const id of ready) accepted.add(id);
      for (const id of ready.slice(0, 2)) desk.service.handOff(id);
      fill(filler);
      // Typing, handing off and taking new messages on a full disk.
      for (let i = 0; i < 10; i++) save();
      for (const id of ready.slice(2)) {
        try {
          desk.service.handOff(id);
        } catch (err) {
          refusedHandOffs += 1; // still ready: the operator presses Hand off again once the disk has room
          errors.set(`hand-off: ${errorName(err)}`, (errors.get(`hand-off: ${errorName(err)}`) ?? 0) + 1);
        }
      }
      for (let i = 0; i < 2; i++) {
        const id = note(n++);
        if (id) {
          accepted.add(id);
          desk.service.handOff(id);
        }
      }
      await sleep(300); // deliveries (and their wipes) meet the full disk too
      fs.rmSync(filler);
      const back = performance.now();
      while (!save()) await sleep(5);
      for (const m of desk.vault.list()) {
        if (!accepted.has(m.id) || m.state !== 'ready') continue;
        try {
          desk.service.handOff(m.id);
        } catch (err) {
          errors.set(`hand-off after the space came back: ${errorName(err)}`, (errors.get(`hand-off after the space came back: ${errorName(err)}`) ?? 0) + 1);
        }
      }
      const ok = await drained({ vault: { list: () => desk.vault.list().filter((m) => accepted.has(m.id)) } } as typeof desk, 30_000);
      if (!ok) {
        const stuck = desk.vault.list().filter((m) => accepted.has(m.id));
        stuckTotal += stuck.length;
        process.stderr.write(`  trial ${t}: ${stuck.length} message(s) not delivered 30 s after the space came back: ${stuck.map((m) => `${m.state} [jobs: ${desk.service.outbox.list().filter((j) => j.noteId === m.id).map((j) => `${j.state} ${j.lastError ?? ''}`).join('; ') || 'none'}]`).join(', ')}\n`);
        for (const m of stuck) if (m.state === 'failed') desk.service.sendAgain(m.id);
      }
      recovery.push(performance.now() - back);
    }
    // The restart on the same directory.
    await desk.close();
    desk = openHandOffDesk(options);
    desk.service.outbox.start();
    lost += desk.vault.quarantined().length;
    const stored = Number(/^seq-(\d+)/.exec(desk.vault.read(typing.id).content.fields.memo ?? '')?.[1] ?? -1);
    if (stored < seq) lost += 1;
    for (const m of desk.vault.list()) if (accepted.has(m.id) && (m.state === 'ready' || m.state === 'failed')) desk.service.sendAgain(m.id);
    await drained({ vault: { list: () => desk.vault.list().filter((m) => accepted.has(m.id)) } } as typeof desk, 30_000);
    const keys = new Set(receiver.received.map((d) => d.idempotencyKey));
    lost += [...accepted].filter((id) => !keys.has(idempotencyKeyFor(id, receiver.channel.id))).length;
    process.stdout.write(
      `  ${TRIALS} times full: ${refusedSaves} saves and ${refusedHandOffs} hand-offs refused (errors: ${[...errors].map(([k, v]) => `${k} ×${v}`).join(', ') || 'none'}); ` +
        `${accepted.size} messages, ${receiver.received.length} delivered\n`,
    );
    const name = 'drill:disk-full';
    return [
      ...drillRows(name, { trials: TRIALS, lost, duplicates: duplicatesDelivered(receiver), recoveryMs: recovery, recoveryWhat: 'space back → saved and every hand-off delivered' }),
      { name, metric: 'messages not delivered and wiped 30 s after the space came back', value: stuckTotal, unit: 'messages', target: 0 },
      { name, metric: 'saves refused while full', value: refusedSaves, unit: 'saves', target: null },
      { name, metric: 'hand-offs refused while full', value: refusedHandOffs, unit: 'hand-offs', target: null },
    ];
  } finally {
    await desk.close().catch(() => undefined);
    await receiver.close();
    try {
      execFileSync('umount', [dir]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

const drill: Drill = { title: `disk full under the data directory while typing and handing off, ${TRIALS} times`, run };
export default drill;
