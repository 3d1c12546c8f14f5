/**
 * Turns anything a call can throw into what the alert region shows. Errors from the preload lose
 * their class crossing contextBridge, so an error is recognised by its `code` field, not instanceof.
 */
import { KeychainReason } from '../../../shared/ipc/contract.js';
import { ErrorCode } from '../../../shared/ipc/errors.js';

export interface ErrorReport {
  id: number;
  /** An ErrorCode when the main process said what went wrong; absent for anything unexpected. */
  code?: ErrorCode;
  /** The message as the main process wrote it (names the cause; not translated). */
  message: string;
  details: string[];
  /**
   * For 'keychain-unavailable': the keychain's reason, which the main process puts in the details;
   * the alert says it in the operator's language (errors.keychain.*) instead of the raw word.
   */
  keychainReason?: KeychainReason;
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
    if (!code.success) return { id, message, details };
    const reason = code.data === 'keychain-unavailable' ? details.find((d): d is KeychainReason => KeychainReason.safeParse(d).success) : undefined;
    if (reason === undefined) return { id, code: code.data, message, details };
    return { id, code: code.data, message, details: details.filter((d) => d !== reason), keychainReason: reason };
  }
  return { id, message: typeof err === 'string' ? err : '', details: [] };
}
