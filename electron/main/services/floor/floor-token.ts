/**
 * Signed floor tokens (shared/floor/wire.ts): `base64url(payload) "." base64url(signature)`.
 * Reading one checks, in order and without trusting anything before it is checked: size, shape,
 * the payload's schema, the signer's key (looked up by the caller from the roster), the signature.
 * Each refusal has a closed reason, for the audit trail and the dropped-states counter.
 */
import type { KeyObject } from 'node:crypto';
import { FloorPayload, MAX_TOKEN_CHARS } from '../../../../shared/floor/wire.js';
import { signBytes, verifyBytes } from '../roster/ed25519.js';

export type TokenRefusal = 'malformed' | 'schema' | 'unknown-signer' | 'bad-signature';

export type TokenResult = { ok: true; payload: FloorPayload } | { ok: false; reason: TokenRefusal; detail: string };

/** Signs a payload (serialised once; the signature covers exactly these bytes). */
export function signToken(payload: FloorPayload, key: KeyObject): string {
  const bytes = Buffer.from(JSON.stringify(payload), 'utf8');
  return `${bytes.toString('base64url')}.${signBytes(key, bytes).toString('base64url')}`;
}

/** Who signed a payload: a desk id for states and clearance reports, a person id for watch, monitor and clearance requests. */
export function signerOf(payload: FloorPayload): { kind: 'desk' | 'person'; id: string } {
  return payload.kind === 'desk-state' || payload.kind === 'clearance-report' ? { kind: 'desk', id: payload.deskId } : { kind: 'person', id: payload.person };
}

const TOKEN = /^([A-Za-z0-9_-]{1,4000})\.([A-Za-z0-9_-]{86})$/;

/**
 * Reads and verifies a token. `keyOf` returns the roster's public key for the signer, or undefined
 * when the roster has no such desk or person.
 */
export function readToken(token: string, keyOf: (signer: { kind: 'desk' | 'person'; id: string }) => KeyObject | undefined): TokenResult {
  if (token.length > MAX_TOKEN_CHARS) return { ok: false, reason: 'malformed', detail: `longer than ${MAX_TOKEN_CHARS} characters` };
  const match = TOKEN.exec(token.trim());
  if (!match) return { ok: false, reason: 'malformed', detail: 'not base64url(payload).base64url(signature)' };
  const bytes = Buffer.from(match[1] ?? '', 'base64url');
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed', detail: 'the payload is not JSON' };
  }
  const parsed = FloorPayload.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: 'schema', detail: `${issue?.path.join('.') || '(top)'}: ${issue?.message ?? 'invalid'}` };
  }
  const signer = signerOf(parsed.data);
  const key = keyOf(signer);
  if (!key) return { ok: false, reason: 'unknown-signer', detail: `no ${signer.kind} ${signer.id} in the roster` };
  if (!verifyBytes(key, bytes, Buffer.from(match[2] ?? '', 'base64url'))) {
    return { ok: false, reason: 'bad-signature', detail: `not signed by ${signer.kind} ${signer.id}` };
  }
  return { ok: true, payload: parsed.data };
}
