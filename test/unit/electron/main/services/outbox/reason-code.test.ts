import { describe, expect, it } from 'vitest';
import { DeliveryReason } from '../../../../../../shared/ipc/notes-contract.js';
import { judgeReply } from '../../../../../../electron/main/services/handoff/reply-outcome.js';
import { auditReasonOf, deliveryReasonOf, INTERRUPTED, NOTE_GONE } from '../../../../../../electron/main/services/outbox/reason-code.js';
import { AuditReason } from '../../../../../../electron/main/services/audit/audit-event.js';

const NOW = new Date('2026-04-01T09:00:00Z');

/** The phrase a sender writes for an HTTP reply with `status`, and whether it is retried. */
function replied(status: number, headers: Record<string, string> = {}): { reason: string; retry: boolean } {
  const outcome = judgeReply('webhook', { status, headers, body: '', incomplete: false }, () => undefined, NOW);
  if (outcome.ok) throw new Error('a failure was expected');
  return { reason: outcome.reason, retry: outcome.retry };
}

describe('delivery reason codes (what the operator is told)', () => {
  it('names a 429 rate-limited and a 500 a server error, from the phrase the sender really writes', () => {
    const limited = replied(429, { 'retry-after': '120' });
    expect(deliveryReasonOf(limited.reason, limited.retry)).toBe('rate-limited');
    const broken = replied(500);
    expect(deliveryReasonOf(broken.reason, broken.retry)).toBe('server-error');
    const refused = replied(403);
    expect(deliveryReasonOf(refused.reason, refused.retry)).toBe('rejected');
    const redirected = replied(302, { location: 'https://127.0.0.2/x' });
    expect(deliveryReasonOf(redirected.reason, redirected.retry)).toBe('redirect');
  });

  it('tells the outbox\'s own phrases apart: an interrupted attempt and a note no longer there', () => {
    expect(deliveryReasonOf(INTERRUPTED, true)).toBe('interrupted');
    expect(deliveryReasonOf(NOTE_GONE, false)).toBe('note-gone');
    // The audit trail keeps its own codes for them, as before.
    expect(auditReasonOf(INTERRUPTED, true)).toBe('network');
    expect(auditReasonOf(NOTE_GONE, false)).toBe('rejected');
  });

  it('maps configuration problems, timeouts and the network to their codes, and an unknown phrase by whether it is retried', () => {
    expect(deliveryReasonOf('the secret "x.smtp" is not in the encrypted store', false)).toBe('misconfigured');
    expect(deliveryReasonOf('no reply from the mail server within 15000 ms', true)).toBe('timeout');
    expect(deliveryReasonOf('could not reach the mail server (ECONNREFUSED)', true)).toBe('network');
    expect(deliveryReasonOf('something new', true)).toBe('network');
    expect(deliveryReasonOf('something new', false)).toBe('rejected');
  });

  it('gives the audit trail only codes it accepts', () => {
    const phrases = ['chatwork is rate limiting (429)', 'teams had a server error (503)', 'x', 'the attempt was cancelled', INTERRUPTED, NOTE_GONE];
    for (const phrase of phrases) for (const retry of [true, false]) expect(AuditReason.safeParse(auditReasonOf(phrase, retry)).success).toBe(true);
    for (const code of DeliveryReason.options) {
      if (code === 'interrupted' || code === 'note-gone') continue;
      expect(AuditReason.safeParse(code).success).toBe(true);
    }
  });
});
