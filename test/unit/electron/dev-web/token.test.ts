import { describe, expect, it } from 'vitest';
import { newBridgeToken, tokenMatches } from '../../../../electron/dev-web/token.js';

describe('the bridge token', () => {
  it('is 32 random bytes in base64url, different every run', () => {
    const a = newBridgeToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(newBridgeToken()).not.toBe(a);
  });

  it('matches only itself', () => {
    const t = newBridgeToken();
    expect(tokenMatches(t, t)).toBe(true);
    expect(tokenMatches(`${t}x`, t)).toBe(false);
    expect(tokenMatches(t.slice(1), t)).toBe(false);
    expect(tokenMatches('', t)).toBe(false);
    expect(tokenMatches(null, t)).toBe(false);
    expect(tokenMatches(undefined, t)).toBe(false);
  });
});
