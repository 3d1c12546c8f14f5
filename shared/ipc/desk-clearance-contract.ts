/**
 * The operator's side of clearance (issue 10 §5, §6): any desk, anyone signed in or not. The page
 * tells main when it is busy (a scheduled clearance waits for it) and reads what to show: the last
 * clearance (until dismissed) and "needs attention".
 */
import { z } from 'zod';
import { ClearanceNotice, DeskBusyArgs } from '../clearance/notice.js';

function method<A extends z.ZodType, R extends z.ZodType>(args: A, result: R) {
  return { args, result };
}

export const deskClearanceContract = {
  /**
   * The page's busy state. Busy is a lease: it lapses BUSY_LEASE_MS after the last report, so a page
   * that died never holds the clearance back for good; a busy page reports again within the lease.
   */
  reportDeskBusy: method(DeskBusyArgs, z.strictObject({ leaseMs: z.number().int().min(0) })),
  /** What the desk's own screen says about clearance. */
  getClearanceNotice: method(z.undefined(), ClearanceNotice),
  /** The operator dismissed the notice of clearance `seq`. */
  dismissClearanceNotice: method(z.strictObject({ seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }), ClearanceNotice),
} as const;

/** A busy report lapses after this long without another. */
export const BUSY_LEASE_MS = 3 * 60_000;
/** A busy page reports again this often (well within the lease). */
export const BUSY_RENEW_MS = 60_000;
