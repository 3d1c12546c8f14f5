import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, backoffDelay } from '../../../../renderer/src/line/backoff.js';

describe('the reconnect back-off', () => {
  it('starts near half a second and doubles', () => {
    expect(backoffDelay(0, () => 1)).toBe(500);
    expect(backoffDelay(1, () => 1)).toBe(1000);
    expect(backoffDelay(2, () => 1)).toBe(2000);
  });

  it('is jittered between half and the full step', () => {
    expect(backoffDelay(3, () => 0)).toBe(2000);
    expect(backoffDelay(3, () => 0.5)).toBe(3000);
  });

  it('never exceeds the cap, whatever the attempt or the randomness', () => {
    for (const attempt of [10, 50, 1e6]) {
      for (const r of [0, 0.3, 1, Number.NaN, 7]) {
        const delay = backoffDelay(attempt, () => r);
        expect(delay).toBeLessThanOrEqual(BACKOFF_CAP_MS);
        expect(delay).toBeGreaterThanOrEqual(BACKOFF_CAP_MS / 2);
      }
    }
  });
});
