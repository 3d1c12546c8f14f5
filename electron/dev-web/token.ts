/**
 * The per-run secret that admits a page to the dev-web bridge. Anyone on the machine can reach a
 * loopback port, so the port alone proves nothing; the token travels in the page URL's fragment
 * (never sent to a server) and is presented once, when the WebSocket opens.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url: safe in a URL fragment and a query string without escaping. */
export function newBridgeToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares a presented token with the expected one in constant time. Both sides are hashed first so
 * the comparison has equal lengths whatever was presented, and a wrong length leaks nothing either.
 */
export function tokenMatches(presented: string | null | undefined, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
