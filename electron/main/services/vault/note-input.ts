/**
 * What the vault accepts into a note, checked before anything is sealed.
 *
 * Lone surrogates (half of a UTF-16 pair, e.g. from a broken paste or an IME cut short) are
 * REPLACED with U+FFFD, not refused. Why: autosave must never drop the rest of what the operator
 * typed because of one broken character, and a lone surrogate has no UTF-8 form anyway — Node would
 * silently write U+FFFD in its place. Doing it here, explicitly, means the note reads back exactly as
 * it was stored, and the operator sees "�" where the broken character was.
 *
 * Errors name the field and the rule, never the value: a refused value is still personal data.
 */
import { z } from 'zod';
import { ApiError, describeEach } from '../../../../shared/ipc/errors.js';
import { ClientId } from '../../../../shared/directory/schema.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The string with every lone surrogate replaced by U+FFFD. */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD');
}

/** Enough for a 1 MB free-text field of ASCII (and about 2 MB of Japanese), in UTF-16 code units. */
export const MAX_FIELD_CHARS = 2_000_000;
export const MAX_FIELDS = 200;
/** All fields of one note together. */
export const MAX_NOTE_CHARS = 8_000_000;

const Text = (max: number) => z.string().max(max).transform(wellFormed);

/** Field ids as the directory defines them (shared/directory/schema.ts, message fields). */
export const FieldId = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/);

export const Fields = z
  .record(FieldId, Text(MAX_FIELD_CHARS))
  .refine((f) => Object.keys(f).length <= MAX_FIELDS, `at most ${MAX_FIELDS} fields`)
  .refine((f) => Object.values(f).reduce((n, v) => n + v.length, 0) <= MAX_NOTE_CHARS, `at most ${MAX_NOTE_CHARS} characters in all`);

export const CallContextSchema = z.strictObject({
  did: Text(64),
  callerName: Text(200),
  callerNumber: Text(64),
  receivedAt: z.iso.datetime({ offset: true }),
});

/** A SIP Call-ID or a simulated call's id: a token, bounded. */
export const CallId = z.string().regex(/^[A-Za-z0-9._:@+~!%*'()-]{1,128}$/, 'a call id token');

export const CreateInput = z.strictObject({
  callId: CallId,
  clientId: ClientId.nullable(),
  training: z.boolean(),
  call: CallContextSchema,
});

/** Parses `value` or throws ApiError('invalid-argument') naming each failing path and rule. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = describeEach(parsed.error.issues, (i) => `${i.path.length ? i.path.map(String).join('.') : '(value)'}: ${i.code}${i.code === 'custom' ? ` (${i.message})` : ''}`);
  throw new ApiError('invalid-argument', `The ${what} was refused.`, details);
}
