/**
 * When to try a failed delivery again: exponential back-off with full jitter ("Exponential Backoff
 * And Jitter", AWS Architecture Blog): the n-th retry waits a uniformly random time in
 * [0, min(max, base·2^(n-1))). The randomness spreads the retries of many desks whose receiver came
 * back at the same moment; the cap keeps a long outage from pushing the next try out for hours.
 */

export interface Backoff {
  /** The ceiling of the first retry's wait. */
  baseMs: number;
  /** The ceiling never grows past this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 2_000, maxMs: 5 * 60_000 };

/**
 * A receiver's Retry-After is honoured as a floor, but only up to an hour: a hostile or broken
 * receiver must not be able to park a message for a week by answering "Retry-After: 604800".
 */
export const RETRY_AFTER_CEILING_MS = 60 * 60_000;

/**
 * The wait before retry number `attempt` (1 after the first failed attempt).
 * `random` returns a number in [0, 1) (Math.random, or a fixed one in tests).
 * `retryAfterMs` (from a 429 or 503 Retry-After) is a floor under the jittered wait.
 */
export function retryDelayMs(attempt: number, backoff: Backoff, random: () => number, retryAfterMs?: number): number {
  const n = Math.max(1, Math.floor(attempt));
  // 2^30 already dwarfs any sane cap; stopping there keeps the arithmetic finite.
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(n - 1, 30));
  const r = Math.min(Math.max(random(), 0), 1);
  const jittered = Math.floor(r * ceiling);
  const floor =
    retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0
      ? Math.min(Math.ceil(retryAfterMs), RETRY_AFTER_CEILING_MS)
      : 0;
  return Math.max(jittered, floor);
}
