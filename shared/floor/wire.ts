/**
 * What desks say to each other, through the SIP server they already use (docs/floor.md). Kotozute
 * runs no server of its own: every message below travels as a SIP request between registered desks,
 * so a floor scales with the SIP server's own clustering.
 *
 * Each message is a signed token: `base64url(payload JSON, UTF-8) "." base64url(Ed25519 signature)`.
 * The signature covers the exact payload bytes (no re-serialisation). Who signed is named inside the
 * payload (a desk id for states, a person id for watch and monitor requests) and checked against the
 * roster's key for that id; `kind` keeps one kind of token from being replayed as another.
 *
 * - desk-state: operator desk → each watching supervisor desk, SIP MESSAGE, signed by the desk key.
 * - watch: supervisor desk → operator desk, SIP MESSAGE, signed by the signed-in person's key; a lease
 *   the supervisor renews. States are sent only to watchers holding a live lease.
 * - monitor: supervisor desk → operator desk, in the INVITE (header MONITOR_HEADER) and, to change the
 *   mode in the session, in a SIP INFO body; signed by the person's key, fresh and single-use.
 * - clearance: shift lead desk → each target desk, SIP MESSAGE, signed by the shift lead's key, fresh
 *   (±CLEARANCE_FRESHNESS_MS) and single-use; clearance-report: the target desk → the lead desk,
 *   signed by the desk key, answering the command's nonce (issue 10 §4, docs/clearance.md).
 *
 * No caller data ever: no caller name, number or note text in any of these.
 */
import { z } from 'zod';
import { MonitorMode, PublicKeyText, RosterId } from '../roster/schema.js';
import { DeletionRecord } from '../clearance/schema.js';
import { NeedsAttention } from '../clearance/notice.js';

/** Content type of floor MESSAGE and INFO bodies. */
export const FLOOR_CONTENT_TYPE = 'application/vnd.kotozute.floor';
/** INVITE header carrying the monitor request token. */
export const MONITOR_HEADER = 'X-Kotozute-Monitor';

/** A signed request older or newer than this (by its sender's clock) is refused. */
export const FRESHNESS_MS = 30_000;
/** A desk re-sends its state at least this often while watched (the board's heartbeat). */
export const HEARTBEAT_MS = 10_000;
/** A desk whose last state is older than this shows as unreachable. */
export const UNREACHABLE_AFTER_MS = 30_000;
/** How long a watch lasts unless renewed; supervisors renew at a third of it. */
export const WATCH_LEASE_MS = 60_000;
/** A token longer than this is refused before it is decoded. */
export const MAX_TOKEN_CHARS = 4_096;

/** Random, base64url, 16 bytes: single-use. */
export const Nonce = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'a 16-byte base64url nonce');
/** An opaque reference to a call on a desk (never the caller's number). */
export const CallRef = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'an opaque call reference');
const EpochMs = z.number().int().min(0).max(8.64e15);

export const DeskActivity = z.enum(['signed-out', 'idle', 'ringing', 'talking', 'wrap-up']);
export type DeskActivity = z.infer<typeof DeskActivity>;

export const LineHealth = z.enum(['registered', 'connecting', 'failed', 'training']);
export type LineHealth = z.infer<typeof LineHealth>;

export const DeskStatePayload = z.object({
  kind: z.literal('desk-state'),
  v: z.literal(1),
  deskId: RosterId,
  /** Grows with every state the desk sends; a board keeps the highest it has seen. */
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  sentAt: EpochMs,
  /** Who is signed in (roster person id), null when nobody is. */
  person: RosterId.nullable(),
  activity: DeskActivity,
  /** When the desk entered this activity. */
  since: EpochMs,
  /** The call the activity is about (ringing, talking, wrap-up); the target of a monitor request. */
  call: z
    .object({
      ref: CallRef,
      /** The client company answered for (from the directory), null for an unknown number. */
      client: z.object({ id: z.string().min(1).max(64), name: z.string().min(1).max(200) }).nullable(),
      onHold: z.boolean(),
      /** A supervisor is listening in (any mode). */
      monitored: z.boolean(),
    })
    .nullable(),
  outbox: z.object({ pending: z.number().int().min(0).max(1e6), failed: z.number().int().min(0).max(1e6) }),
  line: LineHealth,
  /** A clearance asked for and refused because something is undelivered (issue 10 §4, §5); absent from older desks. */
  attention: NeedsAttention.nullable().optional(),
});
export type DeskStatePayload = z.infer<typeof DeskStatePayload>;

export const WatchPayload = z.object({
  kind: z.literal('watch'),
  v: z.literal(1),
  /** The signer: a roster person whose role may watch (supervisor or shift lead). */
  person: RosterId,
  /** The roster desk the person is signed in at: states go to its SIP URI, nowhere else. */
  watcherDesk: RosterId,
  /** The desk asked to report (a watch names one desk, so it cannot be replayed to another). */
  deskId: RosterId,
  sentAt: EpochMs,
  nonce: Nonce,
  /** 0 ends the watch. */
  leaseMs: z.number().int().min(0).max(WATCH_LEASE_MS),
});
export type WatchPayload = z.infer<typeof WatchPayload>;

export const MonitorPayload = z.object({
  kind: z.literal('monitor'),
  v: z.literal(1),
  /** The signer: a roster person whose role the roster's policy allows this mode. */
  person: RosterId,
  /** The roster desk the supervisor calls from (the INVITE's From must be its SIP URI). */
  supervisorDesk: RosterId,
  /** The operator desk asked to mix the supervisor in. */
  deskId: RosterId,
  /** The call to monitor, as that desk's state named it. */
  callRef: CallRef,
  mode: MonitorMode,
  sentAt: EpochMs,
  nonce: Nonce,
});
export type MonitorPayload = z.infer<typeof MonitorPayload>;

/** A clearance command older or newer than this (by the shift lead's clock) is refused (issue 10 §4). */
export const CLEARANCE_FRESHNESS_MS = 120_000;
/** The most desks one clearance command names (one token per desk keeps it small and unreplayable elsewhere). */
export const MAX_CLEARANCE_TARGETS = 16;

/**
 * clearance: shift lead desk → each target desk, SIP MESSAGE, signed by the signed-in shift lead's
 * key. Fresh (±CLEARANCE_FRESHNESS_MS), single use (nonce), and only for the desks it names.
 */
export const ClearanceCommandPayload = z.object({
  kind: z.literal('clearance'),
  v: z.literal(1),
  /** The signer: a roster person with the shift-lead role. */
  person: RosterId,
  /** The desk the shift lead clears from: reports go to its SIP URI, nowhere else. */
  leadDesk: RosterId,
  targets: z.array(RosterId).min(1).max(MAX_CLEARANCE_TARGETS),
  sentAt: EpochMs,
  nonce: Nonce,
});
export type ClearanceCommandPayload = z.infer<typeof ClearanceCommandPayload>;

const Count = z.number().int().min(0).max(1e6);
/** Undelivered messages on a desk by state: what "needs attention" reports (never content). */
export const UndeliveredCounts = z.strictObject({ draft: Count, ready: Count, handingOff: Count, failed: Count });
export type UndeliveredCounts = z.infer<typeof UndeliveredCounts>;

/**
 * What a target desk did with a clearance command: cleared (with its signed deletion record), needs
 * attention (undelivered messages, counts only: nothing was cleared), busy (a call or a note in
 * progress: it clears when idle), or failed (it could not clear: its vault is closed, or the clearance
 * failed; nothing half-done, the engine is crash-safe).
 */
export const ClearanceStatusCode = z.enum(['cleared', 'needs-attention', 'busy', 'failed']);
export type ClearanceStatusCode = z.infer<typeof ClearanceStatusCode>;

/** clearance-report: target desk → the command's lead desk, SIP MESSAGE, signed by the desk key. */
export const ClearanceReportPayload = z.object({
  kind: z.literal('clearance-report'),
  v: z.literal(1),
  /** The signer: the roster desk that was asked. */
  deskId: RosterId,
  leadDesk: RosterId,
  /** The command's nonce: the report answers that command and no other. */
  nonce: Nonce,
  sentAt: EpochMs,
  status: ClearanceStatusCode,
  /** Set when cleared: the desk's signed deletion record (itself signed by the desk key). */
  record: DeletionRecord.nullable(),
  /** Set when it needs attention. */
  counts: UndeliveredCounts.nullable(),
});
export type ClearanceReportPayload = z.infer<typeof ClearanceReportPayload>;

export const FloorPayload = z.discriminatedUnion('kind', [DeskStatePayload, WatchPayload, MonitorPayload, ClearanceCommandPayload, ClearanceReportPayload]);
export type FloorPayload = z.infer<typeof FloorPayload>;

export { MonitorMode, PublicKeyText };
