/**
 * Reading a channel's secret from the store and, for the token-based APIs, its two accepted forms.
 *
 * Secret formats (the value stored under the channel's secret name):
 * - email `smtpSecret`: an SMTP URL, see smtp-settings.ts.
 * - slack / teams `webhookSecret`: the incoming-webhook / Workflows URL itself (https only).
 * - chatwork / lineworks `tokenSecret`: either the bare token, meaning the official API
 *   (https://api.chatwork.com/v2, https://www.worksapis.com/v1.0), or JSON
 *   `{"token":"…","baseUrl":"https://host:port/v2"}` to point at another base (tests, a proxy).
 * - webhook `signingSecret`: the HMAC-SHA256 signing key as text.
 */
import type { DeliveryOutcome, SendContext } from './types.js';

export type SecretResult = { ok: true; value: string } | { ok: false; outcome: DeliveryOutcome };

/** Looks a secret up; a missing one is a configuration fault, not worth retrying. */
export function readSecret(ctx: SendContext, ref: string): SecretResult {
  const value = ctx.secrets(ref)?.trim();
  if (!value) {
    return { ok: false, outcome: { ok: false, retry: false, reason: `the secret "${ref}" is not in the encrypted store` } };
  }
  return { ok: true, value };
}

export const OFFICIAL_API_BASE = {
  chatwork: 'https://api.chatwork.com/v2',
  lineworks: 'https://www.worksapis.com/v1.0',
} as const;

/** A token and the API base it is used against. */
export interface ApiAccess {
  token: string;
  baseUrl: string;
}

/** Parses a token secret: a bare token, or JSON {token, baseUrl}. */
export function parseApiSecret(value: string, officialBase: string): { ok: true; access: ApiAccess } | { ok: false; reason: string } {
  if (!value.startsWith('{')) return { ok: true, access: { token: value, baseUrl: officialBase } };
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return { ok: false, reason: 'the token secret looks like JSON but does not parse' };
  }
  const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  if (typeof o.token !== 'string' || o.token.length === 0) {
    return { ok: false, reason: 'the token secret has no "token"' };
  }
  const base = o.baseUrl === undefined ? officialBase : o.baseUrl;
  if (typeof base !== 'string') return { ok: false, reason: 'the token secret\'s "baseUrl" is not text' };
  return { ok: true, access: { token: o.token, baseUrl: base.replace(/\/+$/, '') } };
}

/** A token may only travel in a header; one with a line break would forge a second header. */
export function headerSafe(token: string): boolean {
  return /^[\x21-\x7e]+$/.test(token);
}
