/**
 * What the operator's own desk shows about clearance (issue 10 §5, §6): that the desk was cleared
 * (when, by whom), and that it needs attention because a clearance could not run (what is left
 * undelivered). Counts and codes only; a person's name comes from the roster for the screen, never
 * from a record.
 */
import { z } from 'zod';

const Count = z.number().int().min(0).max(1_000_000);

/** Who asked for the clearance that could not run: the daily schedule, or a shift lead's floor command. */
export const AttentionSource = z.enum(['schedule', 'floor']);
export type AttentionSource = z.infer<typeof AttentionSource>;

/** What stopped a clearance: messages not yet delivered (failed ones counted apart). */
export const AttentionCounts = z.strictObject({ undelivered: Count, failed: Count });
export type AttentionCounts = z.infer<typeof AttentionCounts>;

/** "Needs attention" (要対応): a clearance was asked for and refused because something is undelivered. */
export const NeedsAttention = z.strictObject({
  source: AttentionSource,
  counts: AttentionCounts,
  /** When it was first raised (epoch ms). */
  since: z.number().int().min(0).max(8.64e15),
});
export type NeedsAttention = z.infer<typeof NeedsAttention>;

/** The last clearance of this desk, as its operator is told. */
export const ClearedNotice = z.strictObject({
  /** The deletion record's seq (what `dismissClearanceNotice` names). */
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  at: z.iso.datetime(),
  by: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('schedule') }),
    z.strictObject({
      kind: z.literal('person'),
      role: z.enum(['operator', 'supervisor', 'shift-lead']),
      /** The person's name from the roster; null when the roster no longer lists them. */
      name: z.string().max(100).nullable(),
    }),
  ]),
  /** A scheduled clearance run at the desk's next start because it was off at the time. */
  late: z.boolean(),
  /** The scheduled time, for a scheduled clearance. */
  due: z.iso.datetime().nullable(),
});
export type ClearedNotice = z.infer<typeof ClearedNotice>;

export const ClearanceNotice = z.strictObject({
  /** Not yet dismissed on this desk; null when there is nothing to tell. */
  cleared: ClearedNotice.nullable(),
  attention: NeedsAttention.nullable(),
});
export type ClearanceNotice = z.infer<typeof ClearanceNotice>;

/** What the renderer says of its desk: a call in progress, a note being typed. */
export const DeskBusyArgs = z.strictObject({ call: z.boolean(), typing: z.boolean() });
export type DeskBusyArgs = z.infer<typeof DeskBusyArgs>;
