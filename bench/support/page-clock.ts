/**
 * Clocks the browser benches share: wall-clock milliseconds comparable to a page's own
 * (performance.timeOrigin + now), and the offset between a page's clock and ours.
 */
import type { Page } from '@playwright/test';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable to the pages'. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The page's clock minus ours, from the tightest of a few round trips. */
export async function clockOffset(page: Page): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 5; i++) {
    const before = nowMs();
    const pageNow = await page.evaluate(() => performance.timeOrigin + performance.now());
    const after = nowMs();
    if (after - before < best.rtt) best = { rtt: after - before, offset: pageNow - (before + after) / 2 };
  }
  return best.offset;
}
