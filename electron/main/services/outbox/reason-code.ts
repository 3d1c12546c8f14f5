/**
 * Senders explain a failure in a short English phrase (the outbox keeps it as `lastError`). Two
 * readers need it as a code instead: the audit trail, which accepts reason codes only
 * (audit-event.ts), and the operator's outbox view, which words each code in the operator's
 * language. This maps the phrase to the code; the phrase itself stays in the (encrypted) outbox and
 * never reaches the audit file.
 */
import type { DeliveryReason, HAND_OFF_FAILURES } from '../../../../shared/ipc/notes-contract.js';
import type { AuditReason } from '../audit/audit-log.js';

/** The phrase of an attempt cut short by the desk closing (outbox.ts stop()). */
export const INTERRUPTED = 'interrupted';
/** The phrase of a job whose note expired or was cleared before it could be sent (hand-off-service.ts). */
export const NOTE_GONE = 'the note is no longer in the vault (expired or cleared)';

/** The codes the audit trail shares with the outbox view (the audit's reasons include them all). */
type AuditedReason = (typeof HAND_OFF_FAILURES)[number];

const RULES: ReadonlyArray<[RegExp, AuditedReason]> = [
  [/redirect/i, 'redirect'],
  [/rate.?limit|\b429\b/i, 'rate-limited'],
  // "no reply within …" (https-post.ts) and "no reply from the mail server within …" (email-sender.ts).
  [/time(d)? ?out|no reply (from [^()]{1,60} )?within/i, 'timeout'],
  [/did not confirm|unconfirmed|garbage|not json|unexpected reply/i, 'bad-response'],
  [/secret|not configured|misconfigur|no sender|could not be built|certificate|only https|not a valid url|not in the directory|not in the encrypted store/i, 'misconfigured'],
  [/server error|\b5\d\d\b/i, 'server-error'],
  // Before 'rejected': ECONNREFUSED is the network refusing, not the receiver.
  [/could not reach|network|connect|econn|enotfound|socket|cancel/i, 'network'],
  [/refused|reject|\b4\d\d\b/i, 'rejected'],
];

function auditedReasonOf(reason: string, retryable: boolean): AuditedReason {
  for (const [pattern, code] of RULES) if (pattern.test(reason)) return code;
  return retryable ? 'network' : 'rejected';
}

/** The audit reason code for a delivery failure described by `reason`. */
export function auditReasonOf(reason: string, retryable: boolean): AuditReason {
  return auditedReasonOf(reason, retryable);
}

/**
 * What the operator is told about a job whose last attempt ended with `reason` (retryable: it is
 * retried by itself). Exact phrases of the outbox's own come first; the rest are the audit's codes.
 */
export function deliveryReasonOf(reason: string, retryable: boolean): DeliveryReason {
  if (reason === INTERRUPTED) return 'interrupted';
  if (reason === NOTE_GONE) return 'note-gone';
  return auditedReasonOf(reason, retryable);
}
