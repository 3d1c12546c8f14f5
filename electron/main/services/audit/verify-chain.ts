/**
 * Checks an audit file's hash chain, line by line, and names the first line that is wrong.
 *
 * What it catches: a line edited (its hash no longer matches), deleted or moved (the next line's
 * `prev` or `seq` no longer follows), inserted, or a line that is not an event at all. What no hash
 * chain can catch on its own: lines cut off the end. The head (sequence number and hash of the last
 * event, audit-head.ts) kept somewhere else anchors the tail: the desk keeps it in its encrypted
 * store, and signed records carry it for an auditor.
 */
import { AuditEventSchema, GENESIS, hashEvent, issueLines } from './audit-event.js';

export type ChainVerdict =
  | {
      ok: true;
      events: number;
      lastHash: string;
      /** The hash of line 1 (GENESIS when the file has no events): names the trail, see audit-head.ts. */
      firstHash: string;
      /** The hash of line `o.hashAt`, when asked for and the file is that long. */
      hashAt?: string;
    }
  | { ok: false; line: number; reason: string };

/**
 * Verifies the chain in `text` (the whole audit file). Lines are numbered from 1. With `hashAt`,
 * also returns the hash of that line, to compare with a kept head.
 */
export function verifyAuditChain(text: string, o: { hashAt?: number } = {}): ChainVerdict {
  const lines = text.split('\n');
  // One newline ends every line, so the text after the last newline is empty in a whole file.
  if (lines[lines.length - 1] === '') lines.pop();
  let prev = GENESIS;
  let firstHash = GENESIS;
  let hashAt: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i] as string;
    if (raw.trim() === '') return { ok: false, line, reason: 'empty line inside the chain' };
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return { ok: false, line, reason: 'not JSON (the line was cut short or altered)' };
    }
    const parsed = AuditEventSchema.safeParse(json);
    if (!parsed.success) return { ok: false, line, reason: `not an audit event (${issueLines(parsed.error).join('; ')})` };
    const event = parsed.data;
    if (event.seq !== line) {
      return { ok: false, line, reason: `sequence number ${event.seq} where ${line} was expected (a line was removed, inserted or moved)` };
    }
    if (event.prev !== prev) {
      return { ok: false, line, reason: 'its previous-hash does not match the line before (a line was removed, inserted or moved)' };
    }
    if (hashEvent(event) !== event.hash) {
      return { ok: false, line, reason: 'its hash does not match its content (the line was altered)' };
    }
    prev = event.hash;
    if (line === 1) firstHash = event.hash;
    if (line === o.hashAt) hashAt = event.hash;
  }
  return { ok: true, events: lines.length, lastHash: prev, firstHash, ...(hashAt === undefined ? {} : { hashAt }) };
}
