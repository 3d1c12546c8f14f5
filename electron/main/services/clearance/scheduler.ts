/**
 * The daily scheduled clearance (issue 10 §5, §6), in the main process, with its clock and timers
 * injected (tests drive it; no electron import).
 *
 * Never trusts a long timer: it looks again at least every `intervalMs` (a minute), and each look
 * computes the due time afresh from the wall clock (schedule.ts), so a laptop that slept through the
 * time or a clock that jumped is caught at the next look. What is done is kept as a watermark (the
 * last due time handled) in the desk's sealed store:
 *
 * - due time passed and not handled → the desk clears itself when nothing is undelivered (no
 *   settlements; the record says by "schedule" with the due time) — or, when something is, raises
 *   "needs attention" and looks again each interval (delivered meanwhile → cleared then);
 * - the page reports busy (a call, a note being typed) → waits, and runs once the page is idle;
 * - a shift lead cleared the desk after the due time → nothing more to do;
 * - the due time passed while the desk was off (or asleep) → the clearance runs at the next look —
 *   at start, before the desk's API exists, so before any note can be opened — and the record says
 *   `late: true`.
 *
 * The first time a desk sees a policy it starts counting from then: a due time before it never
 * clears a desk.
 */
import { z } from 'zod';
import type { AttentionCounts } from '../../../../shared/clearance/notice.js';
import type { DeletionRecord, ScheduleRef } from '../../../../shared/clearance/schema.js';
import type { ClearancePolicy } from '../../../../shared/roster/schema.js';
import type { Logger } from '../log.js';
import type { DeskAttention } from './attention.js';
import { nextDue, previousDue } from './schedule.js';

/** Looked at least this often, whatever the next due time. */
export const SCHEDULE_INTERVAL_MS = 60_000;
/** A due time first seen longer than this after it passed was missed (desk off or asleep): late. */
export const LATE_AFTER_MS = 2 * SCHEDULE_INTERVAL_MS;
/** The sealed store's key of the watermark. */
export const SCHEDULE_STATE_KEY = 'clearance.schedule';

export const ScheduleState = z.strictObject({
  /** Due times at or before this (epoch ms) are handled. */
  watermark: z.number().int().min(0).max(8.64e15),
});
export type ScheduleState = z.infer<typeof ScheduleState>;

export type ScheduleOutcome = 'no-policy' | 'started' | 'not-due' | 'cleared-by-hand' | 'busy' | 'unavailable' | 'needs-attention' | 'cleared' | 'failed';

export interface SchedulerDeps {
  /** The roster's policy now (the roster may change while the desk runs); null = none. */
  policy(): ClearancePolicy | null;
  now(): number;
  state: { load(): ScheduleState | null; save(state: ScheduleState): void };
  /** When this desk was last cleared (its last record), or null. */
  lastClearedAt(): number | null;
  /** Whether the page is busy (a call, a note being typed). */
  busy(): boolean;
  /** What is undelivered on the desk; null when its notes are not open (keychain, vault). */
  undelivered(): AttentionCounts | null;
  /** Clears the desk with no settlements, as the schedule; throws when refused. */
  clear(schedule: ScheduleRef): Promise<DeletionRecord>;
  attention: DeskAttention;
  log: Logger;
  /** Told after the desk cleared itself (the page shows the notice). */
  onCleared?(record: DeletionRecord): void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  intervalMs?: number;
}

export interface ClearanceScheduler {
  /** The first look (awaited at start: a missed clearance runs before the API exists), then the timer. */
  start(): Promise<ScheduleOutcome>;
  /** Looks now (the page went idle, the roster changed, the computer woke). Serialised: never two at once. */
  check(): Promise<ScheduleOutcome>;
  /** The due time waiting to run (busy, or something undelivered), or null. */
  pending(): ScheduleRef | null;
  stop(): void;
}

export function createClearanceScheduler(deps: SchedulerDeps): ClearanceScheduler {
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
  const clearTimer = deps.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const interval = deps.intervalMs ?? SCHEDULE_INTERVAL_MS;
  const startedAt = deps.now();
  let waiting: ScheduleRef | null = null;
  let timer: unknown = null;
  let stopped = false;
  let running: Promise<ScheduleOutcome> | null = null;
  let again = false;

  const arm = (): void => {
    if (stopped) return;
    if (timer !== null) clearTimer(timer);
    const policy = deps.policy();
    const now = deps.now();
    // Never longer than the interval; sooner when the due time comes first (and at least 1 s).
    const untilDue = policy && waiting === null ? nextDue(policy, now) - now : interval;
    timer = setTimer(
      () => {
        timer = null;
        void check();
      },
      Math.max(1_000, Math.min(interval, untilDue)),
    );
  };

  async function look(): Promise<ScheduleOutcome> {
    const policy = deps.policy();
    if (!policy) {
      waiting = null;
      deps.attention.resolve('schedule');
      return 'no-policy';
    }
    const now = deps.now();
    const state = deps.state.load();
    if (!state) {
      deps.state.save({ watermark: now });
      return 'started';
    }
    const due = previousDue(policy, now);
    if (due <= state.watermark) {
      waiting = null;
      return 'not-due';
    }
    const handled = (): void => {
      deps.state.save({ watermark: due });
      waiting = null;
      deps.attention.resolve('schedule');
    };
    const cleared = deps.lastClearedAt();
    if (cleared !== null && cleared >= due) {
      handled();
      return 'cleared-by-hand';
    }
    // Late is decided when the due time is first seen, not by how long the desk then waited for idle.
    if (waiting?.due !== new Date(due).toISOString()) {
      waiting = { due: new Date(due).toISOString(), late: due < startedAt || now - due > LATE_AFTER_MS };
    }
    if (deps.busy()) return 'busy';
    const counts = deps.undelivered();
    if (counts === null) return 'unavailable';
    if (counts.undelivered > 0) {
      deps.attention.raiseNeedsAttention('schedule', counts);
      return 'needs-attention';
    }
    const schedule = waiting;
    try {
      const record = await deps.clear(schedule);
      handled();
      deps.log.info('clearance.scheduled', { seq: record.seq, late: schedule.late });
      deps.onCleared?.(record);
      return 'cleared';
    } catch (err) {
      // Refused (something became undelivered meanwhile, the keychain): the next look tries again.
      deps.log.warn('clearance.scheduled-failed', { error: err instanceof Error ? err.name : 'unknown' });
      return 'failed';
    }
  }

  function check(): Promise<ScheduleOutcome> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let outcome: ScheduleOutcome;
      try {
        do {
          again = false;
          outcome = await look();
        } while (again && !stopped);
      } finally {
        running = null;
        arm();
      }
      return outcome;
    })();
    return running;
  }

  return {
    start: () => check(),
    check,
    pending: () => waiting,
    stop() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
  };
}
