/** A page's timers stop while the computer sleeps: a very late tick means it just woke up. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchForWake } from '../../../../renderer/src/pairing/wake-watch.js';

describe('wake watch', () => {
  afterEach(() => vi.useRealTimers());

  it('reports a wake-up when a tick comes far later than due, and not for ordinary ticks', () => {
    vi.useFakeTimers();
    let clock = 0;
    let wakes = 0;
    const stop = watchForWake(() => (wakes += 1), { intervalMs: 1000, slackMs: 5000, now: () => clock });
    for (let i = 0; i < 5; i++) {
      clock += 1000;
      vi.advanceTimersByTime(1000);
    }
    expect(wakes).toBe(0);
    clock += 60_000; // slept a minute: the next tick is 60 s late
    vi.advanceTimersByTime(1000);
    expect(wakes).toBe(1);
    stop();
    clock += 60_000;
    vi.advanceTimersByTime(5000);
    expect(wakes).toBe(1);
  });
});
