/**
 * The note vault: one encrypted note per call, from the first keystroke to its destruction.
 *
 * Keys (DESIGN.md §4): the shift's KEK lives in the OS keychain; each note has its own random data
 * key, kept on disk only wrapped by the KEK; the note's call context and fields are sealed with it
 * (see note-crypto.ts, and note-file.ts for the files). Every write is atomic and 0600, and only
 * ciphertext and non-personal meta ever reach the disk. Autosaves are counted, not audited one by
 * one; creation, hand-off (with the autosave count), wipe, expiry and quarantine are audited.
 *
 * A wipe is a cryptographic erase: the key table is rewritten without the note's key (from then on
 * nothing on the desk opens the note, not even a copy of its file), the wipe is audited, and then
 * the note file is removed. destroyKek() at the end of the day removes the KEK itself.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../../../shared/ipc/errors.js';
import type { AuditInput, AuditLog } from '../audit/audit-log.js';
import { fsyncDirSync, TEMP_SUFFIX, writeFileAtomicSync } from '../fs/atomic-write.js';
import { FileRefused, readBoundedTextSync } from '../fs/bounded-read.js';
import { getOrCreateKey, KeychainError, type KeyStore } from '../keychain.js';
import type { Logger } from '../log.js';
import { openKeyTable, type KeyTable } from './key-table.js';
import { callAad, checkKey, fieldsAad, forgetNoteKeys, kekId, macMeta, newDataKey, noteKeys, open, seal, wrapDataKey } from './note-crypto.js';
import { canonicalMeta, NOTE_EXT, NOTE_FORMAT, type KeyLine, type NoteFile } from './note-file.js';
import { CreateInput, Fields, parseInput } from './note-input.js';
import { loadNote, moveToQuarantine, noteIdOf, QuarantineCause, quarantinedIds, type LiveNote, type QuarantineReason } from './note-loader.js';

export type NoteState = 'draft' | 'ready' | 'handing-off' | 'delivered' | 'failed';
export type WipeReason = 'delivered' | 'expired' | 'training' | 'cleared' | 'discarded';
export interface CallContext {
  did: string;
  callerName: string;
  callerNumber: string;
  receivedAt: string;
}
/** What the desk may know about a note without opening it: no personal data. */
export interface NoteMeta {
  id: string;
  callId: string;
  clientId: string | null;
  training: boolean;
  state: NoteState;
  createdAt: string;
  updatedAt: string;
  saves: number;
}
export interface NoteContent {
  fields: Record<string, string>;
  call: CallContext;
}
/** A note file that could not be opened at start, moved aside and reported. */
export interface NoteQuarantine {
  noteId: string | null;
  movedTo: string;
  reason: QuarantineReason;
  message: string;
}

export interface Vault {
  create(o: { callId: string; clientId: string | null; training: boolean; call: CallContext }): NoteMeta;
  /** Autosave: seals the fields with the note's key and writes the note atomically. Counted, not audited. */
  save(id: string, fields: Record<string, string>): NoteMeta;
  read(id: string): { meta: NoteMeta; content: NoteContent };
  list(): NoteMeta[];
  setState(id: string, state: NoteState): NoteMeta;
  wipe(id: string, reason: WipeReason): void;
  wipeMany(ids: readonly string[], reason: WipeReason): void;
  /** The notes `expire` would destroy now, so the shift lead can see them first. */
  expiring(now: Date, maxHoursOf: (clientId: string | null) => number): NoteMeta[];
  /** Destroys notes older than their client's retention; returns what was expired (audited as undelivered with reason). */
  expire(now: Date, maxHoursOf: (clientId: string | null) => number): NoteMeta[];
  /**
   * Resolves once the files of wiped notes are removed. A large wipe returns once its notes are
   * erased (keys gone, audited) and removes their files in the background: each removal costs tens
   * of microseconds on ext4, and the ciphertext is already unreadable.
   */
  whenFilesRemoved(): Promise<void>;
  /** Note files that failed to open at start (kept in quarantine/, keys kept until the KEK goes). */
  quarantined(): readonly NoteQuarantine[];
  /**
   * End of day: removes the KEK (from the keychain too, when the vault was opened with one) and every
   * wrapped key, so nothing written under it can be opened again. Refused while notes are live —
   * undelivered notes are never destroyed silently; wipe them first ('cleared'). Closes the vault.
   */
  destroyKek(): Promise<void>;
  close(): void;
}

/** The keychain account of the shift's KEK. */
export const SHIFT_KEK_ACCOUNT = 'shift-kek';

const EDITABLE: ReadonlySet<NoteState> = new Set(['draft', 'ready', 'failed']);
const NEXT: Readonly<Record<NoteState, readonly NoteState[]>> = {
  draft: ['ready', 'handing-off'],
  ready: ['draft', 'handing-off'],
  'handing-off': ['delivered', 'failed'],
  failed: ['handing-off', 'ready', 'draft'],
  delivered: [],
};
/** Up to this many notes, a wipe removes their files before it returns. */
const SYNC_REMOVAL_LIMIT = 100;
/** Background removals in flight at once (libuv's pool has 4 threads). */
const REMOVAL_BATCH = 16;
const WIPE_REASONS: ReadonlySet<string> = new Set<WipeReason>(['delivered', 'expired', 'training', 'cleared', 'discarded']);

interface VaultOptions {
  dir: string;
  audit: AuditLog;
  log: Logger;
  now?: () => Date;
  /**
   * A clock that only moves forward at the pace of real time, in ms (default performance.now()):
   * it measures how long a note has really been on the desk when the wall clock jumps (retention).
   */
  monotonic?: () => number;
}

/**
 * Opens the vault with the shift's KEK from the keychain (created when absent). When the keychain is
 * unavailable it throws ApiError('keychain-unavailable') before anything is written — no plaintext
 * fallback.
 */
export async function openVault(o: VaultOptions & { keyStore: KeyStore }): Promise<Vault> {
  let kek: Buffer;
  try {
    kek = await getOrCreateKey(o.keyStore, SHIFT_KEK_ACCOUNT);
  } catch (err) {
    if (!(err instanceof KeychainError)) throw err;
    o.log.warn('vault.keychain-unavailable', { reason: err.reason });
    throw new ApiError(
      'keychain-unavailable',
      `Notes cannot be taken on this desk: their key must be kept in the OS keychain, and the keychain is unavailable. ${err.message}`,
      [err.reason],
    );
  }
  try {
    return openVaultWithKek({ ...o, kek, onDestroyKek: () => deleteKek(o.keyStore) });
  } finally {
    kek.fill(0);
  }
}

/** A note file's text, capped (FILE_LIMITS.note); one that is not a regular file, over the cap or changing is quarantined. */
function readNoteFile(file: string): string {
  try {
    return readBoundedTextSync(file, { kind: 'note' });
  } catch (err) {
    if (err instanceof FileRefused && (err.reason === 'not-regular' || err.reason === 'too-large' || err.reason === 'changed')) {
      throw new QuarantineCause('unreadable', err.message);
    }
    throw err;
  }
}

function unlinkIfPresent(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

async function deleteKek(keyStore: KeyStore): Promise<void> {
  try {
    await keyStore.delete(SHIFT_KEK_ACCOUNT);
  } catch (err) {
    if (!(err instanceof KeychainError)) throw err;
    throw new ApiError('keychain-unavailable', `The shift key could not be removed from the OS keychain; nothing was destroyed. ${err.message}`, [err.reason]);
  }
}

/** Opens the vault with a KEK in hand (tests, benches); `onDestroyKek` removes the KEK from where it is kept. */
export function openVaultWithKek(o: VaultOptions & { kek: Buffer; onDestroyKek?: () => Promise<void> }): Vault {
  checkKey(o.kek, 'the KEK');
  if (!path.isAbsolute(o.dir)) throw new TypeError(`the vault folder must be an absolute path, got "${o.dir}"`);
  const kek = Buffer.from(o.kek);
  const kid = kekId(kek);
  const now = o.now ?? (() => new Date());
  const monotonic = o.monotonic ?? (() => performance.now());
  const { audit, log } = o;
  const notesDir = path.join(o.dir, 'notes');
  const quarantineDir = path.join(o.dir, 'quarantine');
  for (const d of [o.dir, notesDir, quarantineDir]) fs.mkdirSync(d, { recursive: true, mode: 0o700 });

  const keyTable: KeyTable = openKeyTable(path.join(o.dir, 'keys.jsonl'));
  const notes = new Map<string, LiveNote>();
  /** Keys of quarantined notes, kept until the KEK goes so an investigator can still open them. */
  const retainedKeys = new Map<string, KeyLine>();
  const quarantine: NoteQuarantine[] = [];
  /**
   * Each live note's age as this process first knew it (0 at creation; by the wall clock when loaded
   * at start) and the monotonic time then: its age since, whatever the wall clock does meanwhile.
   */
  const ageAnchors = new Map<string, { age: number; at: number }>();
  /** Wiped notes whose files may still be on disk; written as tombstones with the keys. */
  const pendingGone = new Set<string>();
  let removal: Promise<void> = Promise.resolve();
  let closed = false;

  const notePath = (id: string) => path.join(notesDir, `${id}${NOTE_EXT}`);
  const stamp = () => now().toISOString().replace(/[:.]/g, '-');

  // ── recover what the last run left ──
  for (const name of fs.readdirSync(notesDir)) {
    const file = path.join(notesDir, name);
    if (name.endsWith(TEMP_SUFFIX)) {
      // A write cut short by a crash: ciphertext that never became the note.
      fs.rmSync(file, { force: true });
      continue;
    }
    const id = noteIdOf(name);
    if (id !== null && keyTable.tombstones.has(id) && !keyTable.loaded.has(id)) {
      // Wiped (and audited) before a crash cut the file removal short: its key is already gone.
      unlinkIfPresent(file);
      continue;
    }
    try {
      if (id === null) throw new QuarantineCause('unreadable', 'the file name is not a note id');
      const loaded = loadNote(id, readNoteFile(file), keyTable.loaded.get(id), kek, kid);
      notes.set(id, loaded);
      anchorAge(loaded.meta);
    } catch (err) {
      if (!(err instanceof QuarantineCause)) throw err;
      const movedTo = moveToQuarantine(file, quarantineDir, stamp());
      quarantine.push({ noteId: id, movedTo, reason: err.reason, message: err.message });
      log.warn('vault.note-quarantined', { id: id ?? 'unnamed', reason: err.reason });
      audit.append({ type: 'quarantined', ...(id ? { noteId: id } : {}), reason: err.reason });
    }
  }
  for (const id of quarantinedIds(quarantineDir)) {
    const key = keyTable.loaded.get(id);
    if (key) retainedKeys.set(id, key);
  }
  const orphans = [...keyTable.loaded.keys()].filter((id) => !notes.has(id) && !retainedKeys.has(id));
  if (orphans.length > 0 || keyTable.unreadableLines > 0 || keyTable.tombstones.size > 0) {
    // Keys whose note file never came to be (a crash during create), and tombstones already honoured.
    if (keyTable.tombstones.size > 0) fsyncDirSync(notesDir);
    keyTable.rewrite(currentKeys(), []);
    if (orphans.length > 0) audit.append({ type: 'keys-discarded', count: orphans.length });
    log.info('vault.keys-compacted', { orphans: orphans.length, unreadableLines: keyTable.unreadableLines });
  }
  log.info('vault.opened', { live: notes.size, quarantined: quarantine.length });

  function* currentKeys(): Iterable<KeyLine> {
    for (const n of notes.values()) yield n.wrapped;
    yield* retainedKeys.values();
  }

  function anchorAge(meta: NoteMeta): void {
    ageAnchors.set(meta.id, { age: Math.max(0, now().getTime() - Date.parse(meta.createdAt)), at: monotonic() });
  }

  /**
   * A note's age for retention at `at`. The wall clock may jump (an NTP step, a time zone fixed, a
   * resumed laptop); the monotonic clock does not, but stands still while the computer sleeps. So
   * the age reading that errs towards keeping an undelivered note (the smaller: a forward jump never
   * destroys a message early) and towards destroying a delivered one (the larger: a backward jump
   * never keeps its personal data past retention, and neither does a sleep).
   */
  function retentionAge(meta: NoteMeta, at: Date): number {
    const byWall = at.getTime() - Date.parse(meta.createdAt);
    const anchor = ageAnchors.get(meta.id);
    if (!anchor) return byWall;
    const byMonotonic = anchor.age + (monotonic() - anchor.at);
    return meta.state === 'delivered' ? Math.max(byWall, byMonotonic) : Math.min(byWall, byMonotonic);
  }

  function ensureOpen(): void {
    if (closed) throw new ApiError('not-allowed', 'The vault is closed.');
  }

  function live(id: string): LiveNote {
    ensureOpen();
    const note = typeof id === 'string' ? notes.get(id) : undefined;
    if (!note) throw new ApiError('not-found', 'There is no such note in the vault (it may have been wiped).');
    return note;
  }

  /** Writes a note's file (atomic, 0600) and, only once it is on disk, makes it the live note. */
  function commit(note: LiveNote): void {
    const file: NoteFile = {
      format: NOTE_FORMAT,
      v: 1,
      meta: note.meta,
      mac: macMeta(note.keys, note.meta.id, canonicalMeta(note.meta)),
      call: note.call,
      rev: note.rev,
      fields: note.fields,
    };
    writeFileAtomicSync(notePath(note.meta.id), JSON.stringify(file));
    notes.set(note.meta.id, note);
  }

  function sealJson(value: unknown, key: Buffer, aad: string) {
    const plain = Buffer.from(JSON.stringify(value), 'utf8');
    try {
      return seal(plain, key, aad);
    } finally {
      plain.fill(0);
    }
  }

  /**
   * Erases notes: the key table is rewritten without their keys (the erase itself), then one audit
   * event each, then their files are removed — at once for a few, in the background for many.
   */
  function destroy(targets: readonly LiveNote[], eventOf: (n: LiveNote) => AuditInput): void {
    if (targets.length === 0) return;
    const ids = new Set(targets.map((n) => n.meta.id));
    const remaining = [...currentKeys()].filter((k) => !ids.has(k.id));
    // Written before anything changes in memory: if the disk refuses, the notes are still whole.
    keyTable.rewrite(remaining, [...pendingGone, ...ids]);
    for (const note of targets) {
      notes.delete(note.meta.id);
      ageAnchors.delete(note.meta.id);
      forgetNoteKeys(note.keys);
      pendingGone.add(note.meta.id);
    }
    audit.appendMany(targets.map(eventOf));
    if (targets.length <= SYNC_REMOVAL_LIMIT) {
      for (const id of ids) {
        unlinkIfPresent(notePath(id));
        pendingGone.delete(id);
      }
      fsyncDirSync(notesDir);
    } else {
      removal = removal.then(() => removeInBackground([...ids]));
    }
  }

  async function removeInBackground(ids: string[]): Promise<void> {
    let failed = 0;
    for (let i = 0; i < ids.length; i += REMOVAL_BATCH) {
      const batch = ids.slice(i, i + REMOVAL_BATCH);
      const results = await Promise.allSettled(batch.map((id) => fsp.unlink(notePath(id))));
      results.forEach((r, j) => {
        if (r.status === 'fulfilled' || (r.reason as NodeJS.ErrnoException).code === 'ENOENT') pendingGone.delete(batch[j] as string);
        else failed++;
      });
    }
    try {
      const dir = await fsp.open(notesDir, 'r');
      await dir.sync().finally(() => dir.close());
    } catch {
      // The removals stand; only their durability waits for the next flush.
    }
    // Left as tombstones: removed at the next start. The notes themselves are already erased.
    if (failed > 0) log.warn('vault.wiped-files-not-removed', { count: failed });
  }

  function dueForExpiry(at: Date, maxHoursOf: (clientId: string | null) => number): LiveNote[] {
    ensureOpen();
    const due: LiveNote[] = [];
    for (const note of notes.values()) {
      const hours = maxHoursOf(note.meta.clientId);
      if (!Number.isFinite(hours) || hours <= 0) {
        // A broken retention setting must not destroy anything: keep the note, say so.
        log.warn('vault.retention-invalid', { client: note.meta.clientId ?? 'none' });
        continue;
      }
      if (retentionAge(note.meta, at) >= hours * 3_600_000) due.push(note);
    }
    return due;
  }

  const copy = (m: NoteMeta): NoteMeta => ({ ...m });
  const clientOf = (n: LiveNote) => (n.meta.clientId === null ? {} : { clientId: n.meta.clientId });

  function wipeMany(ids: readonly string[], reason: WipeReason): void {
    ensureOpen();
    if (!WIPE_REASONS.has(reason)) throw new ApiError('invalid-argument', 'Unknown wipe reason.', [`reason: ${typeof reason}`]);
    // Check every note before destroying any, so a bad id in a batch destroys nothing.
    const targets = [...new Set(ids)].map(live);
    for (const n of targets) {
      if (reason === 'delivered' && n.meta.state !== 'delivered') {
        throw new ApiError('not-allowed', `A note is wiped as delivered only after its delivery is confirmed (it is ${n.meta.state}).`);
      }
      if (reason === 'training' && !n.meta.training) throw new ApiError('not-allowed', 'Only a training note is wiped as training.');
    }
    destroy(targets, (n) => ({ type: 'wiped', noteId: n.meta.id, ...clientOf(n), count: n.meta.saves, reason }));
  }

  return {
    create(input) {
      ensureOpen();
      const o2 = parseInput(CreateInput, input, 'new note');
      const id = randomUUID();
      const dataKey = newDataKey();
      const wrapped: KeyLine = { id, kid, key: wrapDataKey(dataKey, kek, id) };
      const keys = noteKeys(dataKey);
      dataKey.fill(0);
      const at = now().toISOString();
      const note: LiveNote = {
        meta: { id, callId: o2.callId, clientId: o2.clientId, training: o2.training, state: 'draft', createdAt: at, updatedAt: at, saves: 0 },
        keys,
        wrapped,
        call: sealJson(o2.call, keys.content, callAad(id)),
        rev: 0,
        fields: sealJson({}, keys.content, fieldsAad(id, 0)),
      };
      // Key first: a crash between the two leaves a key without a note (dropped at start), never the reverse.
      keyTable.add(wrapped);
      commit(note);
      ageAnchors.set(id, { age: 0, at: monotonic() });
      audit.append({ type: 'created', noteId: id, ...clientOf(note), ...(o2.training ? { reason: 'training' } : {}) });
      return copy(note.meta);
    },

    save(id, fields) {
      const note = live(id);
      if (!EDITABLE.has(note.meta.state)) {
        throw new ApiError('not-allowed', `The note is ${note.meta.state} and can no longer be edited.`);
      }
      const clean = parseInput(Fields, fields, 'note');
      const rev = note.meta.saves + 1;
      commit({
        ...note,
        meta: { ...note.meta, saves: rev, updatedAt: now().toISOString() },
        rev,
        fields: sealJson(clean, note.keys.content, fieldsAad(id, rev)),
      });
      return copy(notes.get(id)!.meta);
    },

    read(id) {
      const note = live(id);
      try {
        const call = open(note.call, note.keys.content, callAad(id));
        const fields = open(note.fields, note.keys.content, fieldsAad(id, note.rev));
        const content: NoteContent = { call: JSON.parse(call.toString('utf8')) as CallContext, fields: JSON.parse(fields.toString('utf8')) as Record<string, string> };
        call.fill(0);
        fields.fill(0);
        return { meta: copy(note.meta), content };
      } catch {
        throw new ApiError('store-corrupt', 'The note could not be opened.');
      }
    },

    list() {
      ensureOpen();
      return [...notes.values()].map((n) => copy(n.meta)).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },

    setState(id, state) {
      const note = live(id);
      if (note.meta.state === state) return copy(note.meta);
      if (!NEXT[note.meta.state]?.includes(state)) {
        throw new ApiError('not-allowed', `A note cannot go from ${note.meta.state} to ${String(state)}.`);
      }
      if (state === 'handing-off' && note.meta.training) {
        throw new ApiError('not-allowed', 'Training notes are never handed off.');
      }
      commit({ ...note, meta: { ...note.meta, state, updatedAt: now().toISOString() } });
      if (state === 'handing-off') audit.append({ type: 'autosaved', noteId: id, ...clientOf(note), count: note.meta.saves });
      return copy(notes.get(id)!.meta);
    },

    wipe(id, reason) {
      wipeMany([id], reason);
    },

    wipeMany,

    expiring(at, maxHoursOf) {
      return dueForExpiry(at, maxHoursOf).map((n) => copy(n.meta));
    },

    expire(at, maxHoursOf) {
      const due = dueForExpiry(at, maxHoursOf);
      const metas = due.map((n) => copy(n.meta));
      destroy(due, (n) => ({
        type: 'expired',
        noteId: n.meta.id,
        ...clientOf(n),
        count: n.meta.saves,
        reason: n.meta.state === 'delivered' ? 'delivered' : 'undelivered',
      }));
      if (metas.length > 0) log.warn('vault.notes-expired', { count: metas.length, undelivered: metas.filter((m) => m.state !== 'delivered').length });
      return metas;
    },

    whenFilesRemoved() {
      return removal;
    },

    quarantined() {
      return quarantine.map((q) => ({ ...q }));
    },

    async destroyKek() {
      ensureOpen();
      if (notes.size > 0) {
        throw new ApiError('not-allowed', `${notes.size} note(s) are still in the vault; the key is destroyed only after every note is handed off or cleared.`);
      }
      await removal;
      // The keychain first: if it refuses, nothing has changed and the shift lead can retry.
      await o.onDestroyKek?.();
      keyTable.destroy();
      kek.fill(0);
      closed = true;
      audit.append({ type: 'kek-destroyed', count: retainedKeys.size });
      retainedKeys.clear();
      log.info('vault.kek-destroyed', { quarantined: quarantine.length });
    },

    close() {
      if (closed) return;
      closed = true;
      for (const n of notes.values()) forgetNoteKeys(n.keys);
      kek.fill(0);
      keyTable.close();
    },
  };
}
