/**
 * Errors that cross the process boundary. Electron flattens thrown errors to a message string,
 * so the main side answers an envelope and the renderer side turns it back into an ApiError.
 */
import { z } from 'zod';
import { API_ERROR_PREFIX } from './wire-names.js';

export const ErrorCode = z.enum([
  'invalid-argument',
  'unknown-method',
  'forbidden-sender',
  'keychain-unavailable',
  'store-corrupt',
  'directory-invalid',
  /** A team roster refused on import (unsigned, wrong key, schema, size, older serial). */
  'roster-invalid',
  /**
   * Refused because the idle lock is on (issue 11 §2): the call would show caller or client data or
   * a note, or act on them, while nobody is at the desk. Ask again after unlocking.
   */
  'desk-locked',
  'not-found',
  'not-allowed',
  /** The disk under the desk's data folder is full (ENOSPC / EDQUOT): the call changed nothing it could not finish. */
  'disk-full',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorInfo = z.object({
  code: ErrorCode,
  message: z.string(),
  /** One line per problem, e.g. each failing JSON path. */
  details: z.array(z.string()).default([]),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export const Envelope = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorInfo }),
]);
export type Envelope = z.infer<typeof Envelope>;

/** Problems listed in an error's details, at most; the rest are counted in one more line. */
export const MAX_DETAILS = 20;
/** The longest error message (and detail line) that crosses a boundary, in characters (≈ 2 KB). */
export const MAX_MESSAGE_CHARS = 2_048;
const MAX_DETAIL_CHARS = 300;

/** `text` cut to `max` characters, saying so. */
export function boundText(text: string, max = MAX_MESSAGE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * At most MAX_DETAILS lines, the first problem always among them, then `… and N more`. A request with
 * 100,000 bad elements gets 21 lines back, not 100,000 (over IPC and into any log that prints them).
 */
export function boundLines(lines: readonly string[], max = MAX_DETAILS): string[] {
  // A list bounded already (its last line counts the rest) is kept whole: the count stays true.
  if (lines.length === max + 1 && MORE.test(lines[max] ?? '')) return lines.map((line) => boundText(line, MAX_DETAIL_CHARS));
  const kept = lines.slice(0, max).map((line) => boundText(line, MAX_DETAIL_CHARS));
  return lines.length > max ? [...kept, `… and ${lines.length - max} more`] : kept;
}

const MORE = /^… and \d+ more$/;

/** An error with a code the UI can translate and a message a person can act on. Bounded. */
export class ApiError extends Error {
  readonly details: string[];

  constructor(
    readonly code: ErrorCode,
    message: string,
    details: readonly string[] = [],
  ) {
    super(boundText(message));
    this.name = 'ApiError';
    this.details = boundLines(details);
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/**
 * Formats zod issues as "path: message" lines, the form every boundary reports: the first
 * MAX_DETAILS, then a count of the rest (only those shown are formatted).
 */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return describeEach(issues, (i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`);
}

/** The first MAX_DETAILS items formatted (the rest never are), then `… and N more`. */
export function describeEach<T>(items: readonly T[], format: (item: T) => string, max = MAX_DETAILS): string[] {
  const shown = items.slice(0, max).map((item) => boundText(format(item), MAX_DETAIL_CHARS));
  return items.length > max ? [...shown, `… and ${items.length - max} more`] : shown;
}

/** IPC channel name for a contract method. */
export { channelOf } from './wire-names.js';

/**
 * Electron's contextBridge keeps only an Error's message, so the preload throws
 * `Error(API_ERROR_PREFIX + JSON.stringify(errorInfo))` and the renderer decodes it here.
 */
export { API_ERROR_PREFIX } from './wire-names.js';

/** Turns whatever an API call rejected with back into an ApiError. */
export function decodeApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const at = message.indexOf(API_ERROR_PREFIX);
  if (at >= 0) {
    try {
      const info = ErrorInfo.safeParse(JSON.parse(message.slice(at + API_ERROR_PREFIX.length)));
      if (info.success) return new ApiError(info.data.code, info.data.message, info.data.details);
    } catch {
      // fall through: not our encoding after all
    }
  }
  return new ApiError('internal', message);
}
