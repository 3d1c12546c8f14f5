/**
 * Notices that the computer slept. A page gets no OS resume event, but its timers stop while the
 * machine sleeps: a tick that arrives much later than scheduled means the OS just woke up, and the
 * line's socket may be dead without knowing it. (The `online` event is handled by the line itself.)
 */

export interface WakeWatchOptions {
  /** How often to tick (default 5 s). */
  intervalMs?: number;
  /** A tick this much later than due counts as a wake-up (default 15 s). */
  slackMs?: number;
  now?: () => number;
}

/** Calls `onWake` after each detected sleep; returns the function that stops watching. */
export function watchForWake(onWake: () => void, o: WakeWatchOptions = {}): () => void {
  const intervalMs = o.intervalMs ?? 5000;
  const slackMs = o.slackMs ?? 15_000;
  const now = o.now ?? Date.now;
  let last = now();
  const timer = setInterval(() => {
    const at = now();
    const late = at - last - intervalMs;
    last = at;
    if (late > slackMs) onWake();
  }, intervalMs);
  return () => clearInterval(timer);
}
