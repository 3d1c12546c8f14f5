/**
 * Clearance (issue 10): how an undelivered message is settled before a desk is cleared, what the
 * plan shows the shift lead, and the signed deletion record (消去記録) each clearance leaves.
 *
 * Everything here is ids, counts, times and codes from closed lists: there is no field a caller's
 * name, number or a note's text fits into, so a record can be handed to an auditor as it is.
 */
import { z } from 'zod';
import { ClientId } from '../directory/schema.js';
import { Role, RosterId, SignatureText } from '../roster/schema.js';

const NoteId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a note id (UUID v4)');
const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, '64 hex digits');
const Count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** At most this many undelivered items are settled in one clearance (a desk holds far fewer). */
export const MAX_UNDELIVERED = 20_000;

/** Why a shift lead discards an undelivered message: a code, never a sentence. */
export const DiscardReason = z.enum(['caller-withdrew', 'duplicate', 'test-call', 'wrong-number', 'client-informed-by-phone', 'nuisance']);
export type DiscardReason = z.infer<typeof DiscardReason>;

export const SettlementAction = z.enum(['retry', 'fallback', 'carry-over', 'discard']);
export type SettlementAction = z.infer<typeof SettlementAction>;

export const Settlement = z.discriminatedUnion('action', [
  z.strictObject({ noteId: NoteId, action: z.literal('retry') }),
  z.strictObject({ noteId: NoteId, action: z.literal('fallback') }),
  z.strictObject({ noteId: NoteId, action: z.literal('carry-over') }),
  z.strictObject({ noteId: NoteId, action: z.literal('discard'), reason: DiscardReason }),
]);
export type Settlement = z.infer<typeof Settlement>;

export const UndeliveredState = z.enum(['draft', 'ready', 'handing-off', 'failed']);
export const ChannelKindCode = z.enum(['email', 'slack', 'teams', 'chatwork', 'lineworks', 'webhook', 'transfer']);

/** One message not yet delivered, as the plan shows it: never its content. */
export const UndeliveredItem = z.strictObject({
  noteId: NoteId,
  clientId: ClientId.nullable(),
  /** The kinds of channel its hand-off jobs go to (empty: not handed off yet). */
  channels: z.array(ChannelKindCode).max(16),
  state: UndeliveredState,
  /** The audit reason code of its last failed or retrying job, if any. */
  reason: z.string().max(40).nullable(),
  createdAt: z.iso.datetime(),
  /** The kind of the client's fallback channel (directory handOff.fallback); null: it has none. */
  fallback: ChannelKindCode.nullable().optional(),
  /** Sent again at End of day (retry or fallback) and not delivered yet: the row still needs settling. */
  resent: z.enum(['retry', 'fallback']).nullable().optional(),
});
export type UndeliveredItem = z.infer<typeof UndeliveredItem>;

/** Notes on the desk by state (training notes apart, whatever their state). */
export const NoteCounts = z.strictObject({
  draft: Count,
  ready: Count,
  handingOff: Count,
  failed: Count,
  delivered: Count,
  training: Count,
});
export type NoteCounts = z.infer<typeof NoteCounts>;

export const JobCounts = z.strictObject({ pending: Count, sending: Count, retrying: Count, failed: Count, delivered: Count });
export type JobCounts = z.infer<typeof JobCounts>;

export const ClearancePlan = z.strictObject({
  notes: NoteCounts,
  jobs: JobCounts,
  /** Notes that could not be opened at start, kept in quarantine until the shift key goes. */
  quarantined: Count,
  /** Files in the crash-dump and temp folders under the data directory. */
  leftovers: Count,
  /** Whether the day's shift key (KEK) is in the keychain. */
  shiftKey: z.boolean(),
  undelivered: z.array(UndeliveredItem).max(MAX_UNDELIVERED),
});
export type ClearancePlan = z.infer<typeof ClearancePlan>;

export const RECORD_FORMAT = 'kotozute-deletion-record';
export const RECORD_METHOD = 'cryptographic erase of the shift key + file deletion';
export const RECORD_STANDARD = 'NIST SP 800-88 Rev. 1 Purge';

export const AuditHeadRef = z.strictObject({
  trail: z.string().regex(/^[0-9a-f]{16}$/),
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  hash: Hex64,
});

/** A person who confirmed the clearance (a shift lead, or the sender of a floor command). */
export const ByPerson = z.strictObject({ personId: RosterId, role: Role });
/** The site's daily clearance (roster policy), run by the desk itself: no person. */
export const BySchedule = z.strictObject({ role: z.literal('schedule') });
export const ClearanceBy = z.union([ByPerson, BySchedule]);
export type ClearanceBy = z.infer<typeof ClearanceBy>;

/** A scheduled clearance: when it was due, and whether the desk ran it late (it was off, or asleep, then). */
export const ScheduleRef = z.strictObject({
  due: z.iso.datetime(),
  /** True when the desk was not running at `due` and cleared at its next start (or wake). */
  late: z.boolean(),
});
export type ScheduleRef = z.infer<typeof ScheduleRef>;

/** The deletion record (消去記録), as signed by the desk key (Ed25519) and kept under records/. */
export const DeletionRecord = z.strictObject({
  format: z.literal(RECORD_FORMAT),
  v: z.literal(1),
  /** 1 for a desk's first record, then one more each clearance. */
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  deskId: RosterId,
  at: z.iso.datetime(),
  by: ClearanceBy,
  /** Only on a scheduled clearance (by.role 'schedule'): its due time and whether it ran late. */
  schedule: ScheduleRef.optional(),
  destroyed: z.strictObject({
    notes: NoteCounts,
    outboxJobs: Count,
    quarantined: Count,
    leftovers: Count,
    /** Renderer storage areas cleared (Electron: Local Storage, IndexedDB, … HTTP and code caches; dev-web: pages told to clear theirs). */
    rendererStorage: Count.optional(),
    /** 1 when the clipboard still held the desk's copy of a note and was cleared. */
    clipboard: Count.optional(),
  }),
  carriedOver: z.strictObject({ notes: Count, outboxJobs: Count }),
  discarded: z.strictObject({ notes: Count, reasons: z.partialRecord(DiscardReason, Count) }),
  method: z.literal(RECORD_METHOD),
  standard: z.literal(RECORD_STANDARD),
  /** SHA-256 of the destroyed shift key's id (never the key); null when the desk held no shift key. */
  destroyedKey: Hex64.nullable(),
  /** SHA-256 of the previous record of this desk (64 zeros for the first). */
  prev: Hex64,
  /** The audit trail's head when the clearance was committed (`audit verify --head RECORD`). */
  auditHead: AuditHeadRef.nullable(),
  signature: SignatureText,
}).refine((r) => (r.by.role === 'schedule') === (r.schedule !== undefined), {
  message: 'a scheduled clearance (by.role "schedule") carries its schedule, and only it does',
  path: ['schedule'],
});
export type DeletionRecord = z.infer<typeof DeletionRecord>;
