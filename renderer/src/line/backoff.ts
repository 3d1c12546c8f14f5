/**
 * How long a line waits before trying its server again. Exponential so a dead server is not
 * hammered, capped so a desk is back within half a minute of the server, and jittered so a floor of
 * 100 desks that lost the server together do not all come back in the same instant.
 */

/** First retry after about half a second. */
export const BACKOFF_START_MS = 500;
/** Never wait longer than this between attempts. */
export const BACKOFF_CAP_MS = 30_000;

/**
 * The delay before retry number `attempt` (0 for the first retry): the exponential step, scaled by
 * a random factor in [0.5, 1) ("equal jitter", so it never collapses to zero).
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(BACKOFF_CAP_MS, BACKOFF_START_MS * 2 ** Math.max(0, Math.min(attempt, 16)));
  const r = random();
  const factor = 0.5 + 0.5 * (Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0.5);
  return Math.round(Math.min(step * factor, BACKOFF_CAP_MS));
}
