import { describe, expect, it } from 'vitest';
import { NonceCache } from '../../../../../../electron/main/services/floor/nonce-cache.js';

describe('single-use nonces', () => {
  it('refuses a nonce seen within its time to live, and takes it again once that has passed', () => {
    const cache = new NonceCache(60_000);
    expect(cache.use('n1', 0)).toBe(true);
    expect(cache.use('n1', 59_999)).toBe(false);
    expect(cache.use('n1', 60_000)).toBe(true);
  });

  it('when full of live nonces refuses new ones rather than forgetting old ones, and makes room as they expire', () => {
    const cache = new NonceCache(1_000, 3);
    for (const n of ['a', 'b', 'c']) expect(cache.use(n, 0)).toBe(true);
    expect(cache.use('d', 500)).toBe(false);
    expect(cache.use('a', 500)).toBe(false);
    expect(cache.use('d', 1_000)).toBe(true);
    expect(cache.size).toBe(1);
  });
});
