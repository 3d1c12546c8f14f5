/**
 * The scheduled clearance under a ±1 h jump, with the real scheduler (its `now` the jumping wall
 * clock, its timers kept on the real clock as setTimeout keeps them) over the real vault; the
 * clearance itself stands in for clearDesk (its keychain rotation is drilled by sigkill-clearance):
 * it records the due time, the desk's notes are wiped as cleared. Three kinds of trial, 22:00
 * Asia/Tokyo, on a new day each:
 * - forward: the clock jumps from 21:xx over 22:00 → cleared once; later it jumps back over 22:00
 *   and real time passes 22:00 again → not cleared again;
 * - back: cleared at 22:00, then the clock jumps back over it → not cleared again;
 * - undelivered: a typed note waits for its hand-off when the clock jumps over 22:00 → "needs
 *   attention", nothing wiped; once delivered → cleared once.
 * Lost: an undelivered note gone or changed before it was delivered. Cleared twice: a due time
 * cleared more than once (its own row: no message is delivered here). Recovery: the clearance became due (jumped over, reached, or the note delivered) →
 * cleared, on the real clock (simulated; looks every 60 s).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openAuditLog } from '../../../electron/main/services/audit/audit-log.js';
import { createDeskAttention } from '../../../electron/main/services/clearance/attention.js';
import { undeliveredItems } from '../../../electron/main/services/clearance/clearance.js';
import { createClearanceScheduler, type ScheduleState } from '../../../electron/main/services/clearance/scheduler.js';
import { nullLogger } from '../../../electron/main/services/log.js';
import { openVaultWithKek } from '../../../electron/main/services/vault/vault.js';
import type { DeletionRecord, ScheduleRef } from '../../../shared/clearance/schema.js';
import type { BenchResult } from '../../harness.js';
import { drillRows } from '../drill-harness.js';
import { HOUR, MINUTE, simClock } from './sim-clock.js';

/** 22:00 Asia/Tokyo on 2026-12-05; trial t runs on the day t later. */
const FIRST_DUE = Date.parse('2026-12-05T13:00:00Z');
const DAY = 24 * HOUR;
const KINDS = ['forward', 'back', 'undelivered'] as const;

export async function clearanceRows(trials: number): Promise<BenchResult[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kotozute-drill-clock-clearance-'));
  const clock = simClock(FIRST_DUE - 2 * HOUR);
  const audit = openAuditLog({ dir: path.join(dir, 'audit'), now: clock.wall });
  const vault = openVaultWithKek({ dir: path.join(dir, 'vault'), kek: randomBytes(32), audit, log: nullLogger, now: clock.wall, monotonic: clock.monotonic });
  const attention = createDeskAttention(() => clock.wall().getTime());
  const cleared: Array<{ schedule: ScheduleRef; at: number }> = [];
  let state: ScheduleState | null = { watermark: FIRST_DUE - DAY };
  let lastClearedAt: number | null = null;
  const timers: Array<{ fn: () => void; at: number }> = [];
  const scheduler = createClearanceScheduler({
    policy: () => ({ dailyAt: '22:00', timeZone: 'Asia/Tokyo' }),
    now: () => clock.wall().getTime(),
    state: { load: () => state, save: (s) => (state = s) },
    lastClearedAt: () => lastClearedAt,
    busy: () => false,
    // As the desk counts them (desk-clearance-handlers.ts); no outbox jobs here.
    undelivered: () => {
      const items = undeliveredItems(vault.list(), []);
      return { undelivered: items.length, failed: items.filter((i) => i.state === 'failed').length };
    },
    clear: async (schedule) => {
      vault.wipeMany(vault.list().map((n) => n.id), 'cleared');
      cleared.push({ schedule, at: clock.real });
      lastClearedAt = clock.wall().getTime();
      return { seq: cleared.length } as DeletionRecord;
    },
    attention,
    log: nullLogger,
    // setTimeout counts real time, whatever the wall clock does.
    setTimer: (fn, ms) => {
      const timer = { fn, at: clock.real + ms };
      timers.push(timer);
      return timer;
    },
    clearTimer: (h) => {
      const i = timers.indexOf(h as (typeof timers)[number]);
      if (i >= 0) timers.splice(i, 1);
    },
  });
  /** Real time passes up to the next timer, which fires; resolves once its look is over (the scheduler re-armed). */
  const look = async () => {
    const timer = timers.shift();
    if (!timer) throw new Error('the scheduler armed no timer');
    clock.real = Math.max(clock.real, timer.at);
    timer.fn();
    for (let spins = 0; timers.length === 0; spins++) {
      if (spins > 10_000) throw new Error('the scheduler did not arm its next look');
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  /** Looks until real time reaches `until` (or `stop` says so). */
  const lookUntil = async (until: number, stop: () => boolean = () => false) => {
    while (clock.real < until && !stop()) await look();
  };

  let lost = 0;
  let duplicates = 0;
  const missed: string[] = [];
  let attentionRaised = 0;
  const recovery: number[] = [];
  try {
    await scheduler.start();
    for (let t = 0; t < trials; t++) {
      const kind = KINDS[t % KINDS.length]!;
      const due = FIRST_DUE + t * DAY;
      const dueIso = new Date(due).toISOString();
      const before = cleared.length;
      // Each trial begins at 21:00–21:59, the clock right.
      clock.offset = 0;
      await lookUntil(due - HOUR + Math.floor(Math.random() * 59) * MINUTE);
      let memo: string | null = null;
      let noteId: string | null = null;
      if (kind === 'undelivered') {
        const call = { did: '0312345678', callerName: 'ヤマダ', callerNumber: '09012345678', receivedAt: clock.wall().toISOString() };
        noteId = vault.create({ callId: `clear-${t}`, clientId: 'drill-client', training: false, call }).id;
        memo = `伝言 ${t}`;
        vault.save(noteId, { memo });
        vault.setState(noteId, 'ready');
      }
      let possibleAt: number;
      if (kind === 'back') {
        await lookUntil(due + HOUR, () => cleared.length > before);
        possibleAt = due;
        // Some minutes after 22:00, the clock jumps back over it.
        await lookUntil(clock.real + Math.floor(Math.random() * 50) * MINUTE);
        clock.offset -= HOUR;
      } else {
        clock.offset += HOUR;
        possibleAt = clock.real;
      }
      if (kind === 'undelivered') {
        // The jump is seen; the note waits a while longer for its hand-off.
        await lookUntil(clock.real + (2 + Math.floor(Math.random() * 20)) * MINUTE);
        if (cleared.length > before) missed.push(`${dueIso}: cleared while a note was undelivered`);
        if (attention.current()?.source === 'schedule') attentionRaised += 1;
        const still = vault.list().find((n) => n.id === noteId);
        if (!still || vault.read(noteId!).content.fields.memo !== memo) lost += 1;
        else {
          vault.setState(noteId!, 'handing-off');
          vault.setState(noteId!, 'delivered');
          vault.wipe(noteId!, 'delivered');
        }
        possibleAt = clock.real;
      }
      // Until the day's clearance is done, then on for two hours of real time.
      await lookUntil(clock.real + 2 * HOUR, () => cleared.length > before);
      const done = cleared[before];
      if (done) recovery.push(done.at - possibleAt);
      if (kind === 'forward') {
        // Back over 22:00 (the wall clock reads the real time again) and on past it.
        clock.offset -= HOUR;
      }
      await lookUntil(clock.real + 2 * HOUR);
      const ofDay = cleared.slice(before).filter((c) => c.schedule.due === dueIso).length;
      if (ofDay === 0) missed.push(`${dueIso} (${kind}): never cleared`);
      duplicates += Math.max(0, ofDay - 1);
      if (cleared.length - before !== ofDay) missed.push(`${dueIso} (${kind}): cleared for another due time`);
    }
    const undeliveredTrials = Array.from({ length: trials }, (_, t) => KINDS[t % KINDS.length]).filter((k) => k === 'undelivered').length;
    process.stdout.write(
      `  clearance: ${trials} jumps: ${cleared.length} clearance(s) for ${trials} due times, ${duplicates} twice, ` +
        `"needs attention" raised ${attentionRaised}/${undeliveredTrials} times a note was undelivered${missed.length ? `; ${missed.slice(0, 3).join('; ')}` : ''}\n`,
    );
    const name = 'drill:clock-jump:clearance';
    return [
      ...drillRows(name, { trials, trialsUnit: 'jumps', lost, duplicates: null, recoveryMs: recovery, recoveryWhat: 'clearance due → cleared, simulated clock, looks every 60 s' }),
      { name, metric: 'due times cleared twice', value: duplicates, unit: 'days', target: 0 },
      { name, metric: 'due times not cleared exactly once (or cleared while a note was undelivered)', value: missed.length, unit: 'days', target: 0 },
      { name, metric: '"needs attention" not raised for an undelivered note', value: undeliveredTrials - attentionRaised, unit: 'jumps', target: 0 },
    ];
  } finally {
    scheduler.stop();
    vault.close();
    audit.close();
    await rm(dir, { recursive: true, force: true });
  }
}
