/**
 * The operator desk's checks on a monitor request (issue 9 §6): a supervisor's INVITE carrying
 * header X-Kotozute-Monitor, or a SIP INFO changing the mode of a session already running. Nothing
 * in the request is trusted before it is checked, and every refusal is one audit event with a closed
 * reason (no names, no numbers): the renderer answers it 403 and plays no audio.
 *
 * Checks, in order: a roster and this desk in it; a token at all; its shape and schema; the signer is
 * a person of the roster in use (a person removed in a newer roster is simply absent) and the
 * signature is theirs; it is a monitor request; for this desk; from a roster desk whose SIP URI is the
 * request's From; sent within ±FRESHNESS_MS by its sender's clock; with a nonce never seen; by a
 * person whose role the roster lets use the mode; about a call live on this desk.
 *
 * Seen nonces are kept for twice the freshness window (a token older than the window is stale
 * anyway) and never more than MAX_NONCES: past that every request is refused as a flood until the
 * oldest age out, since a nonce forgotten early could be replayed.
 */
import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { FRESHNESS_MS, MONITOR_HEADER, type MonitorPayload } from '../../../../shared/floor/wire.js';
import type { MonitorMode, Roster } from '../../../../shared/roster/schema.js';
import type { AuditInput } from '../audit/audit-log.js';
import { publicKeyFromText } from '../roster/ed25519.js';
import type { FloorIdentity } from '../roster/floor-identity.js';
import { readToken, signToken } from './floor-token.js';
import type { MonitorRefusalCode } from '../../../../shared/ipc/monitor-contract.js';

export { MONITOR_HEADER };

/** Why a monitor request was refused: the closed codes of the IPC contract (and the audit trail). */
export type MonitorRefusal = MonitorRefusalCode;

export const MAX_NONCES = 10_000;
/** Monitor sessions one desk holds at once (a call is rarely monitored by more than one person). */
export const MAX_SESSIONS = 8;

export interface MonitorRequest {
  /** The X-Kotozute-Monitor header (INVITE) or INFO body; null when there was none. */
  token: string | null;
  /** The request's From URI as the SIP stack parsed it. */
  from: string;
  /** The refs of the calls live on this desk now (the renderer's live calls). */
  liveCallRefs: readonly string[];
}

export type MonitorVerdict =
  | { ok: true; sessionId: string; mode: MonitorMode; callRef: string; tellOperator: boolean }
  | { ok: false; reason: MonitorRefusal };

export interface MonitorSession {
  person: string;
  supervisorDesk: string;
  callRef: string;
  mode: MonitorMode;
}

export interface MonitorGateOptions {
  identity: FloorIdentity;
  /** Records one audit event (the desk's hash-chained trail). */
  audit: (event: AuditInput) => void;
  now?: () => number;
  maxNonces?: number;
}

/** `user@host[:port]` of a SIP URI, lowercased, without scheme, parameters or display name. */
export function sipAddress(uri: string): string | null {
  const match = /^\s*(?:"[^"]*"\s*)?<?\s*sips?:([^@;>?\s]+)@([^;>?\s]+)/i.exec(uri);
  if (!match) return null;
  const host = (match[2] ?? '').toLowerCase();
  return `${decodeURIComponent(match[1] ?? '').toLowerCase()}@${host.replace(/:5060$/, '')}`;
}

export class MonitorGate {
  private readonly identity: FloorIdentity;
  private readonly audit: (event: AuditInput) => void;
  private readonly now: () => number;
  private readonly maxNonces: number;
  /** Nonce → when it was seen; insertion order is age order. */
  private readonly nonces = new Map<string, number>();
  private readonly sessions = new Map<string, MonitorSession>();
  /** Public keys by roster serial and id, so a request costs one verify, not a key import. */
  private keyCache: { roster: Roster; keys: Map<string, KeyObject> } | null = null;

  constructor(options: MonitorGateOptions) {
    this.identity = options.identity;
    this.audit = options.audit;
    this.now = options.now ?? Date.now;
    this.maxNonces = options.maxNonces ?? MAX_NONCES;
  }

  /** A monitor INVITE: checked, and on success a session is opened and audited. */
  start(request: MonitorRequest): MonitorVerdict {
    if (this.sessions.size >= MAX_SESSIONS) return this.refuse('flood');
    const checked = this.check(request);
    if (!checked.ok) return this.refuse(checked.reason);
    const { payload, tellOperator } = checked;
    const sessionId = randomUUID();
    this.sessions.set(sessionId, { person: payload.person, supervisorDesk: payload.supervisorDesk, callRef: payload.callRef, mode: payload.mode });
    this.audit({ type: 'monitor-started', reason: payload.mode });
    return { ok: true, sessionId, mode: payload.mode, callRef: payload.callRef, tellOperator };
  }

  /** A mode change (INFO) in a running session: a new token by the same person, desk and call. */
  change(sessionId: string, request: MonitorRequest): MonitorVerdict {
    const session = this.sessions.get(sessionId);
    if (!session) return this.refuse('session-mismatch');
    const checked = this.check(request);
    if (!checked.ok) return this.refuse(checked.reason);
    const { payload, tellOperator } = checked;
    if (payload.person !== session.person || payload.supervisorDesk !== session.supervisorDesk || payload.callRef !== session.callRef) {
      return this.refuse('session-mismatch');
    }
    session.mode = payload.mode;
    this.audit({ type: 'monitor-mode', reason: payload.mode });
    return { ok: true, sessionId, mode: payload.mode, callRef: payload.callRef, tellOperator };
  }

  /** The session ended (the call ended, or the supervisor hung up); unknown ids are ignored. */
  stop(sessionId: string, cause: 'call-ended' | 'supervisor-left'): boolean {
    if (!this.sessions.delete(sessionId)) return false;
    this.audit({ type: 'monitor-stopped', reason: cause });
    return true;
  }

  session(sessionId: string): Readonly<MonitorSession> | undefined {
    return this.sessions.get(sessionId);
  }

  private refuse(reason: MonitorRefusal): { ok: false; reason: MonitorRefusal } {
    this.audit({ type: 'monitor-refused', reason });
    return { ok: false, reason };
  }

  private keyOf(roster: Roster, signer: { kind: 'desk' | 'person'; id: string }): KeyObject | undefined {
    if (this.keyCache?.roster !== roster) this.keyCache = { roster, keys: new Map() };
    const cacheKey = `${signer.kind}:${signer.id}`;
    const cached = this.keyCache.keys.get(cacheKey);
    if (cached) return cached;
    const entry = signer.kind === 'desk' ? roster.desks.find((d) => d.id === signer.id) : roster.people.find((p) => p.id === signer.id);
    if (!entry) return undefined;
    const key = publicKeyFromText(entry.publicKey);
    this.keyCache.keys.set(cacheKey, key);
    return key;
  }

  private check(request: MonitorRequest): { ok: true; payload: MonitorPayload; tellOperator: boolean } | { ok: false; reason: MonitorRefusal } {
    const roster = this.identity.roster();
    const self = this.identity.thisDesk();
    if (!roster || !self) return { ok: false, reason: 'no-roster' };
    if (request.token === null || request.token.trim() === '') return { ok: false, reason: 'no-token' };

    const read = readToken(request.token, (signer) => this.keyOf(roster, signer));
    if (!read.ok) {
      const reason: MonitorRefusal =
        read.reason === 'unknown-signer' ? 'unknown-person' : read.reason === 'bad-signature' ? 'bad-signature' : 'malformed';
      return { ok: false, reason };
    }
    const payload = read.payload;
    if (payload.kind !== 'monitor') return { ok: false, reason: 'wrong-kind' };
    if (payload.deskId !== self.id) return { ok: false, reason: 'wrong-desk' };

    const supervisorDesk = roster.desks.find((d) => d.id === payload.supervisorDesk);
    if (!supervisorDesk) return { ok: false, reason: 'unknown-desk' };
    const from = sipAddress(request.from);
    if (from === null || from !== sipAddress(supervisorDesk.sipUri)) return { ok: false, reason: 'forged-from' };

    const now = this.now();
    if (Math.abs(now - payload.sentAt) > FRESHNESS_MS) return { ok: false, reason: 'stale' };
    this.forgetOldNonces(now);
    if (this.nonces.has(payload.nonce)) return { ok: false, reason: 'replayed' };
    if (this.nonces.size >= this.maxNonces) return { ok: false, reason: 'flood' };
    // Spent from here on, whatever the later checks say: a signed request is single-use.
    this.nonces.set(payload.nonce, now);

    const person = roster.people.find((p) => p.id === payload.person);
    const allowed = roster.policy.monitor[payload.mode];
    if (!person || !person.roles.some((role) => allowed.includes(role))) return { ok: false, reason: 'role-not-allowed' };
    if (!request.liveCallRefs.includes(payload.callRef)) return { ok: false, reason: 'no-such-call' };
    return { ok: true, payload, tellOperator: roster.policy.tellOperatorWhenMonitored };
  }

  private forgetOldNonces(now: number): void {
    for (const [nonce, seenAt] of this.nonces) {
      if (now - seenAt <= 2 * FRESHNESS_MS) break;
      this.nonces.delete(nonce);
    }
  }
}

/**
 * The supervisor desk's side: a monitor request signed with the signed-in person's key, for the
 * operator desk `deskId`'s call `callRef`. Returns the token and where to send the INVITE.
 */
export function signMonitorRequest(
  identity: FloorIdentity,
  request: { deskId: string; callRef: string; mode: MonitorMode },
  now: number,
  nonce: string,
): { ok: true; token: string; target: string } | { ok: false; reason: 'no-roster' | 'not-signed-in' | 'unknown-desk' | 'role-not-allowed' } {
  const roster = identity.roster();
  const self = identity.thisDesk();
  if (!roster || !self) return { ok: false, reason: 'no-roster' };
  const signedIn = identity.signedIn();
  if (!signedIn) return { ok: false, reason: 'not-signed-in' };
  const target = roster.desks.find((d) => d.id === request.deskId);
  if (!target || target.id === self.id) return { ok: false, reason: 'unknown-desk' };
  const allowed = roster.policy.monitor[request.mode];
  if (!signedIn.person.roles.some((role) => allowed.includes(role))) return { ok: false, reason: 'role-not-allowed' };
  const payload: MonitorPayload = {
    kind: 'monitor',
    v: 1,
    person: signedIn.person.id,
    supervisorDesk: self.id,
    deskId: target.id,
    callRef: request.callRef,
    mode: request.mode,
    sentAt: now,
    nonce,
  };
  return { ok: true, token: signToken(payload, signedIn.key), target: target.sipUri };
}
