/**
 * Errors that cross the process boundary. Electron flattens thrown errors to a message string,
 * so the main side answers an envelope and the renderer side turns it back into an ApiError.
 */
import { z } from 'zod';

export const ErrorCode = z.enum([
  'invalid-argument',
  'unknown-method',
  'forbidden-sender',
  'keychain-unavailable',
  'store-corrupt',
  'directory-invalid',
  /** A team roster refused on import (unsigned, wrong key, schema, size, older serial). */
  'roster-invalid',
  'not-found',
  'not-allowed',
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

/** An error with a code the UI can translate and a message a person can act on. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** Formats zod issues as "path: message" lines, the form every boundary reports. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string[] {
  return issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`);
}

/** IPC channel name for a contract method. */
export const channelOf = (method: string): string => `kotozute:${method}`;

/**
 * Electron's contextBridge keeps only an Error's message, so the preload throws
 * `Error(API_ERROR_PREFIX + JSON.stringify(errorInfo))` and the renderer decodes it here.
 */
export const API_ERROR_PREFIX = 'KOTOZUTE_API_ERROR ';

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
