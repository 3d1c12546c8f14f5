/**
 * Turns anything a call can throw into what the alert region shows. Errors from the preload lose
 * their class crossing contextBridge, so an error is recognised by its `code` field, not instanceof.
 */
import { ErrorCode } from '../../../shared/ipc/errors.js';

export interface ErrorReport {
  id: number;
  /** An ErrorCode when the main process said what went wrong; absent for anything unexpected. */
  code?: ErrorCode;
  /** The message as the main process wrote it (names the cause; not translated). */
  message: string;
  details: string[];
}

let nextId = 1;

/** Describes a thrown value for display. */
export function toErrorReport(err: unknown): ErrorReport {
  const id = nextId++;
  if (typeof err === 'object' && err !== null) {
    const rec = err as { code?: unknown; message?: unknown; details?: unknown };
    const code = ErrorCode.safeParse(rec.code);
    const message = typeof rec.message === 'string' ? rec.message : '';
    const details = Array.isArray(rec.details) ? rec.details.filter((d): d is string => typeof d === 'string') : [];
    return code.success ? { id, code: code.data, message, details } : { id, message, details };
  }
  return { id, message: typeof err === 'string' ? err : '', details: [] };
}
