/**
 * Clearance over the process boundary (issue 10): the plan the End of day screen shows, the
 * clearance itself, and the desk's deletion records. Every method needs a signed-in shift lead.
 * Nothing here carries a message's content, a caller's name or number.
 */
import { z } from 'zod';
import { ClearancePlan, DeletionRecord, MAX_UNDELIVERED, Settlement } from '../clearance/schema.js';

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

export const clearanceContract = {
  /** Counts and every undelivered message (client, channels, state, reason), for the shift lead to settle. */
  planClearance: method(z.undefined(), ClearancePlan),
  /** Clears this desk once every undelivered message is settled; the signed deletion record. */
  clearDesk: method(ClearDeskArgs, DeletionRecord),
  /** This desk's deletion records, oldest first. */
  listDeletionRecords: method(z.strictObject({ limit: z.number().int().min(1).max(MAX_RECORDS_LISTED) }), z.array(DeletionRecord).max(MAX_RECORDS_LISTED)),
} as const;
