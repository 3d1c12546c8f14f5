import { describe, expect, it } from 'vitest';
import { RETRY_AFTER_CEILING_MS, retryDelayMs } from '../../../../../../electron/main/services/outbox/backoff.js';

const backoff = { baseMs: 1_000, maxMs: 30_000 };
const top = () => 0.999_999;

describe('retry back-off', () => {
  it('doubles the ceiling of the wait with each attempt until the cap', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 20].map((n) => retryDelayMs(n, backoff, top));
    expect(ceilings).toEqual([999, 1_999, 3_999, 7_999, 15_999, 29_999, 29_999, 29_999]);
  });

  it('spreads the wait over the whole range below the ceiling (full jitter)', () => {
    expect(retryDelayMs(3, backoff, () => 0)).toBe(0);
    expect(retryDelayMs(3, backoff, () => 0.5)).toBe(2_000);
    expect(retryDelayMs(3, backoff, () => 0.25)).toBe(1_000);
  });

  it("never waits less than the receiver's Retry-After", () => {
    expect(retryDelayMs(1, backoff, () => 0.5, 7_000)).toBe(7_000);
    // A jittered wait longer than Retry-After stands.
    expect(retryDelayMs(6, backoff, () => 0.5, 7_000)).toBe(15_000);
  });

  it('caps a Retry-After so a receiver cannot park a message for days', () => {
    expect(retryDelayMs(1, backoff, () => 0, 7 * 24 * 3_600_000)).toBe(RETRY_AFTER_CEILING_MS);
  });

  it('ignores a nonsensical Retry-After and a random source out of range', () => {
    expect(retryDelayMs(1, backoff, () => 0.5, Number.NaN)).toBe(500);
    expect(retryDelayMs(1, backoff, () => 0.5, -5)).toBe(500);
    expect(retryDelayMs(1, backoff, () => 7)).toBe(1_000);
    expect(retryDelayMs(0, backoff, () => 0.5)).toBe(500);
  });

  it('stays finite after thousands of attempts', () => {
    expect(retryDelayMs(10_000, backoff, top)).toBe(29_999);
  });
});
