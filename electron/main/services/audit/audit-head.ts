/**
 * The head of an audit trail — which trail, how many events, the hash of the last — kept apart from
 * the file so that a file cut short or rewritten from some line on can be told from a whole one.
 *
 * Which trail: the first 16 hex digits of the hash of its line 1. That line holds the time the trail
 * began, so every desk's trail (and a trail begun again after one was moved aside) has its own id,
 * and the id is in the file itself: an auditor needs nothing else to see that a head belongs to
 * another desk. Written as `TRAIL:SEQ:HASH`; `SEQ:HASH` (no trail) is accepted too.
 */
import { z } from 'zod';
import { GENESIS, HASH_HEX } from './audit-event.js';
import type { ChainVerdict } from './verify-chain.js';

const TRAIL_HEX = /^[0-9a-f]{16}$/;

export const AuditHeadSchema = z.strictObject({
  trail: z.string().regex(TRAIL_HEX),
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  hash: z.string().regex(HASH_HEX),
});
export type AuditHead = z.infer<typeof AuditHeadSchema>;

/** A head as an auditor may give it: the trail is optional. */
export type GivenHead = Omit<AuditHead, 'trail'> & { trail?: string };

/** The trail id of a file whose line 1 hashes to `firstHash`. */
export function trailOf(firstHash: string): string {
  return firstHash.slice(0, 16);
}

export function formatHead(head: AuditHead): string {
  return `${head.trail}:${head.seq}:${head.hash}`;
}

/** Parses `TRAIL:SEQ:HASH` or `SEQ:HASH`; null for anything else (checked before any file is read). */
export function parseHead(text: string): GivenHead | null {
  if (text.length > 120) return null;
  const m = /^(?:([0-9a-f]{16}):)?([1-9][0-9]{0,15}):([0-9a-f]{64})$/.exec(text.trim().toLowerCase());
  if (!m) return null;
  const seq = Number(m[2]);
  if (!Number.isSafeInteger(seq)) return null;
  return { seq, hash: m[3] as string, ...(m[1] === undefined ? {} : { trail: m[1] }) };
}

/** How a verified file stands against a head. */
export type HeadCheck =
  | { status: 'matches'; seq: number; events: number }
  | { status: 'ends-before'; seq: number; events: number }
  | { status: 'diverges'; line: number }
  | { status: 'other-trail'; headTrail: string; fileTrail: string };

/**
 * Compares a file whose chain verified (verdict from verifyAuditChain(text, { hashAt: head.seq }))
 * with a head. A file may be longer than its head (events recorded since); it may not be shorter,
 * nor hold another hash at the head's line, nor be another trail.
 */
export function checkHead(verdict: Extract<ChainVerdict, { ok: true }>, head: GivenHead): HeadCheck {
  if (verdict.events > 0 && head.trail !== undefined && head.trail !== trailOf(verdict.firstHash)) {
    return { status: 'other-trail', headTrail: head.trail, fileTrail: trailOf(verdict.firstHash) };
  }
  if (verdict.events < head.seq) return { status: 'ends-before', seq: head.seq, events: verdict.events };
  if (verdict.hashAt !== head.hash) return { status: 'diverges', line: head.seq };
  return { status: 'matches', seq: head.seq, events: verdict.events };
}

/** One line saying how a file stands against a head that it does not match. */
export function describeMismatch(check: Exclude<HeadCheck, { status: 'matches' }>): string {
  switch (check.status) {
    case 'other-trail':
      return `the head belongs to another trail (${check.headTrail}: another desk, or a trail begun again); this file is trail ${check.fileTrail}`;
    case 'ends-before': {
      const missing = check.seq - check.events;
      return check.events === 0
        ? `the file holds no events; the head is at line ${check.seq}`
        : `the file ends at line ${check.events}, before the head at line ${check.seq} (${missing} line${missing === 1 ? '' : 's'} missing)`;
    }
    case 'diverges':
      return `line ${check.line}: the file and the head part (its hash is not the head's)`;
  }
}

/** The head of a file with `events` events whose line 1 hashed to firstHash; null for no events. */
export function headOf(events: number, firstHash: string, lastHash: string): AuditHead | null {
  if (events === 0 || firstHash === GENESIS) return null;
  return { trail: trailOf(firstHash), seq: events, hash: lastHash };
}
