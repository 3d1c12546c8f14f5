/**
 * Clearance over the process boundary (issue 10): the plan the End of day screen shows, the
 * clearance itself, and the desk's deletion records. Every method needs a signed-in shift lead.
 * Nothing here carries a message's content, a caller's name or number.
 */
import { z } from 'zod';
import { ClearancePlan, DeletionRecord, MAX_UNDELIVERED, Settlement, UndeliveredItem } from '../clearance/schema.js';

function method<A extends z.ZodType, R extends z.ZodType>(args: A, result: R) {
  return { args, result };
}

/** The most records one call returns (newest last). */
export const MAX_RECORDS_LISTED = 200;

export const ClearDeskArgs = z.strictObject({
  settlements: z.array(Settlement).max(MAX_UNDELIVERED),
  /** The typed confirmation: the desk's roster id, as the shift lead typed it. */
  confirm: z.string().max(64),
});
export type ClearDeskArgs = z.infer<typeof ClearDeskArgs>;

export const SendAgainArgs = z.strictObject({
  noteId: UndeliveredItem.shape.noteId,
  /** retry: hand off again now over the usual channels; fallback: send by the client's fallback channel. */
  action: z.enum(['retry', 'fallback']),
});
export type SendAgainArgs = z.infer<typeof SendAgainArgs>;

/** The largest export (a record's JSON is ~2 KB, its sheet ~5 KB). */
export const MAX_EXPORT_CHARS = 256 * 1024;

export const ExportRecordArgs = z.strictObject({
  /** deletion-record-<desk>-<seq>.json (the signed record) or .html (its readable sheet). */
  fileName: z.string().regex(/^deletion-record-[a-z0-9][a-z0-9-]{0,63}-\d{6,}\.(json|html)$/),
  text: z.string().min(1).max(MAX_EXPORT_CHARS),
});
export type ExportRecordArgs = z.infer<typeof ExportRecordArgs>;

export const clearanceContract = {
  /** Counts and every undelivered message (client, channels, state, reason), for the shift lead to settle. */
  planClearance: method(z.undefined(), ClearancePlan),
  /** Clears this desk once every undelivered message is settled; the signed deletion record. */
  clearDesk: method(ClearDeskArgs, DeletionRecord),
  /**
   * Retry now, or send by the client's fallback channel, one undelivered message; the fresh plan. The
   * message is settled once delivered (then wiped as usual): until then it still needs a settlement.
   */
  sendUndelivered: method(SendAgainArgs, ClearancePlan),
  /**
   * Saves a record's export where the shift lead chooses (Electron: a save dialog, as downloads are
   * refused). via 'page': this desk saves nothing itself (dev-web), the page downloads the file.
   */
  exportDeletionRecord: method(ExportRecordArgs, z.strictObject({ saved: z.boolean(), via: z.enum(['desk', 'page']) })),
  /** This desk's deletion records, oldest first. */
  listDeletionRecords: method(z.strictObject({ limit: z.number().int().min(1).max(MAX_RECORDS_LISTED) }), z.array(DeletionRecord).max(MAX_RECORDS_LISTED)),
} as const;
