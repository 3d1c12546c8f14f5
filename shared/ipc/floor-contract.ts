/**
 * The floor's side of the API (issue 9 §4, §5): the renderer owns the SIP user agent, so it carries
 * floor messages; the main process holds the keys, checks every token and keeps the board.
 *
 * - An operator desk asks main to complete and sign its state (`floorReport`) and sends the token to
 *   each watcher main names; a watch or state token that arrives by SIP MESSAGE goes to main as is
 *   (`floorDeliver`), which checks it before anything is kept.
 * - A supervisor desk asks main for signed watches (`floorWatch`), one per roster desk, and sends
 *   them; the board main keeps from the states it receives arrives as a desk event (`floor-board`).
 */
import { z } from 'zod';
import { CallRef, DeskActivity, DeskStatePayload, LineHealth, MAX_TOKEN_CHARS } from '../floor/wire.js';
import { DeskSipUri, RosterId } from '../roster/schema.js';

const EpochMs = z.number().int().min(0).max(8.64e15);

/** What the renderer knows of its desk: the activity its calls and notes make, and its line. */
export const FloorReportArgs = z.object({
  activity: DeskActivity,
  since: EpochMs,
  call: z
    .object({
      ref: CallRef,
      client: z.object({ id: z.string().min(1).max(64), name: z.string().min(1).max(200) }).nullable(),
      onHold: z.boolean(),
      monitored: z.boolean(),
    })
    .nullable(),
  line: LineHealth,
});
export type FloorReportArgs = z.infer<typeof FloorReportArgs>;

/** A floor token and the SIP URI of the roster desk it goes to. */
export const FloorMessage = z.object({ to: DeskSipUri, token: z.string().min(1).max(MAX_TOKEN_CHARS) });
export type FloorMessage = z.infer<typeof FloorMessage>;

/** The signed state and where it goes (the live watchers); empty when the desk has no roster. */
export const FloorReportResult = z.object({ messages: z.array(FloorMessage).max(2_000) });
export type FloorReportResult = z.infer<typeof FloorReportResult>;

/** A MESSAGE body that arrived with the floor content type, and the From it claimed (not trusted). */
export const FloorDeliverArgs = z.object({
  body: z.string().max(MAX_TOKEN_CHARS + 2),
  from: z.string().max(512),
});
export type FloorDeliverArgs = z.infer<typeof FloorDeliverArgs>;

/**
 * What main did with a delivered token: kept (as a watch or a state), a clearance command handled or a
 * clearance report kept (issue 10 §4), or dropped. `messages` are for the renderer to send (a target
 * desk's signed report to the shift lead's desk).
 */
export const FloorDeliverResult = z.object({
  outcome: z.enum(['watch', 'unwatch', 'state', 'clearance', 'clearance-report', 'ignored', 'dropped']),
  messages: z.array(FloorMessage).max(16).optional(),
});
export type FloorDeliverResult = z.infer<typeof FloorDeliverResult>;

/** Watches for every roster desk (lease 0 when `end`), and when to renew them. */
// Strict: a request carrying anything else is refused, not silently read as a watch.
export const FloorWatchArgs = z.strictObject({ end: z.boolean().default(false) });
export const FloorWatchResult = z.object({
  messages: z.array(FloorMessage).max(2_000),
  /** When to ask again (a third of the lease); null when this desk may not watch (nobody with the role). */
  renewInMs: z.number().int().min(0).nullable(),
});
export type FloorWatchResult = z.infer<typeof FloorWatchResult>;

/** One roster desk on the supervisor's board. */
export const BoardRow = z.object({
  deskId: RosterId,
  deskName: z.string().max(100),
  /** The signed-in person's name from the roster (null when nobody, or an id the roster lacks). */
  operator: z.string().max(100).nullable(),
  /** The last verified state, null before the first one arrived. */
  state: DeskStatePayload.nullable(),
  /** Silent for longer than UNREACHABLE_AFTER_MS (or never heard). */
  reachable: z.boolean(),
  /** When this desk's last state arrived, by the board's clock. */
  heardAt: EpochMs.nullable(),
});
export type BoardRow = z.infer<typeof BoardRow>;

/** Why states were dropped, as counts (forged, unknown desk, stale …). */
export const DroppedCounts = z.object({
  malformed: z.number().int().min(0),
  schema: z.number().int().min(0),
  'unknown-signer': z.number().int().min(0),
  'bad-signature': z.number().int().min(0),
  stale: z.number().int().min(0),
  'wrong-kind': z.number().int().min(0),
});
export type DroppedCounts = z.infer<typeof DroppedCounts>;

export const FloorBoardView = z.object({
  /** When the board was drawn up (epoch ms), for "time in state". */
  at: EpochMs,
  rows: z.array(BoardRow).max(2_000),
  dropped: DroppedCounts,
});
export type FloorBoardView = z.infer<typeof FloorBoardView>;

export const floorContract = {
  /** Completes this desk's state (desk, seq, person, outbox), signs it, and names the live watchers. */
  floorReport: { args: FloorReportArgs, result: FloorReportResult },
  /** A floor MESSAGE body that arrived: a watch (operator desk) or a state (supervisor desk). */
  floorDeliver: { args: FloorDeliverArgs, result: FloorDeliverResult },
  /** Signed watches for every roster desk, from the person signed in here (supervisor or shift lead). */
  floorWatch: { args: FloorWatchArgs, result: FloorWatchResult },
  /** The supervisor's board as it stands (later changes arrive as `floor-board` desk events). */
  getFloorBoard: { args: z.undefined(), result: FloorBoardView },
} as const;
