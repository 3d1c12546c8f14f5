/**
 * What an audit event may hold, enforced by construction: every field is an id, a time, a count or
 * a code from a closed list. There is no field a name, a phone number or a sentence fits into, so a
 * deletion record can be shown to an auditor (Pマーク / ISMS) without exposing anyone.
 */
import { hash } from 'node:crypto';
import { z } from 'zod';
import { ClientId } from '../../../../shared/directory/schema.js';
import type { HandOffChannel } from '../../../../shared/directory/schema.js';
import { describeEach } from '../../../../shared/ipc/errors.js';
import { MonitorRefusalCode } from '../../../../shared/ipc/monitor-contract.js';
import { HAND_OFF_FAILURES } from '../../../../shared/ipc/notes-contract.js';

/** What happened. */
export const AuditType = z.enum([
  'created',
  /** The number of autosaves of a note, recorded at hand-off rather than once per keystroke. */
  'autosaved',
  'handed-off',
  'delivered',
  'failed',
  'wiped',
  /** Destroyed by the client's retention limit; the reason says whether it had been delivered. */
  'expired',
  'quarantined',
  /** Wrapped keys whose note file was already gone (a wipe cut short by a crash), dropped at start. */
  'keys-discarded',
  'kek-destroyed',
  /** The previous audit file failed its chain check (chain-broken), or was shorter than or parted from the head the desk kept (audit-rolled-back); it was moved aside and this file began. */
  'audit-restarted',
  // The floor's sign-in (issue 9): personRef names the person, never their name.
  'signed-in',
  /** A sign-in refused: wrong secret, or the person is locked out on this desk. */
  'sign-in-refused',
  /** The fifth wrong try in a row: sign-in for that person is locked on this desk for five minutes. */
  'locked-out',
  'signed-out',
  /** A team roster was imported; count is its serial. */
  'roster-imported',
  'roster-refused',
  // Listen / whisper / barge on this desk (issue 9): the reason is the mode, the stop cause or the refusal.
  'monitor-started',
  'monitor-mode',
  'monitor-stopped',
  'monitor-refused',
  /** A desk was cleared at the end of the day (issue 10): `record` is the deletion record's hash, count the notes destroyed. */
  'desk-cleared',
  /** A floor clearance command (or a report at the shift lead's desk) refused: forged, stale, replayed, wrong role, not a target (issue 10 §4). */
  'clearance-refused',
]);
export type AuditType = z.infer<typeof AuditType>;

/** Why, as a code. Adding a code is a one-line change here; free text is never accepted. */
const CoreReason = z.enum([
  // wipe reasons (vault WipeReason)
  'delivered',
  'expired',
  'training',
  'cleared',
  'discarded',
  // expiry
  'undelivered',
  // a note file that could not be opened
  'tampered',
  'wrong-key',
  'key-missing',
  'unreadable',
  // the audit file itself
  'chain-broken',
  /** The file was shorter than the head the desk kept, or parted from it. */
  'audit-rolled-back',
  // hand-off outcomes: the failures as the outbox's view words them too
  ...HAND_OFF_FAILURES,
  'manual-retry',
  /** Sent by the client's fallback channel at End of day (issue 10 §2). */
  'fallback',
  // sign-in
  'wrong-secret',
  'locked-out',
  'switched',
  /** Signed out because a newer roster (or a new admin key) no longer vouches for the person. */
  'roster-changed',
  // roster refusals (wrong-key and tampered above are shared)
  'too-large',
  'unsigned',
  'malformed',
  'schema',
  'older-serial',
  // monitor modes (monitor-started, monitor-mode)
  'listen',
  'whisper',
  'barge',
  // monitor stops
  'call-ended',
  'supervisor-left',
]);
/** Every reason an event may give: the trail's own and a monitor refusal's (shared/ipc/monitor-contract.ts). */
export const AuditReason = z.union([CoreReason, MonitorRefusalCode]);
export type AuditReason = z.infer<typeof AuditReason>;

/** The kind of hand-off channel, never its address. */
export const ChannelKind = z.enum(['email', 'slack', 'teams', 'chatwork', 'lineworks', 'webhook', 'transfer']);
export type ChannelKind = z.infer<typeof ChannelKind>;
// Fails to compile when the directory gains a channel kind this list lacks, or the other way round.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelKindsMatchDirectory: Same<ChannelKind, HandOffChannel['kind']> = true;
void channelKindsMatchDirectory;

/** Note ids are random UUIDs: nothing a person typed can pass for one. */
export const NoteId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a note id (UUID v4)');

/**
 * A person on the floor, pseudonymously: the first 16 hex digits of SHA-256 over their roster id.
 * The admin, who holds the roster, can tell who it was; the audit file alone names nobody.
 */
export const PersonRef = z.string().regex(/^[0-9a-f]{16}$/, 'a person reference (16 hex digits)');

/** What a caller may ask to record. Unknown keys are refused, so nothing rides along. */
export const AuditInputSchema = z.strictObject({
  type: AuditType,
  noteId: NoteId.optional(),
  clientId: ClientId.optional(),
  channel: ChannelKind.optional(),
  count: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  reason: AuditReason.optional(),
  personRef: PersonRef.optional(),
  /** The SHA-256 of a deletion record (desk-cleared): the trail anchors every record. */
  record: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

export const HASH_HEX = /^[0-9a-f]{64}$/;
/** The `prev` of the first event of a chain. */
export const GENESIS = '0'.repeat(64);

/** One line of the audit file. */
export const AuditEventSchema = AuditInputSchema.extend({
  seq: z.number().int().min(1),
  at: z.iso.datetime(),
  prev: z.string().regex(HASH_HEX),
  hash: z.string().regex(HASH_HEX),
});

/** Every key an event may have, sorted: the order canonical JSON writes them in. */
const EVENT_KEYS = ['at', 'channel', 'clientId', 'count', 'noteId', 'personRef', 'prev', 'reason', 'record', 'seq', 'type'] as const;
const KNOWN: ReadonlySet<string> = new Set([...EVENT_KEYS, 'hash']);

/**
 * JSON with keys sorted and no whitespace, so the same event always hashes the same, whatever
 * order its fields were written in. Events hold only strings and integers. `hash` is left out.
 */
export function canonicalJson(event: Readonly<Record<string, unknown>>): string {
  // The known keys in a fixed order (fast: a wipe hashes thousands of events); anything else,
  // which the schema would refuse anyway, falls back to a full sort so it is still hashed.
  const keys: readonly string[] = Object.keys(event).every((k) => KNOWN.has(k)) ? EVENT_KEYS : Object.keys(event).filter((k) => k !== 'hash').sort();
  let out = '';
  for (const key of keys) {
    const value = event[key];
    if (value === undefined) continue;
    out += `${out === '' ? '{' : ','}${JSON.stringify(key)}:${JSON.stringify(value)}`;
  }
  return out === '' ? '{}' : `${out}}`;
}

/** SHA-256 (hex) of the previous hash followed by the canonical JSON of the event without `hash`. */
export function hashEvent(event: Readonly<Record<string, unknown>>): string {
  const prev = typeof event.prev === 'string' ? event.prev : '';
  // One-shot hash: a wipe of 10,000 notes hashes 10,000 events, and createHash() costs more per call.
  return hash('sha256', prev + canonicalJson(event), 'hex');
}

/** The zod issues as "path: code" lines: paths and codes only, never a refused value. */
export function issueLines(error: z.ZodError): string[] {
  return describeEach(error.issues, (i) => `${i.path.length ? i.path.map(String).join('.') : '(event)'}: ${i.code}`);
}
