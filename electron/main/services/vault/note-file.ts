/**
 * The vault's files on disk — ciphertext and non-personal meta only:
 *
 *   <dir>/notes/<id>.note    one per live note: meta (ids, state, times, save count), an HMAC over
 *                            the meta, the sealed call context and the sealed fields
 *   <dir>/keys.jsonl         the wrapped data keys of live notes, one JSON line each
 *   <dir>/quarantine/        note files that could not be opened, kept for inspection
 *
 * Why the wrapped keys are not inside the note files: a wipe must leave nothing that opens the
 * note — not even together with the shift's KEK, which lives until the end of the day. With the key
 * beside the ciphertext, a copy of the note file plus the KEK would still open it after the wipe.
 * Kept apart, the wipe rewrites keys.jsonl without the note's key, and a copy of the note file is
 * ciphertext nobody holds a key for. (Old disk blocks of keys.jsonl are what the end-of-day KEK
 * destruction is for.)
 */
import { z } from 'zod';
import { ClientId } from '../../../../shared/directory/schema.js';
import { NoteId } from '../audit/audit-event.js';
import { CallId } from './note-input.js';

export const NOTE_FORMAT = 'kotozute-note';
export const NOTE_EXT = '.note';

/** Strict base64: what decodes must encode back to the same text. */
const Base64 = z.string().refine((s) => Buffer.from(s, 'base64').toString('base64') === s, 'not base64');
export const SealedSchema = z.strictObject({ iv: Base64, tag: Base64, data: Base64 });

export const NoteStateSchema = z.enum(['draft', 'ready', 'handing-off', 'delivered', 'failed']);

export const NoteMetaSchema = z.strictObject({
  id: NoteId,
  callId: CallId,
  clientId: ClientId.nullable(),
  training: z.boolean(),
  state: NoteStateSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  saves: z.number().int().min(0),
});

export const NoteFileSchema = z.strictObject({
  format: z.literal(NOTE_FORMAT),
  v: z.literal(1),
  meta: NoteMetaSchema,
  /** HMAC-SHA256 of the canonical meta under the note's meta key. */
  mac: Base64,
  call: SealedSchema,
  /** The revision the fields were sealed at (bound into their AAD). */
  rev: z.number().int().min(0),
  fields: SealedSchema,
});
export type NoteFile = z.infer<typeof NoteFileSchema>;

export const KeyLineSchema = z.strictObject({
  id: NoteId,
  /** Fingerprint of the KEK that wrapped it. */
  kid: Base64,
  key: SealedSchema,
});
export type KeyLine = z.infer<typeof KeyLineSchema>;

/**
 * A wiped note whose file may still be on disk: its key is already gone (the note is erased), and
 * the file is removed after the wipe returns. Found at start, such a file is removed, not quarantined.
 */
export const TombstoneSchema = z.strictObject({ id: NoteId, gone: z.literal(true) });

/** Meta as the MAC sees it: keys in a fixed order, so the same meta always gives the same bytes. */
export function canonicalMeta(meta: z.infer<typeof NoteMetaSchema>): string {
  return JSON.stringify([meta.id, meta.callId, meta.clientId, meta.training, meta.state, meta.createdAt, meta.updatedAt, meta.saves]);
}
