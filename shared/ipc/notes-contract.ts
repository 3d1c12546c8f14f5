/**
 * Schemas for notes, hand-off, the outbox and the audit trail (issue 4). Note content crosses the
 * process boundary only to be shown in the form; everything listed for the shift lead is content-free.
 */
import { z } from 'zod';
import { MessageField } from '../directory/schema.js';

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
  /**
   * Whether any field holds something other than blanks. An empty draft may be discarded by the
   * operator; a note with content never is (discardNote refuses it): it is handed off.
   */
  hasContent: z.boolean(),
  /** When retention will destroy it if still undelivered. */
  expiresAt: z.string().nullable(),
});
export type NoteSummary = z.infer<typeof NoteSummary>;

export const NoteFields = z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/), z.string().max(2_000_000));

/**
 * The form a note is taken on: the client's message form, or the generic one (unknown number, or a
 * client no longer in the directory). Carried with the note so a note reopened after a restart, when
 * the call's pop is gone, is shown on the same form. `generic` lets the UI translate the labels.
 */
export const NoteForm = z.object({ fields: z.array(MessageField), generic: z.boolean() });
export type NoteForm = z.infer<typeof NoteForm>;

/** The generic message form (labels are the UI's to translate when `generic` is set). */
export const GENERIC_MESSAGE_FIELDS: readonly MessageField[] = [
  { id: 'callerName', kind: 'callerName', label: 'お名前', required: true },
  { id: 'callerKana', kind: 'callerKana', label: 'フリガナ', required: false },
  { id: 'company', kind: 'company', label: '会社名', required: false },
  { id: 'callbackNumber', kind: 'callbackNumber', label: '折り返し先', required: true },
  { id: 'subject', kind: 'subject', label: 'ご用件', required: true },
  { id: 'urgency', kind: 'urgency', label: '緊急度', required: false, options: ['通常', '至急'] },
  { id: 'freeText', kind: 'freeText', label: '伝言', required: false },
];

export const NoteView = z.object({
  summary: NoteSummary,
  fields: NoteFields,
  call: z.object({ did: z.string(), callerName: z.string(), callerNumber: z.string(), receivedAt: z.string() }),
  form: NoteForm,
});
export type NoteView = z.infer<typeof NoteView>;

export const OpenNoteArgs = z.object({
  callId: z.string().min(1).max(128),
});

export const SaveNoteArgs = z.object({ noteId: z.string().min(1).max(64), fields: NoteFields });

/** Seconds a copied note text may stay on the system clipboard before the desk clears it. */
export const CLIPBOARD_CLEAR_MS = 30_000;

/**
 * A copy from a note field, handed to the main process: it puts the text on the system clipboard
 * marked concealed for clipboard managers, and clears it after CLIPBOARD_CLEAR_MS if it still holds
 * that text. The text is never logged or written to disk.
 */
export const CopyNoteTextArgs = z.object({ text: z.string().min(1).max(2_000_000) });
export const CopyNoteTextResult = z.object({ clearsInMs: z.number().int().min(0) });

/**
 * Why a hand-off job is not delivered yet, as a closed set the UI words in the operator's language
 * (the sender's own phrase, `lastError`, is English detail for whoever fixes the channel). The first
 * eight are the audit trail's hand-off reason codes; `interrupted` (the desk closed mid-attempt) and
 * `note-gone` (the note expired or was cleared before it could be sent) are the outbox's own.
 */
/** Why a delivery attempt failed: the audit trail records these very codes (audit-event.ts). */
export const HAND_OFF_FAILURES = ['network', 'timeout', 'rate-limited', 'server-error', 'rejected', 'redirect', 'bad-response', 'misconfigured'] as const;
export const DeliveryReason = z.enum([...HAND_OFF_FAILURES, 'interrupted', 'note-gone']);
export type DeliveryReason = z.infer<typeof DeliveryReason>;

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
  /** The sender's own phrase (English, for whoever fixes the channel); null once delivered or requeued. */
  lastError: z.string().nullable(),
  /** What `lastError` means, for the operator's sentence; null exactly when `lastError` is. */
  reason: DeliveryReason.nullable(),
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
  /** A person on the floor, pseudonymous (16 hex digits), never a name. */
  personRef: z.string().optional(),
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
