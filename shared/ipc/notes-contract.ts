/**
 * Schemas for notes, hand-off, the outbox and the audit trail (issue 4). Note content crosses the
 * process boundary only to be shown in the form; everything listed for the shift lead is content-free.
 */
import { z } from 'zod';

export const NoteStateSchema = z.enum(['draft', 'ready', 'handing-off', 'delivered', 'failed']);

/** Content-free description of a note (what the outbox and restart recovery list). */
export const NoteSummary = z.object({
  id: z.string(),
  callId: z.string(),
  clientId: z.string().nullable(),
  clientName: z.string(),
  training: z.boolean(),
  state: NoteStateSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  saves: z.number().int(),
  /** When retention will destroy it if still undelivered. */
  expiresAt: z.string().nullable(),
});
export type NoteSummary = z.infer<typeof NoteSummary>;

export const NoteFields = z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/), z.string().max(2_000_000));

export const NoteView = z.object({
  summary: NoteSummary,
  fields: NoteFields,
  call: z.object({ did: z.string(), callerName: z.string(), callerNumber: z.string(), receivedAt: z.string() }),
});
export type NoteView = z.infer<typeof NoteView>;

export const OpenNoteArgs = z.object({
  callId: z.string().min(1).max(128),
});

export const SaveNoteArgs = z.object({ noteId: z.string().min(1).max(64), fields: NoteFields });

export const OutboxJobView = z.object({
  id: z.string(),
  noteId: z.string(),
  clientId: z.string(),
  clientName: z.string(),
  channelId: z.string(),
  kind: z.string(),
  state: z.enum(['pending', 'sending', 'retrying', 'failed', 'delivered']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type OutboxJobView = z.infer<typeof OutboxJobView>;

export const AuditEventView = z.object({
  seq: z.number().int(),
  at: z.string(),
  type: z.string(),
  noteId: z.string().optional(),
  clientId: z.string().optional(),
  channel: z.string().optional(),
  count: z.number().optional(),
  reason: z.string().optional(),
  hash: z.string(),
});

export const AuditView = z.object({
  events: z.array(AuditEventView),
  chain: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), events: z.number().int() }),
    z.object({ ok: z.literal(false), line: z.number().int(), reason: z.string() }),
  ]),
});
export type AuditView = z.infer<typeof AuditView>;
