/**
 * The audit trail accepts reason codes only (audit-event.ts), while senders explain a failure in a
 * short phrase for the outbox view. This maps the phrase to the code an auditor sees; the phrase
 * itself stays in the (encrypted) outbox and never reaches the audit file.
 */
import type { AuditReason } from '../audit/audit-log.js';

const RULES: ReadonlyArray<[RegExp, AuditReason]> = [
  [/redirect/i, 'redirect'],
  [/rate.?limit|\b429\b/i, 'rate-limited'],
  [/time(d)? ?out|no reply within/i, 'timeout'],
  [/did not confirm|unconfirmed|garbage|not json|unexpected reply/i, 'bad-response'],
  [/secret|not configured|misconfigur|no sender|could not be built|certificate|only https|not a valid url|not in the directory|not in the encrypted store/i, 'misconfigured'],
  [/server error|\b5\d\d\b/i, 'server-error'],
  // Before 'rejected': ECONNREFUSED is the network refusing, not the receiver.
  [/could not reach|network|connect|econn|enotfound|socket|cancel/i, 'network'],
  [/refused|reject|\b4\d\d\b/i, 'rejected'],
];

/** The audit reason code for a delivery failure described by `reason`. */
export function auditReasonOf(reason: string, retryable: boolean): AuditReason {
  for (const [pattern, code] of RULES) if (pattern.test(reason)) return code;
  return retryable ? 'network' : 'rejected';
}
