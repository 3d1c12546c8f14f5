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
