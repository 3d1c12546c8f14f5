import { describe, expect, it } from 'vitest';
import { createDeskAttention } from '../../../../../../electron/main/services/clearance/attention.js';
import { createClearanceScheduler, SCHEDULE_INTERVAL_MS, type ScheduleState, type SchedulerDeps } from '../../../../../../electron/main/services/clearance/scheduler.js';
import { nullLogger } from '../../../../../../electron/main/services/log.js';
import type { AttentionCounts } from '../../../../../../shared/clearance/notice.js';
import type { DeletionRecord, ScheduleRef } from '../../../../../../shared/clearance/schema.js';
import type { ClearancePolicy } from '../../../../../../shared/roster/schema.js';

const TOKYO: ClearancePolicy = { dailyAt: '22:00', timeZone: 'Asia/Tokyo' };
/** 22:00 Tokyo on 2026-12-05. */
const DUE = Date.parse('2026-12-05T13:00:00Z');
const MIN = 60_000;

/** A desk around the scheduler: a clock the test moves, timers it fires, a store, notes. */
function harness(opts: { now: number; state?: ScheduleState | null; policy?: ClearancePolicy | null; undelivered?: AttentionCounts; failClear?: boolean }) {
  let now = opts.now;
  let jumped = false;
  let state: ScheduleState | null = opts.state === undefined ? { watermark: DUE - 24 * 60 * MIN } : opts.state;
  let busy = false;
  let undelivered: AttentionCounts | null = opts.undelivered ?? { undelivered: 0, failed: 0 };
  let lastClearedAt: number | null = null;
  const cleared: ScheduleRef[] = [];
  const timers: Array<{ fn: () => void; at: number }> = [];
  const attention = createDeskAttention(() => now);
  const deps: SchedulerDeps = {
    policy: () => (opts.policy === undefined ? TOKYO : opts.policy),
    now: () => now,
    state: { load: () => state, save: (s) => (state = s) },
    lastClearedAt: () => lastClearedAt,
    busy: () => busy,
    undelivered: () => undelivered,
    clear: async (schedule) => {
      if (opts.failClear) throw new Error('refused');
      cleared.push(schedule);
      lastClearedAt = now;
      return { seq: cleared.length } as DeletionRecord;
    },
    attention,
    log: nullLogger,
    setTimer: (fn, ms) => {
      const t = { fn, at: now + ms };
      timers.push(t);
      return t;
    },
    clearTimer: (h) => {
      const i = timers.indexOf(h as (typeof timers)[number]);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  const scheduler = createClearanceScheduler(deps);
  return {
    scheduler,
    attention,
    cleared,
    get state() {
      return state;
    },
    set busy(b: boolean) {
      busy = b;
    },
    set undelivered(c: AttentionCounts | null) {
      undelivered = c;
    },
    clearedByHand(at: number) {
      lastClearedAt = at;
    },
    /** The armed timer's delay from now. */
    nextTimerIn: () => (timers.length === 1 ? timers[0]!.at - now : NaN),
    /** Moves the wall clock (a jump, or a sleep: no timer fires on the way, the next fires at the new time). */
    jump(to: number) {
      now = to;
      jumped = true;
    },
    /** Fires the armed timer (at its time, or at once after a jump); resolves once the look it starts is over. */
    async fire() {
      const t = timers.shift();
      if (!t) throw new Error('no timer armed');
      if (!jumped) now = t.at;
      jumped = false;
      t.fn();
      await scheduler.check();
    },
  };
}

describe('the scheduled clearance', () => {
  it('clears an idle desk holding nothing undelivered at the time, on time (not late)', async () => {
    const h = harness({ now: DUE - 30 * MIN });
    expect(await h.scheduler.start()).toBe('not-due');
    // The timer is never longer than the coarse interval, however far the due time is.
    expect(h.nextTimerIn()).toBe(SCHEDULE_INTERVAL_MS);
    for (let i = 0; i < 29; i++) await h.fire();
    expect(h.cleared).toEqual([]);
    await h.fire();
    expect(h.cleared).toEqual([{ due: '2026-12-05T13:00:00.000Z', late: false }]);
    expect(h.state).toEqual({ watermark: DUE });
    // Done for today: the next look does nothing.
    await h.fire();
    expect(h.cleared).toHaveLength(1);
  });

  it('arms its timer for the due time when it is nearer than the interval', async () => {
    const h = harness({ now: DUE - 20_000 });
    await h.scheduler.start();
    expect(h.nextTimerIn()).toBe(20_000);
    await h.fire();
    expect(h.cleared).toEqual([{ due: '2026-12-05T13:00:00.000Z', late: false }]);
  });

  it('raises "needs attention" with the counts instead when something is undelivered, and clears once it is delivered', async () => {
    const h = harness({ now: DUE, undelivered: { undelivered: 2, failed: 1 } });
    expect(await h.scheduler.start()).toBe('needs-attention');
    expect(h.cleared).toEqual([]);
    expect(h.attention.current()).toMatchObject({ source: 'schedule', counts: { undelivered: 2, failed: 1 } });
    h.undelivered = { undelivered: 0, failed: 0 };
    await h.fire();
    expect(h.cleared).toEqual([{ due: '2026-12-05T13:00:00.000Z', late: false }]);
    expect(h.attention.current()).toBeNull();
  });

  it('waits while the desk is busy (a call, a note being typed) and runs once it is idle', async () => {
    const h = harness({ now: DUE });
    h.busy = true;
    expect(await h.scheduler.start()).toBe('busy');
    await h.fire();
    await h.fire();
    expect(h.cleared).toEqual([]);
    expect(h.scheduler.pending()).toEqual({ due: '2026-12-05T13:00:00.000Z', late: false });
    h.busy = false;
    expect(await h.scheduler.check()).toBe('cleared');
    // Waiting for idle does not make it late: the desk was running at the time.
    expect(h.cleared).toEqual([{ due: '2026-12-05T13:00:00.000Z', late: false }]);
  });

  it('clears late at start when the desk was off at the time', async () => {
    // Last handled: the day before; the desk starts the next morning.
    const h = harness({ now: DUE + 11 * 60 * MIN });
    expect(await h.scheduler.start()).toBe('cleared');
    expect(h.cleared).toEqual([{ due: '2026-12-05T13:00:00.000Z', late: true }]);
  });

  it('clears late after the computer slept through the time or the clock jumped past it', async () => {
    const h = harness({ now: DUE - 2 * MIN });
    await h.scheduler.start();
    h.jump(DUE + 45 * MIN);
    await h.fire();
    expect(h.cleared).toEqual([{ due: '2026-12-05T13:00:00.000Z', late: true }]);
  });

  it('does not clear again when the clock jumps back over a time already handled', async () => {
    const h = harness({ now: DUE + MIN });
    await h.scheduler.start();
    expect(h.cleared).toHaveLength(1);
    h.jump(DUE - 5 * MIN);
    await h.fire();
    h.jump(DUE + 5 * MIN);
    await h.fire();
    expect(h.cleared).toHaveLength(1);
  });

  it('does nothing more when a shift lead cleared the desk after the time', async () => {
    const h = harness({ now: DUE - MIN, undelivered: { undelivered: 1, failed: 0 } });
    await h.scheduler.start();
    h.clearedByHand(DUE + 10 * MIN);
    h.jump(DUE + 11 * MIN);
    expect(await h.scheduler.check()).toBe('cleared-by-hand');
    expect(h.cleared).toEqual([]);
    expect(h.state).toEqual({ watermark: DUE });
  });

  it('counts from the first time it sees a policy: a time before that never clears the desk', async () => {
    const h = harness({ now: DUE + 60 * MIN, state: null });
    expect(await h.scheduler.start()).toBe('started');
    expect(h.cleared).toEqual([]);
    expect(h.state).toEqual({ watermark: DUE + 60 * MIN });
    h.jump(DUE + 24 * 60 * MIN);
    expect(await h.scheduler.check()).toBe('cleared');
  });

  it('does nothing without a policy, and tries again at the next look when the clearance is refused', async () => {
    expect(await harness({ now: DUE + MIN, policy: null }).scheduler.start()).toBe('no-policy');
    const h = harness({ now: DUE + MIN, failClear: true });
    expect(await h.scheduler.start()).toBe('failed');
    expect(h.state?.watermark).toBeLessThan(DUE);
    expect(h.nextTimerIn()).toBe(SCHEDULE_INTERVAL_MS);
  });
});
