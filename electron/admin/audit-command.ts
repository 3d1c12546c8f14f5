/**
 * `kotozute-admin audit verify FILE [--head HEAD]`: checks a desk's audit file (audit.jsonl) the way
 * an auditor would — every line an event, every hash matching, every line chained to the one before
 * — and names the first line that is wrong.
 *
 * A hash chain cannot tell a file cut short from a whole one, so "OK" alone is never printed:
 * - with `--head TRAIL:SEQ:HASH` (or `SEQ:HASH`: a head the desk kept, or one a signed record
 *   carries), the file must be that trail, reach line SEQ and hold HASH there; otherwise the line
 *   where file and head part, or where the file ends, is named;
 * - without a head the verdict says `OK (tail unanchored)` and prints the file's head to keep;
 * - a file with no events is an error: `empty: nothing to verify`.
 *
 * Exit codes: 0 the chain is intact (and reaches the head), 1 it is broken, short, parted from the
 * head, empty, or cannot be read, 2 bad usage or a file refused unread (not a regular file, too large).
 */
import { parseArgs } from 'node:util';
import { checkHead, describeMismatch, formatHead, headOf, parseHead, type GivenHead } from '../main/services/audit/audit-head.js';
import { verifyAuditChain } from '../main/services/audit/audit-log.js';
import { FileRefused, FILE_LIMITS, formatBytes, readBoundedText } from '../main/services/fs/bounded-read.js';
import { parseRecord } from '../main/services/clearance/deletion-record.js';

export interface AuditCommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const USAGE = `Usage:
  kotozute-admin audit verify FILE [--head TRAIL:SEQ:HASH | --head RECORD]
      Checks the hash chain of a desk's audit file (audit.jsonl, at most ${formatBytes(FILE_LIMITS.audit)}); names the
      first broken line. With --head (as the desk or a signed record gives it; SEQ:HASH also
      works, or a deletion record file: the head it carries), also checks that the file
      reaches that head and names where it does not.`;

const defaultIo: AuditCommandIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

const PREFIX = 'kotozute-admin audit verify';

/**
 * Where a head comes from: its text form, or a deletion record (`--head RECORD`, a file) that carries
 * the head its desk's trail had when the clearance was committed. The record is read through the
 * bounded reader and must parse as a record; its signature is checked by `record verify` (which
 * needs the roster), not here.
 */
async function resolveHead(value: string): Promise<GivenHead | string> {
  const head = parseHead(value);
  if (head) return head;
  if (!/^\d*:?[0-9a-f]{64}$|^[0-9a-f]{16}:/.test(value)) {
    let text: string;
    try {
      text = await readBoundedText(value, { kind: 'record' });
    } catch (err) {
      if (err instanceof FileRefused && err.reason === 'missing') return `--head expects TRAIL:SEQ:HASH, SEQ:HASH or a deletion record file, not "${value.slice(0, 40)}"`;
      if (err instanceof FileRefused) return err.message;
      throw err;
    }
    const record = parseRecord(text);
    if (typeof record === 'string') return `--head ${value.slice(0, 80)} is ${record}`;
    if (record.auditHead === null) return `--head ${value.slice(0, 80)}: the record carries no audit head (its desk had no trail yet)`;
    return record.auditHead;
  }
  return `--head expects TRAIL:SEQ:HASH, SEQ:HASH or a deletion record file, not "${value.slice(0, 40)}"`;
}

/**
 * Runs `audit verify` with `argv` = the arguments after `audit verify` (the file; `--head`; `--help`).
 * A leading "verify" is accepted too, so it can be handed everything after `audit`.
 */
export async function runAuditVerify(argv: readonly string[], io: AuditCommandIo = defaultIo): Promise<number> {
  let positionals: string[];
  let help: boolean;
  let headText: string | undefined;
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: { help: { type: 'boolean', short: 'h' }, head: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    positionals = parsed.positionals;
    help = parsed.values.help === true;
    headText = parsed.values.head;
  } catch (err) {
    io.err(`${PREFIX}: ${(err as Error).message}`);
    io.err(USAGE);
    return 2;
  }
  if (help) {
    io.out(USAGE);
    return 0;
  }
  if (positionals[0] === 'verify') positionals = positionals.slice(1);
  if (positionals.length !== 1) {
    io.err(`${PREFIX}: expected one audit file`);
    io.err(USAGE);
    return 2;
  }
  let head: GivenHead | undefined;
  if (headText !== undefined) {
    const resolved = await resolveHead(headText);
    if (typeof resolved === 'string') {
      io.err(`${PREFIX}: ${resolved}`);
      io.err(USAGE);
      return 2;
    }
    head = resolved;
  }
  const file = positionals[0] as string;
  let text: string;
  try {
    text = await readBoundedText(file, { kind: 'audit' });
  } catch (err) {
    if (!(err instanceof FileRefused)) throw err;
    io.err(`${PREFIX}: ${err.message}`);
    return err.reason === 'missing' || err.reason === 'unreadable' ? 1 : 2;
  }
  const verdict = verifyAuditChain(text, head ? { hashAt: head.seq } : {});
  if (!verdict.ok) {
    io.err(`BROKEN ${file}: line ${verdict.line}: ${verdict.reason}`);
    return 1;
  }
  if (verdict.events === 0) {
    io.err(`empty: nothing to verify (${file} holds no audit events)`);
    return 1;
  }
  const own = headOf(verdict.events, verdict.firstHash, verdict.lastHash);
  const counted = `${verdict.events} event${verdict.events === 1 ? '' : 's'}, chain intact, last hash ${verdict.lastHash}`;
  if (!head) {
    io.out(`OK (tail unanchored) ${file}: ${counted}; lines cut off the end cannot be seen without a head: keep head ${own ? formatHead(own) : ''}`);
    return 0;
  }
  const check = checkHead(verdict, head);
  if (check.status !== 'matches') {
    io.err(`${check.status === 'diverges' ? 'PARTED' : check.status === 'ends-before' ? 'SHORT' : 'OTHER TRAIL'} ${file}: ${describeMismatch(check)}`);
    return 1;
  }
  const after = verdict.events - head.seq;
  const tail = after === 0 ? 'the head is its last line' : `${after} later line${after === 1 ? '' : 's'} unanchored`;
  io.out(`OK (anchored at line ${head.seq}) ${file}: ${counted}; ${tail}`);
  return 0;
}
