/**
 * Builds the HandOffMessage a sender receives from a decrypted note and its client, at the moment
 * of sending. The message lives only for the attempt: the outbox keeps ids, never this.
 */
import type { Client } from '../../../../shared/directory/schema.js';
import type { HandOffMessage } from '../handoff/types.js';

/** A decrypted note as the vault returns it (the parts a message is made of). */
export interface NoteForHandOff {
  id: string;
  fields: Readonly<Record<string, string>>;
  call: { did: string; callerName: string; callerNumber: string; receivedAt: string };
  takenAt: string;
}

const URGENT_WORDS = /至急|緊急|大至急|urgent|asap|emergency/i;
const RECIPIENT_ID = /^(forWhom|recipient|staff|staffName|addressee|to)$/i;
const RECIPIENT_LABEL = /宛|担当者|message for|for whom/i;

const valueOf = (fields: Readonly<Record<string, string>>, id: string | undefined) => (id === undefined ? '' : (fields[id] ?? '').trim());

/**
 * Whether the note is urgent, by the client's urgency field. Its options are written most urgent
 * last (「通常 / 本日中 / 至急」, "Normal / Today / Urgent"); when an option names urgency outright
 * (至急, 緊急, urgent) that word decides instead, so an admin who lists 「至急」 first is not misread.
 */
export function isUrgent(client: Client, fields: Readonly<Record<string, string>>): boolean {
  const field = client.messageForm.fields.find((f) => f.kind === 'urgency');
  const value = valueOf(fields, field?.id);
  if (!field || value === '') return false;
  const options = field.options ?? [];
  if (options.some((o) => URGENT_WORDS.test(o)) || options.length < 2) return URGENT_WORDS.test(value);
  return value === options[options.length - 1];
}

/** Who the message is for, when the client's form asks it (e.g. 「担当者」, "Message for"). */
export function recipientOf(client: Client, fields: Readonly<Record<string, string>>): string | undefined {
  const field = client.messageForm.fields.find(
    (f) => (f.kind === 'text' || f.kind === 'select') && (RECIPIENT_ID.test(f.id) || RECIPIENT_LABEL.test(f.label)),
  );
  const value = valueOf(fields, field?.id);
  return value === '' ? undefined : value;
}

function subjectOf(client: Client, note: NoteForHandOff): string {
  const byKind = (kind: string) => valueOf(note.fields, client.messageForm.fields.find((f) => f.kind === kind)?.id);
  const caller = byKind('callerName') || note.call.callerName.trim();
  const topic = byKind('subject');
  if (client.language === 'en') {
    return [`Message from ${caller || 'a caller'}`, topic].filter(Boolean).join(' — ');
  }
  return [`【伝言】${caller ? `${caller}様より` : 'お客様より'}`, topic].filter(Boolean).join(' — ');
}

/** The message for one channel attempt of `note`. Fields follow the client's form order; empty ones are left out. */
export function buildHandOffMessage(client: Client, note: NoteForHandOff, idempotencyKey: string): HandOffMessage {
  const fields = client.messageForm.fields
    .map((f) => ({ id: f.id, label: f.label, value: valueOf(note.fields, f.id) }))
    .filter((f) => f.value !== '');
  const recipient = recipientOf(client, note.fields);
  const template = client.handOff.templates[client.language];
  return {
    idempotencyKey,
    noteId: note.id,
    client: { id: client.id, name: client.name, language: client.language },
    urgent: isUrgent(client, note.fields),
    subject: subjectOf(client, note),
    fields,
    call: { ...note.call },
    takenAt: note.takenAt,
    ...(recipient === undefined ? {} : { recipient }),
    minimalChat: client.handOff.minimalChat,
    ...(template === undefined ? {} : { template }),
  };
}
