/**
 * Retention under a ±1 h jump, with the real vault (its `now` the jumping wall clock, its
 * `monotonic` the real one) looked at every minute as the desk does (note-handlers.ts expireNow).
 * Each trial: an undelivered note (typed) and a delivered one, retention 2 h, the wall clock jumps at
 * a random moment of their life. Lost: the undelivered note destroyed before 2 h have really passed,
 * or no longer holding its text. Kept too long: the delivered note still there at a look a whole
 * minute after its 2 h really passed. Recovery: 2 h really passed → the delivered note destroyed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openAuditLog } from '../../../electron/main/services/audit/audit-log.js';
import { nullLogger } from '../../../electron/main/services/log.js';
import { openVaultWithKek } from '../../../electron/main/services/vault/vault.js';
import type { BenchResult } from '../../harness.js';
import { drillRows } from '../drill-harness.js';
import { directionOf, HOUR, jumpOf, MINUTE, simClock } from './sim-clock.js';

const RETENTION_HOURS = 2;
const RETENTION = RETENTION_HOURS * HOUR;
/** The desk looks every minute (note-handlers.ts EXPIRY_INTERVAL_MS). */
const LOOK = MINUTE;
/** A trial ends this long after the notes' retention really passed (the undelivered one may wait out a backward jump). */
const AFTER = 2 * HOUR;

export async function retentionRows(trials: number): Promise<BenchResult[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kotozute-drill-clock-retention-'));
  const clock = simClock(Date.parse('2026-12-05T00:00:00Z'));
  const audit = openAuditLog({ dir: path.join(dir, 'audit'), now: clock.wall });
  const vault = openVaultWithKek({ dir: path.join(dir, 'vault'), kek: randomBytes(32), audit, log: nullLogger, now: clock.wall, monotonic: clock.monotonic });
  const hours = () => RETENTION_HOURS;
  const early: string[] = [];
  const keptTooLong: string[] = [];
  const recovery: number[] = [];
  try {
    for (let t = 0; t < trials; t++) {
      const born = clock.real;
      const call = { did: '0312345678', callerName: 'ヤマダ', callerNumber: '09012345678', receivedAt: clock.wall().toISOString() };
      const memo = `伝言 ${t}`;
      const waiting = vault.create({ callId: `ret-w-${t}`, clientId: 'drill-client', training: false, call });
      vault.save(waiting.id, { memo });
      const delivered = vault.create({ callId: `ret-d-${t}`, clientId: 'drill-client', training: false, call });
      for (const state of ['ready', 'handing-off', 'delivered'] as const) vault.setState(delivered.id, state);
      // The jump lands anywhere in the notes' life, whole minutes (between two looks).
      const jumpAt = born + Math.ceil((Math.random() * RETENTION) / LOOK) * LOOK;
      let jumped = false;
      let deliveredGone: number | null = null;
      let waitingGone: number | null = null;
      while (clock.real < born + RETENTION + AFTER && (deliveredGone === null || waitingGone === null)) {
        clock.real += LOOK;
        if (!jumped && clock.real >= jumpAt) {
          clock.offset += jumpOf(t);
          jumped = true;
        }
        for (const m of vault.expire(clock.wall(), hours)) {
          if (m.id === delivered.id) deliveredGone = clock.real;
          if (m.id === waiting.id) waitingGone = clock.real;
        }
        if (waitingGone === null && vault.read(waiting.id).content.fields.memo !== memo) waitingGone = clock.real;
      }
      const age = (at: number | null) => (at === null ? Infinity : at - born);
      if (age(waitingGone) < RETENTION) early.push(directionOf(t));
      if (age(deliveredGone) > RETENTION + LOOK) keptTooLong.push(directionOf(t));
      if (deliveredGone !== null) recovery.push(Math.max(0, deliveredGone - (born + RETENTION)));
      // The next trial starts with the desk's clock right again, as after the next NTP sync.
      if (waitingGone === null) vault.wipe(waiting.id, 'cleared');
      if (deliveredGone === null) vault.wipe(delivered.id, 'cleared');
      clock.offset = 0;
    }
    process.stdout.write(
      `  retention: ${trials} jumps: ${early.length} undelivered note(s) destroyed early (${early.join(', ') || 'none'}), ` +
        `${keptTooLong.length} delivered note(s) kept past retention (${keptTooLong.join(', ') || 'none'})\n`,
    );
    const name = 'drill:clock-jump:retention';
    return [
      ...drillRows(name, { trials, trialsUnit: 'jumps', lost: early.length, duplicates: null, recoveryMs: recovery, recoveryWhat: 'retention really passed → delivered note destroyed, simulated clock, looks every 60 s' }),
      { name, metric: 'delivered notes kept past retention + one look', value: keptTooLong.length, unit: 'notes', target: 0 },
    ];
  } finally {
    vault.close();
    audit.close();
    await rm(dir, { recursive: true, force: true });
  }
}
