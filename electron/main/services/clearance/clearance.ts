/**
 * Clearing one desk at the end of the day (issue 10 §2), as an engine: the plan the shift lead
 * settles, and the clearance itself, crash-safe.
 *
 * The clearance runs with the vault and the outbox closed (clearance-handlers.ts suspends them) and
 * works on their files and the keychain directly:
 *
 *   1 journal 'prepared'      clearance/journal.json: which notes are carried over, which jobs stay
 *   2 new shift key           a fresh KEK in the keychain under `shift-kek-next`
 *   3 re-wrap                 the carried-over notes' data keys, unwrapped with the old KEK and
 *                             wrapped with the new one, written to vault/keys.next.jsonl
 *   4 journal 'committed'     with the signed deletion record: THE COMMIT POINT (one atomic rename)
 *   5 erase the old KEK       `shift-kek` deleted from the keychain (cryptographic erase), the new
 *                             KEK put in its place, `shift-kek-next` removed
 *   6 swap the key table      keys.next.jsonl renamed over keys.jsonl
 *   7 delete files            every note file not carried over, quarantine/, crash-dumps/, temp files
 *   8 prune the outbox        only the carried-over notes' undelivered jobs stay
 *   9 record + audit          records/record-NNNNNN.json and one `desk-cleared` audit event
 *  10 journal removed
 *
 * A crash before 4 is rolled back at the next start (the new key and key table dropped: the desk is
 * as before); a crash after 4 is rolled forward (every later step is idempotent: the desk ends
 * cleared). recoverClearance() does that and runs before the vault opens.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  ClearancePlan,
  DeletionRecord,
  MAX_UNDELIVERED,
  RECORD_FORMAT,
  RECORD_METHOD,
  RECORD_STANDARD,
  Settlement,
  type ClearanceBy,
  type DiscardReason,
  type ScheduleRef,
  type JobCounts,
  type NoteCounts,
  type UndeliveredItem,
} from '../../../../shared/clearance/schema.js';
import { ApiError } from '../../../../shared/ipc/errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import { fsyncDirSync, TEMP_SUFFIX, writeFileAtomicSync } from '../fs/atomic-write.js';
import { KeychainError, type KeyStore } from '../keychain.js';
import type { Logger } from '../log.js';
import { loadJobs, saveJobs } from '../outbox/job-store.js';
import type { OutboxJob } from '../outbox/job.js';
import { auditReasonOf } from '../outbox/reason-code.js';
import { personRef } from '../roster/roster-service.js';
import type { EncryptedStore } from '../secure-store.js';
import { kekId, unwrapDataKey, wrapDataKey } from '../vault/note-crypto.js';
import { KeyLineSchema, NOTE_EXT, type KeyLine } from '../vault/note-file.js';
import { SHIFT_KEK_ACCOUNT, type NoteMeta } from '../vault/vault.js';
import { GENESIS_RECORD, keyFingerprint, lastRecord, recordHash, signRecord, writeRecord, type UnsignedRecord } from './deletion-record.js';

/** The keychain account of the next shift's KEK while a clearance is under way. */
export const NEXT_KEK_ACCOUNT = 'shift-kek-next';
export const CLEARANCE_DIR = 'clearance';
const JOURNAL = 'journal.json';
const KEYS = 'keys.jsonl';
const NEXT_KEYS = 'keys.next.jsonl';
/** Folders under the data directory whose files a clearance deletes outright. */
export const LEFTOVER_DIRS = ['crash-dumps', 'tmp'] as const;

/** The steps of a clearance, in order; tests kill the process at each. */
export const CLEARANCE_STEPS = [
  'journal-prepared',
  'next-key-stored',
  'keys-rewrapped',
  'committed',
  /** Inside step 5: the old KEK deleted, the new one not yet in its place (no shift key at all). */
  'old-key-deleted',
  'old-key-erased',
  'key-table-swapped',
  'files-deleted',
  'outbox-pruned',
  'record-written',
  'audited',
  'done',
] as const;
export type ClearanceStep = (typeof CLEARANCE_STEPS)[number];

export interface ClearanceDeps {
  dataDir: string;
  /** The desk's (namespaced) key store. */
  keyStore: KeyStore;
  audit: AuditLog;
  /** The outbox's own encrypted store (outbox.json). */
  outboxStore: EncryptedStore;
  log: Logger;
  now?: () => Date;
  /** Told after each step is durable (tests end the process there). */
  onStep?: (step: ClearanceStep) => void;
  /**
   * Clears the renderer's storage (Electron: platform/renderer-storage.ts; dev-web: the page told to
   * clear its own); resolves to the areas cleared, counted in the record. None: nothing to clear.
   */
  clearRendererStorage?: () => Promise<number>;
  /** Clears the clipboard if it still holds the desk's copy of a note; resolves to whether it did. */
  clearClipboard?: () => Promise<boolean>;
}

export interface ClearInput {
  notes: readonly NoteMeta[];
  jobs: readonly OutboxJob[];
  settlements: readonly Settlement[];
  /** The person who confirmed, or the daily schedule (then `schedule` says when it was due). */
  confirmedBy: ClearanceBy;
  schedule?: ScheduleRef;
  deskId: string;
  deskKey: KeyObject;
}

const Journal = z.strictObject({
  v: z.literal(1),
  phase: z.enum(['prepared', 'committed']),
  carried: z.array(z.string()).max(MAX_UNDELIVERED),
  record: DeletionRecord.nullable(),
});
type Journal = z.infer<typeof Journal>;

const UNDELIVERED: ReadonlySet<NoteMeta['state']> = new Set(['draft', 'ready', 'handing-off', 'failed']);
const isUndelivered = (n: NoteMeta) => !n.training && UNDELIVERED.has(n.state);

const vaultDir = (dataDir: string) => path.join(dataDir, 'vault');
const journalPath = (dataDir: string) => path.join(dataDir, CLEARANCE_DIR, JOURNAL);

export function countNotes(notes: readonly NoteMeta[]): NoteCounts {
  const c: NoteCounts = { draft: 0, ready: 0, handingOff: 0, failed: 0, delivered: 0, training: 0 };
  for (const n of notes) {
    if (n.training) c.training++;
    else if (n.state === 'handing-off') c.handingOff++;
    else c[n.state]++;
  }
  return c;
}

export function countJobs(jobs: readonly OutboxJob[]): JobCounts {
  const c: JobCounts = { pending: 0, sending: 0, retrying: 0, failed: 0, delivered: 0 };
  for (const j of jobs) c[j.state]++;
  return c;
}

/** Files in the crash-dump and temp folders under the data directory, and stray temp files in the vault. */
export function leftoverFiles(dataDir: string): string[] {
  const found: string[] = [];
  for (const d of LEFTOVER_DIRS) found.push(...listFiles(path.join(dataDir, d)));
  for (const f of listFiles(path.join(vaultDir(dataDir), 'notes'))) if (f.endsWith(TEMP_SUFFIX)) found.push(f);
  return found;
}

function listFiles(dir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return entries.flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** The undelivered items, each with its client, channels, state and the reason code of its last failure. */
export function undeliveredItems(notes: readonly NoteMeta[], jobs: readonly OutboxJob[]): UndeliveredItem[] {
  return notes.filter(isUndelivered).map((n) => {
    const own = jobs.filter((j) => j.noteId === n.id && j.state !== 'delivered');
    const failing = own.find((j) => j.lastError !== null);
    return {
      noteId: n.id,
      clientId: n.clientId,
      channels: [...new Set(own.map((j) => j.kind))],
      state: n.state as UndeliveredItem['state'],
      reason: failing?.lastError ? auditReasonOf(failing.lastError, failing.state === 'retrying') : null,
      createdAt: n.createdAt,
    };
  });
}

/** What a clearance would destroy and what must be settled first; no content. */
export async function planClearance(deps: Pick<ClearanceDeps, 'dataDir' | 'keyStore'>, notes: readonly NoteMeta[], jobs: readonly OutboxJob[]): Promise<ClearancePlan> {
  return ClearancePlan.parse({
    notes: countNotes(notes),
    jobs: countJobs(jobs),
    quarantined: listFiles(path.join(vaultDir(deps.dataDir), 'quarantine')).length,
    leftovers: leftoverFiles(deps.dataDir).length,
    shiftKey: (await keychain(() => deps.keyStore.get(SHIFT_KEK_ACCOUNT))) !== null,
    undelivered: undeliveredItems(notes, jobs),
  });
}

async function keychain<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof KeychainError)) throw err;
    throw new ApiError('keychain-unavailable', `The keychain refused during the clearance; nothing more was changed. ${err.message}`, [err.reason]);
  }
}

function decodeKek(text: string | null): Buffer | null {
  if (text === null) return null;
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32 || key.toString('base64') !== text) throw new ApiError('store-corrupt', 'The shift key in the keychain is not a 32-byte key; the clearance was refused and nothing changed.');
  return key;
}

/** Checks that every undelivered item has exactly one settlement the engine can carry out. */
export function checkSettlements(items: readonly UndeliveredItem[], settlements: readonly Settlement[]): Map<string, Settlement> {
  const parsed = z.array(Settlement).max(MAX_UNDELIVERED).safeParse(settlements);
  if (!parsed.success) throw new ApiError('invalid-argument', 'The settlements are not valid.', parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.code}`));
  const wanted = new Set(items.map((i) => i.noteId));
  const byNote = new Map<string, Settlement>();
  for (const s of parsed.data) {
    if (!wanted.has(s.noteId)) throw new ApiError('invalid-argument', 'A settlement names a note that is not undelivered on this desk.', [`noteId: ${s.noteId}`]);
    if (byNote.has(s.noteId)) throw new ApiError('invalid-argument', 'A note was settled twice.', [`noteId: ${s.noteId}`]);
    if (s.action === 'retry' || s.action === 'fallback') {
      // Sent again before the clearance (sendUndelivered), a message is settled by its delivery, which wipes it.
      throw new ApiError(
        'not-allowed',
        `A message sent again ("${s.action}") is settled once it is delivered; until then carry it over or discard it with a reason. Nothing was cleared.`,
        [`noteId: ${s.noteId}`],
      );
    }
    byNote.set(s.noteId, s);
  }
  const unsettled = items.filter((i) => !byNote.has(i.noteId));
  if (unsettled.length > 0) {
    throw new ApiError(
      'not-allowed',
      `${unsettled.length} undelivered message(s) have no settlement; nothing undelivered is destroyed without one. Nothing was cleared.`,
      unsettled.slice(0, 5).map((i) => `unsettled: ${i.noteId}`),
    );
  }
  return byNote;
}

function readKeyLines(file: string): KeyLine[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const lines: KeyLine[] = [];
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    try {
      const parsed = KeyLineSchema.safeParse(JSON.parse(raw));
      if (parsed.success) lines.push(parsed.data);
    } catch {
      // A torn line: its note (if any) is not carried over; it is destroyed like the rest.
    }
  }
  return lines;
}

function writeJournal(dataDir: string, journal: Journal): void {
  const dir = path.join(dataDir, CLEARANCE_DIR);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileAtomicSync(journalPath(dataDir), JSON.stringify(journal), { mode: 0o600 });
}

function readJournal(dataDir: string): Journal | null {
  let text: string;
  try {
    text = fs.readFileSync(journalPath(dataDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const parsed = Journal.safeParse(JSON.parse(text));
  if (!parsed.success) throw new ApiError('store-corrupt', 'The clearance journal cannot be read; the vault was not opened. Tell the admin.');
  return parsed.data;
}

/**
 * Clears the desk. Refused (nothing changed) unless every undelivered message is settled. Returns
 * the signed deletion record once the desk is cleared.
 */
export async function clearDesk(deps: ClearanceDeps, input: ClearInput): Promise<DeletionRecord> {
  const now = deps.now ?? (() => new Date());
  const step = (s: ClearanceStep) => deps.onStep?.(s);
  const items = undeliveredItems(input.notes, input.jobs);
  const settled = checkSettlements(items, input.settlements);
  if (readJournal(deps.dataDir) !== null) throw new ApiError('not-allowed', 'A clearance is already under way on this desk.');

  const carried = new Set([...settled.values()].filter((s) => s.action === 'carry-over').map((s) => s.noteId));
  const discardReasons: Partial<Record<DiscardReason, number>> = {};
  for (const s of settled.values()) if (s.action === 'discard') discardReasons[s.reason] = (discardReasons[s.reason] ?? 0) + 1;
  const destroyedNotes = input.notes.filter((n) => !carried.has(n.id));
  const keptJobs = input.jobs.filter((j) => carried.has(j.noteId) && j.state !== 'delivered');
  const previous = lastRecord(deps.dataDir);

  // 1: from here on a crash is rolled back until the commit.
  writeJournal(deps.dataDir, { v: 1, phase: 'prepared', carried: [...carried], record: null });
  step('journal-prepared');

  const oldKek = decodeKek(await keychain(() => deps.keyStore.get(SHIFT_KEK_ACCOUNT)));
  const newKek = randomBytes(32);
  try {
    await keychain(() => deps.keyStore.set(NEXT_KEK_ACCOUNT, newKek.toString('base64')));
    if ((await keychain(() => deps.keyStore.get(NEXT_KEK_ACCOUNT))) !== newKek.toString('base64')) {
      throw new ApiError('keychain-unavailable', 'The keychain did not keep the next shift key; nothing was cleared.');
    }
    step('next-key-stored');

    // 3: the carried-over notes' data keys, moved from the old KEK to the new one.
    const newKid = kekId(newKek);
    let body = '';
    for (const line of readKeyLines(path.join(vaultDir(deps.dataDir), KEYS))) {
      if (!carried.has(line.id)) continue;
      if (oldKek === null) throw new ApiError('store-corrupt', 'A carried-over note has no shift key to open it; nothing was cleared.');
      const dataKey = unwrapDataKey(line.key, oldKek, line.id);
      body += `${JSON.stringify({ id: line.id, kid: newKid, key: wrapDataKey(dataKey, newKek, line.id) })}\n`;
      dataKey.fill(0);
    }
    fs.mkdirSync(vaultDir(deps.dataDir), { recursive: true, mode: 0o700 });
    writeFileAtomicSync(path.join(vaultDir(deps.dataDir), NEXT_KEYS), body, { mode: 0o600 });
    step('keys-rewrapped');

    // Not undone by a rollback (nothing there is needed again): the page's storage and the clipboard
    // hold only what the day left. A failure refuses the clearance; the desk stays as before.
    const rendererStorage = await besides('renderer storage', deps.clearRendererStorage);
    const clipboard = await besides('clipboard', deps.clearClipboard);

    const unsigned: UnsignedRecord = {
      format: RECORD_FORMAT,
      v: 1,
      seq: (previous?.seq ?? 0) + 1,
      deskId: input.deskId,
      at: now().toISOString(),
      by: 'personId' in input.confirmedBy ? { personId: input.confirmedBy.personId, role: input.confirmedBy.role } : { role: 'schedule' },
      ...(input.schedule ? { schedule: { due: input.schedule.due, late: input.schedule.late } } : {}),
      destroyed: {
        notes: countNotes(destroyedNotes),
        outboxJobs: input.jobs.length - keptJobs.length,
        quarantined: listFiles(path.join(vaultDir(deps.dataDir), 'quarantine')).length,
        leftovers: leftoverFiles(deps.dataDir).length,
        ...(rendererStorage === null ? {} : { rendererStorage }),
        ...(clipboard === null ? {} : { clipboard: clipboard ? 1 : 0 }),
      },
      carriedOver: { notes: carried.size, outboxJobs: keptJobs.length },
      discarded: { notes: Object.values(discardReasons).reduce((a, b) => a + b, 0), reasons: discardReasons },
      method: RECORD_METHOD,
      standard: RECORD_STANDARD,
      destroyedKey: oldKek === null ? null : keyFingerprint(kekId(oldKek)),
      prev: previous ? recordHash(previous) : GENESIS_RECORD,
      auditHead: deps.audit.head(),
    };
    const record = signRecord(unsigned, input.deskKey);

    // 4: the commit point.
    writeJournal(deps.dataDir, { v: 1, phase: 'committed', carried: [...carried], record });
    step('committed');
    await rollForward(deps, { v: 1, phase: 'committed', carried: [...carried], record }, step);
    deps.log.info('clearance.done', { seq: record.seq, destroyed: destroyedNotes.length, carried: carried.size });
    return record;
  } catch (err) {
    // Before the commit a failure undoes what was prepared (after it, rollForward finishes at the next start).
    const journal = readJournal(deps.dataDir);
    if (journal?.phase === 'prepared') await rollBack(deps);
    throw err;
  } finally {
    oldKek?.fill(0);
    newKek.fill(0);
  }
}

/** Runs one of the clearance's side steps outside the data directory; null when the desk has none. */
async function besides<T>(what: string, step: (() => Promise<T>) | undefined): Promise<T | null> {
  if (!step) return null;
  try {
    return await step();
  } catch (err) {
    throw new ApiError('internal', `The ${what} could not be cleared, so nothing was cleared; try again. ${err instanceof Error ? err.message : ''}`.trim());
  }
}

async function rollBack(deps: ClearanceDeps): Promise<void> {
  await keychain(() => deps.keyStore.delete(NEXT_KEK_ACCOUNT));
  fs.rmSync(path.join(vaultDir(deps.dataDir), NEXT_KEYS), { force: true });
  fs.rmSync(journalPath(deps.dataDir), { force: true });
  fsyncDirSync(path.join(deps.dataDir, CLEARANCE_DIR));
  deps.log.warn('clearance.rolled-back');
}

async function rollForward(deps: ClearanceDeps, journal: Journal, step: (s: ClearanceStep) => void): Promise<void> {
  const record = journal.record;
  if (record === null) throw new ApiError('store-corrupt', 'A committed clearance journal holds no record.');
  const carried = new Set(journal.carried);
  const vdir = vaultDir(deps.dataDir);

  // 5: the cryptographic erase. The old KEK goes first; the new one takes its account.
  const next = await keychain(() => deps.keyStore.get(NEXT_KEK_ACCOUNT));
  if (next !== null) {
    await keychain(() => deps.keyStore.delete(SHIFT_KEK_ACCOUNT));
    step('old-key-deleted');
    await keychain(() => deps.keyStore.set(SHIFT_KEK_ACCOUNT, next));
    if ((await keychain(() => deps.keyStore.get(SHIFT_KEK_ACCOUNT))) !== next) {
      throw new ApiError('keychain-unavailable', 'The keychain did not keep the new shift key; the clearance finishes at the next start.');
    }
    await keychain(() => deps.keyStore.delete(NEXT_KEK_ACCOUNT));
  }
  step('old-key-erased');

  // 6
  if (fs.existsSync(path.join(vdir, NEXT_KEYS))) {
    fs.renameSync(path.join(vdir, NEXT_KEYS), path.join(vdir, KEYS));
    fsyncDirSync(vdir);
  }
  step('key-table-swapped');

  // 7
  const notesDir = path.join(vdir, 'notes');
  for (const file of listFiles(notesDir)) {
    const name = path.basename(file);
    const carriedNote = name.endsWith(NOTE_EXT) && carried.has(name.slice(0, -NOTE_EXT.length));
    if (!carriedNote) fs.rmSync(file, { force: true });
  }
  for (const dir of [path.join(vdir, 'quarantine'), ...LEFTOVER_DIRS.map((d) => path.join(deps.dataDir, d))]) {
    for (const file of listFiles(dir)) fs.rmSync(file, { force: true });
  }
  if (fs.existsSync(notesDir)) fsyncDirSync(notesDir);
  step('files-deleted');

  // 8
  const jobs = loadJobs(deps.outboxStore);
  const kept = jobs.filter((j) => carried.has(j.noteId) && j.state !== 'delivered');
  if (kept.length !== jobs.length) saveJobs(deps.outboxStore, kept);
  step('outbox-pruned');

  // 9
  writeRecord(deps.dataDir, record);
  step('record-written');
  const hash = recordHash(record);
  const already = deps.audit.read().slice(-16).some((e) => e.type === 'desk-cleared' && e.record === hash);
  if (!already) {
    const n = record.destroyed.notes;
    deps.audit.append({
      type: 'desk-cleared',
      count: n.draft + n.ready + n.handingOff + n.failed + n.delivered + n.training,
      // A scheduled clearance names no person.
      ...('personId' in record.by ? { personRef: personRef(record.by.personId) } : {}),
      record: hash,
    });
  }
  step('audited');

  // 10
  fs.rmSync(journalPath(deps.dataDir), { force: true });
  fsyncDirSync(path.join(deps.dataDir, CLEARANCE_DIR));
  step('done');
}

/**
 * At start, before the vault opens: a clearance cut short is rolled back (before its commit) or
 * finished (after it). Returns what was done.
 */
export async function recoverClearance(deps: ClearanceDeps): Promise<'none' | 'rolled-back' | 'finished'> {
  const journal = readJournal(deps.dataDir);
  if (journal === null) {
    // A next key left by a crash before the journal was written cannot exist (the journal comes first).
    return 'none';
  }
  if (journal.phase === 'prepared') {
    await rollBack(deps);
    return 'rolled-back';
  }
  await rollForward(deps, journal, (s) => deps.onStep?.(s));
  deps.log.warn('clearance.finished-at-start', { seq: journal.record?.seq ?? 0 });
  return 'finished';
}
