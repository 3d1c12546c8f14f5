/**
 * The audit trail: an append-only file of JSON lines, each event chained to the one before by a
 * SHA-256 hash, each append flushed to disk before it returns. It records what happened to notes
 * (created, autosaved count, handed off via a channel kind, delivered, wiped, expired) with ids,
 * times, client ids, counts and reason codes — never names, numbers or text (see audit-event.ts).
 *
 * One AuditLog per file per process: the log re-reads the tail if the file grew behind its back,
 * but it takes no lock against another process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../../shared/ipc/errors.js';
import { appendSync, fsyncDirSync } from '../fs/atomic-write.js';
import { FileRefused, readBoundedTextSync } from '../fs/bounded-read.js';
import { moveToFreeName } from '../fs/move-aside.js';
import { AuditEventSchema, AuditInputSchema, GENESIS, hashEvent, issueLines } from './audit-event.js';
import { checkHead, describeMismatch, trailOf, type AuditHead } from './audit-head.js';
import type { AuditReason, AuditType, ChannelKind } from './audit-event.js';
import { verifyAuditChain } from './verify-chain.js';

export { verifyAuditChain, type ChainVerdict } from './verify-chain.js';
export { AuditReason, AuditType, ChannelKind } from './audit-event.js';
export { AuditHeadSchema, formatHead, type AuditHead } from './audit-head.js';

/** Where the desk keeps the head of its trail, away from the file (its encrypted store). */
export interface HeadKeeper {
  load(): AuditHead | undefined;
  save(head: AuditHead): void;
}

/** One recorded event, as it is written (one JSON line). */
export interface AuditEvent {
  seq: number;
  at: string;
  type: AuditType;
  noteId?: string;
  clientId?: string;
  channel?: ChannelKind;
  count?: number;
  reason?: AuditReason;
  /** A person on the floor (audit-event.ts PersonRef), never a name. */
  personRef?: string;
  /** A deletion record's SHA-256 (desk-cleared). */
  record?: string;
  prev: string;
  hash: string;
}

/** What a caller asks to record; the log adds the sequence number, time and chain. */
export type AuditInput = Omit<AuditEvent, 'seq' | 'at' | 'prev' | 'hash'>;

export interface AuditLog {
  /** Records one event, flushed to disk before it returns. Throws ApiError('invalid-argument') on anything but codes and ids. */
  append(e: AuditInput): AuditEvent;
  /** Records several events with one write and one flush (a wipe of thousands of notes). All or none are accepted. */
  appendMany(events: readonly AuditInput[]): AuditEvent[];
  /** Every event in the file, oldest first. */
  read(): AuditEvent[];
  readonly path: string;
  /** Set when the file found at open failed its chain check and was moved aside (kept, never deleted). */
  readonly movedAside: { movedTo: string; line: number; reason: string } | null;
  /**
   * Set when the file found at open was shorter than the kept head, or parted from it: it was moved
   * aside (movedTo null when there was no file at all) and the new trail began with 'audit-restarted',
   * reason 'audit-rolled-back'.
   */
  readonly rolledBack: { movedTo: string | null; kept: AuditHead; detail: string } | null;
  /** The head after the last append (null before the first event). */
  head(): AuditHead | null;
  /** Closes the file; later appends throw. */
  close(): void;
}

const FILE = 'audit.jsonl';
const FILE_MODE = 0o600;

function validate(input: AuditInput): AuditInput {
  const parsed = AuditInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new ApiError('invalid-argument', 'An audit event may hold only ids, counts and codes.', issueLines(parsed.error));
  }
  return parsed.data;
}

/** Moves a broken audit file aside under a name no other file has, keeping it for an investigation. */
function moveAside(file: string, stamp: string, label = 'broken'): string {
  const target = moveToFreeName(file, (n) => `${file}.${label}-${stamp}${n === 0 ? '' : `-${n}`}`);
  if (target === null) throw new Error(`could not find a free name to move ${file} aside`);
  return target;
}

/** Reads the whole audit file, capped (FILE_LIMITS.audit); '' when there is none. */
function readAuditFile(file: string): string {
  try {
    return readBoundedTextSync(file, { kind: 'audit' });
  } catch (err) {
    if (err instanceof FileRefused && err.reason === 'missing') return '';
    throw err;
  }
}

/** The first event's hash in a file (the trail id's source); null when it has none. */
function firstHashOf(text: string): string | null {
  const end = text.indexOf('\n');
  const line = end === -1 ? text : text.slice(0, end);
  if (line === '') return null;
  return AuditEventSchema.parse(JSON.parse(line)).hash;
}

/** The last event of a verified file. */
function lastEventOf(text: string): AuditEvent | null {
  const trimmed = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (trimmed === '') return null;
  const line = trimmed.slice(trimmed.lastIndexOf('\n') + 1);
  return AuditEventSchema.parse(JSON.parse(line)) as AuditEvent;
}

/**
 * Opens (or starts) `<dir>/audit.jsonl`. A file whose chain does not verify is moved aside and a new
 * chain starts with an 'audit-restarted' event, so the desk keeps recording and the evidence is kept.
 * With a head keeper, the file is also checked against the kept head (a file cut short or rewritten
 * verifies on its own) and the head is saved after every append, once the events are on disk.
 */
export function openAuditLog(o: { dir: string; now?: () => Date; head?: HeadKeeper }): AuditLog {
  const now = o.now ?? (() => new Date());
  fs.mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const file = path.join(o.dir, FILE);

  let movedAside: AuditLog['movedAside'] = null;
  let rolledBack: AuditLog['rolledBack'] = null;
  const stamp = () => now().toISOString().replace(/[:.]/g, '-');
  const kept = o.head?.load();
  let text = readAuditFile(file);
  if (text !== '') {
    const verdict = verifyAuditChain(text, kept ? { hashAt: kept.seq } : {});
    if (!verdict.ok || !text.endsWith('\n')) {
      const line = verdict.ok ? verdict.events : verdict.line;
      const reason = verdict.ok ? 'the last line is not finished' : verdict.reason;
      movedAside = { movedTo: moveAside(file, stamp()), line, reason };
      text = '';
    } else if (kept) {
      const check = checkHead(verdict, kept);
      if (check.status !== 'matches') {
        rolledBack = { movedTo: moveAside(file, stamp(), 'rolled-back'), kept, detail: describeMismatch(check) };
        text = '';
      }
    }
  } else if (kept && !movedAside) {
    // The file is gone or empty although the desk had recorded events: as much a rollback as a cut.
    const exists = fs.existsSync(file);
    rolledBack = {
      movedTo: exists ? moveAside(file, stamp(), 'rolled-back') : null,
      kept,
      detail: exists ? `the file holds no events; the head is at line ${kept.seq}` : `the file is missing; the head is at line ${kept.seq}`,
    };
  }

  const created = text === '' && !fs.existsSync(file);
  const fd = fs.openSync(file, 'a', FILE_MODE);
  fs.fchmodSync(fd, FILE_MODE);
  // A new file's name must survive a crash as well as its lines.
  if (created) fsyncDirSync(o.dir);
  let last = lastEventOf(text);
  let firstHash = firstHashOf(text);
  let knownSize = fs.fstatSync(fd).size;

  /** Another AuditLog in this process may have appended: continue its chain, not ours. */
  function catchUp(): void {
    const size = fs.fstatSync(fd).size;
    if (size === knownSize) return;
    let all = readAuditFile(file);
    if (all !== '' && !all.endsWith('\n')) {
      // Half a line at the end: a write cut short (the disk filled up mid-line) that could not be
      // taken back then. Only whole lines are events: the tail goes, or every append from now on
      // would fail to read the chain (found by the disk-full drill).
      all = all.slice(0, all.lastIndexOf('\n') + 1);
      fs.ftruncateSync(fd, Buffer.byteLength(all, 'utf8'));
    }
    last = lastEventOf(all);
    firstHash = firstHashOf(all);
    knownSize = fs.fstatSync(fd).size;
  }

  function head(): AuditHead | null {
    return last && firstHash ? { trail: trailOf(firstHash), seq: last.seq, hash: last.hash } : null;
  }

  function appendMany(inputs: readonly AuditInput[]): AuditEvent[] {
    const valid = inputs.map(validate);
    if (valid.length === 0) return [];
    catchUp();
    const at = now().toISOString();
    const events: AuditEvent[] = [];
    let prev = last?.hash ?? GENESIS;
    let seq = last?.seq ?? 0;
    for (const input of valid) {
      const unsealed = { seq: ++seq, at, ...input, prev };
      const event: AuditEvent = { ...unsealed, hash: hashEvent(unsealed) };
      events.push(event);
      prev = event.hash;
    }
    const data = Buffer.from(events.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8');
    try {
      appendSync(fd, data);
    } catch (err) {
      // A write cut short must not leave half a line behind: back to the last whole line (truncating
      // frees space, so this works on a full disk too); should it fail, the next catchUp drops it.
      try {
        fs.ftruncateSync(fd, knownSize);
      } catch {
        // see catchUp
      }
      throw err;
    }
    knownSize += data.length;
    last = events[events.length - 1] as AuditEvent;
    firstHash ??= (events[0] as AuditEvent).hash;
    // After the events are on disk: a head behind the file is harmless, one ahead of it is a false alarm.
    const current = head();
    if (o.head && current) {
      try {
        o.head.save(current);
      } catch {
        // The events are recorded; the next append saves the head again, and a head behind is safe.
      }
    }
    return events;
  }

  const log: AuditLog = {
    path: file,
    movedAside,
    rolledBack,
    head,
    append: (e) => appendMany([e])[0] as AuditEvent,
    appendMany,
    read() {
      return readAuditFile(file)
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => AuditEventSchema.parse(JSON.parse(l)) as AuditEvent);
    },
    close() {
      fs.closeSync(fd);
    },
  };
  if (movedAside) log.append({ type: 'audit-restarted', reason: 'chain-broken' });
  else if (rolledBack) log.append({ type: 'audit-restarted', reason: 'audit-rolled-back' });
  return log;
}
