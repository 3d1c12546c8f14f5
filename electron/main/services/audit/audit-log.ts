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
import { moveToFreeName } from '../fs/move-aside.js';
import { AuditEventSchema, AuditInputSchema, GENESIS, hashEvent, issueLines } from './audit-event.js';
import type { AuditReason, AuditType, ChannelKind } from './audit-event.js';
import { verifyAuditChain } from './verify-chain.js';

export { verifyAuditChain, type ChainVerdict } from './verify-chain.js';
export { AuditReason, AuditType, ChannelKind } from './audit-event.js';

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
function moveAside(file: string, stamp: string): string {
  const target = moveToFreeName(file, (n) => `${file}.broken-${stamp}${n === 0 ? '' : `-${n}`}`);
  if (target === null) throw new Error(`could not find a free name to move ${file} aside`);
  return target;
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
 */
export function openAuditLog(o: { dir: string; now?: () => Date }): AuditLog {
  const now = o.now ?? (() => new Date());
  fs.mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const file = path.join(o.dir, FILE);

  let movedAside: AuditLog['movedAside'] = null;
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text !== '') {
    const verdict = verifyAuditChain(text);
    if (!verdict.ok || !text.endsWith('\n')) {
      const line = verdict.ok ? verdict.events : verdict.line;
      const reason = verdict.ok ? 'the last line is not finished' : verdict.reason;
      movedAside = { movedTo: moveAside(file, now().toISOString().replace(/[:.]/g, '-')), line, reason };
      text = '';
    }
  }

  const created = text === '' && !fs.existsSync(file);
  const fd = fs.openSync(file, 'a', FILE_MODE);
  fs.fchmodSync(fd, FILE_MODE);
  // A new file's name must survive a crash as well as its lines.
  if (created) fsyncDirSync(o.dir);
  let last = lastEventOf(text);
  let knownSize = fs.fstatSync(fd).size;

  /** Another AuditLog in this process may have appended: continue its chain, not ours. */
  function catchUp(): void {
    const size = fs.fstatSync(fd).size;
    if (size === knownSize) return;
    last = lastEventOf(fs.readFileSync(file, 'utf8'));
    knownSize = size;
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
    appendSync(fd, data);
    knownSize += data.length;
    last = events[events.length - 1] as AuditEvent;
    return events;
  }

  const log: AuditLog = {
    path: file,
    movedAside,
    append: (e) => appendMany([e])[0] as AuditEvent,
    appendMany,
    read() {
      const all = fs.readFileSync(file, 'utf8');
      return all
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => AuditEventSchema.parse(JSON.parse(l)) as AuditEvent);
    },
    close() {
      fs.closeSync(fd);
    },
  };
  if (movedAside) log.append({ type: 'audit-restarted', reason: 'chain-broken' });
  return log;
}
