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

/** A page whose visibility the test sets. */
function page(hidden: boolean) {
  const listeners = new Set<() => void>();
  return {
    hidden,
    addEventListener: (_: 'visibilitychange', l: () => void) => listeners.add(l),
    removeEventListener: (_: 'visibilitychange', l: () => void) => listeners.delete(l),
    set(next: boolean) {
      this.hidden = next;
      for (const l of [...listeners]) l();
    },
    get listening() {
      return listeners.size;
    },
  };
}

describe('wake watch on a hidden page', () => {
  afterEach(() => vi.useRealTimers());

  /** Ticks as Chromium's intensive throttling runs a hidden page's repeating timer: once a minute. */
  function throttledTick(clock: { at: number }): void {
    clock.at += 60_000;
    vi.advanceTimersByTime(1000);
  }

  it('does not take the once-a-minute ticks of a hidden page for wake-ups', () => {
    vi.useFakeTimers();
    const clock = { at: 0 };
    let wakes = 0;
    const p = page(true);
    watchForWake(() => (wakes += 1), { intervalMs: 1000, slackMs: 5000, now: () => clock.at, page: p });
    for (let i = 0; i < 5; i++) throttledTick(clock);
    expect(wakes).toBe(0);
  });

  it('does not take the late tick that comes when the page is shown again for a wake-up', () => {
    vi.useFakeTimers();
    const clock = { at: 0 };
    let wakes = 0;
    const p = page(false);
    watchForWake(() => (wakes += 1), { intervalMs: 1000, slackMs: 5000, now: () => clock.at, page: p });
    p.set(true);
    p.set(false); // shown again before the throttled tick runs
    throttledTick(clock);
    expect(wakes).toBe(0);
  });

  it('still reports a sleep longer than any throttling while hidden, and a short one once visible', () => {
    vi.useFakeTimers();
    const clock = { at: 0 };
    let wakes = 0;
    const p = page(true);
    const stop = watchForWake(() => (wakes += 1), { intervalMs: 1000, slackMs: 5000, now: () => clock.at, page: p });
    clock.at += 10 * 60_000; // slept ten minutes
    vi.advanceTimersByTime(1000);
    expect(wakes).toBe(1);
    p.set(false);
    clock.at += 1000;
    vi.advanceTimersByTime(1000); // the first tick seen visible still had a hidden stretch
    clock.at += 60_000; // slept a minute with the desk in view
    vi.advanceTimersByTime(1000);
    expect(wakes).toBe(2);
    stop();
    expect(p.listening).toBe(0);
  });
});
