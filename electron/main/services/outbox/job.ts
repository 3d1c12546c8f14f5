/**
 * One hand-off job: one note to one channel. A job holds ids, states and times only — never the
 * message: the content stays in the vault, sealed under the note's own key, and is read back at the
 * moment of sending, so wiping the note leaves nothing of it in the outbox.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { HandOffChannel } from '../../../../shared/directory/schema.js';
import { DeliveryReason } from '../../../../shared/ipc/notes-contract.js';

export const JobState = z.enum(['pending', 'sending', 'retrying', 'failed', 'delivered']);
/**
 * - pending: waiting for its first (or a manually requested) attempt,
 * - sending: one attempt in flight,
 * - retrying: the last attempt can succeed later; `nextAttemptAt` says when,
 * - failed: it will not succeed as configured; `lastError` says why; only a person retries it,
 * - delivered: the receiver confirmed it.
 */
export type JobState = z.infer<typeof JobState>;

const KINDS = ['email', 'slack', 'teams', 'chatwork', 'lineworks', 'webhook', 'transfer'] as const;
// Fails to compile when the directory gains or loses a channel kind, so the two lists cannot drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const kindsMatch: Same<(typeof KINDS)[number], HandOffChannel['kind']> = true;
void kindsMatch;
const ChannelKind = z.enum(KINDS);

const Iso = z.string().datetime({ offset: true });

export const OutboxJob = z.object({
  id: z.string().min(1).max(128),
  noteId: z.string().min(1).max(128),
  clientId: z.string().min(1).max(64),
  channelId: z.string().min(1).max(64),
  kind: ChannelKind,
  idempotencyKey: z.string().min(1).max(128),
  state: JobState,
  attempts: z.number().int().min(0),
  nextAttemptAt: Iso.nullable(),
  lastError: z.string().max(500).nullable(),
  /**
   * What `lastError` means (reason-code.ts), set with it. Absent on jobs stored before it existed:
   * the view derives it from the phrase then.
   */
  reason: DeliveryReason.nullable().optional(),
  createdAt: Iso,
  deliveredAt: Iso.nullable(),
  /**
   * Sent by the client's fallback channel at End of day (issue 10 §2): once this job is delivered the
   * message is delivered, whatever its other channels did.
   */
  fallback: z.boolean().optional(),
});
/** A hand-off job as the outbox keeps it and the outbox view shows it. */
export type OutboxJob = z.infer<typeof OutboxJob>;

function digest(label: string, noteId: string, channelId: string, bytes: number): string {
  // NUL separators: ids cannot contain one, so ("a:b", "c") and ("a", "b:c") never collide.
  return createHash('sha256').update(`${label}\0${noteId}\0${channelId}`).digest('hex').slice(0, bytes * 2);
}

/**
 * The idempotency key of the hand-off of `noteId` over `channelId`. Derived, not drawn: a job that
 * is re-created (after a crash between writing the note's state and its jobs) still carries the key
 * the receiver may already have seen, so the receiver drops the duplicate.
 */
export function idempotencyKeyFor(noteId: string, channelId: string): string {
  return `kz1-${digest('kotozute hand-off idempotency key v1', noteId, channelId, 16)}`;
}

/** The job id of the hand-off of `noteId` over `channelId`: stable for the same reason. */
export function jobIdFor(noteId: string, channelId: string): string {
  return `job-${digest('kotozute outbox job id v1', noteId, channelId, 12)}`;
}
