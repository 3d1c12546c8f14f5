/**
 * Clearing the floor (issue 10 §4) over the process boundary. The shift lead's desk asks main for one
 * signed clearance command per target desk (`floorClearAll`), sends each with its line, and tells main
 * which sends failed (`floorClearanceUnsent`: that desk is offline). Reports that come back arrive by
 * `floorDeliver`; the live status is pushed as a `floor-clearance` desk event. Shift lead only.
 * Nothing here carries personal data: desk ids, counts, times and the desks' signed deletion records.
 */
import { z } from 'zod';
import { DeletionRecord } from '../clearance/schema.js';
import { MAX_TOKEN_CHARS, Nonce, UndeliveredCounts } from '../floor/wire.js';
import { DeskSipUri, RosterId } from '../roster/schema.js';

const EpochMs = z.number().int().min(0).max(8.64e15);
/** The most desks one floor clearance covers (a roster holds far fewer). */
export const MAX_FLOOR_DESKS = 500;
/** How long a target desk may stay silent after its command before it shows as offline. */
export const CLEARANCE_ANSWER_MS = 30_000;

export const FloorClearAllArgs = z.strictObject({
  /** The desks to clear (roster ids); none = every roster desk but this one. */
  desks: z.array(RosterId).min(1).max(MAX_FLOOR_DESKS).optional(),
  /** The typed confirmation: the number of desks to clear, as the shift lead typed it. */
  confirm: z.string().max(16),
});
export type FloorClearAllArgs = z.infer<typeof FloorClearAllArgs>;

export const FloorDeskStatus = z.enum(['clearing', 'busy', 'cleared', 'needs-attention', 'offline', 'failed']);
export type FloorDeskStatus = z.infer<typeof FloorDeskStatus>;

/** One desk of the floor clearance, as the shift lead's screen lists it. */
export const FloorClearanceRow = z.strictObject({
  deskId: RosterId,
  deskName: z.string().max(100),
  status: FloorDeskStatus,
  /** When the status last changed (the shift lead desk's clock). */
  at: EpochMs,
  /** Undelivered messages by state, when it needs attention. */
  counts: UndeliveredCounts.nullable(),
  /** The desk's signed deletion record, when cleared (checked against the roster's desk key). */
  record: DeletionRecord.nullable(),
  /** SHA-256 of that record (as the audit trail and the next record's `prev` name it). */
  recordHash: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
});
export type FloorClearanceRow = z.infer<typeof FloorClearanceRow>;

export const FloorClearanceView = z.strictObject({
  /** The clearance in progress or last run on this desk; null before the first. */
  round: z.strictObject({ by: RosterId, leadDesk: RosterId, startedAt: EpochMs }).nullable(),
  rows: z.array(FloorClearanceRow).max(MAX_FLOOR_DESKS),
});
export type FloorClearanceView = z.infer<typeof FloorClearanceView>;

/** A signed command and the desk it goes to (the renderer sends it; a failed send = that desk offline). */
export const ClearanceMessage = z.strictObject({ deskId: RosterId, nonce: Nonce, to: DeskSipUri, token: z.string().min(1).max(MAX_TOKEN_CHARS) });
export type ClearanceMessage = z.infer<typeof ClearanceMessage>;

export const floorClearanceContract = {
  /** Signs a clearance command per target desk (shift lead only) and starts the live status. */
  floorClearAll: { args: FloorClearAllArgs, result: z.strictObject({ messages: z.array(ClearanceMessage).max(MAX_FLOOR_DESKS), status: FloorClearanceView }) },
  /** The command to this desk could not be sent: it shows as offline. */
  floorClearanceUnsent: { args: z.strictObject({ deskId: RosterId, nonce: Nonce }), result: FloorClearanceView },
  /** The floor clearance as it stands (later changes arrive as `floor-clearance` desk events). */
  getFloorClearance: { args: z.undefined(), result: FloorClearanceView },
} as const;
