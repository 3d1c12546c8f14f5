/**
 * Opening a note file found on disk at start: every check a file must pass before the desk trusts it
 * again (shape, its own id, a key wrapped by this shift's KEK, meta MAC, both sealed parts). A file
 * that fails is moved to quarantine/ — reported, kept, never deleted silently.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AuditReason } from '../audit/audit-event.js';
import { NoteId } from '../audit/audit-event.js';
import { fsyncDirSync } from '../fs/atomic-write.js';
import { moveToFreeName } from '../fs/move-aside.js';
import { callAad, checkMetaMac, fieldsAad, forgetNoteKeys, noteKeys, open, unwrapDataKey, type NoteKeys, type Sealed } from './note-crypto.js';
import { canonicalMeta, NOTE_EXT, NoteFileSchema, type KeyLine, type NoteFile } from './note-file.js';
import { CallContextSchema, Fields } from './note-input.js';

/** Why a note file was quarantined (also its audit reason code). */
export type QuarantineReason = Extract<AuditReason, 'tampered' | 'wrong-key' | 'key-missing' | 'unreadable'>;

export class QuarantineCause extends Error {
  constructor(readonly reason: QuarantineReason, message: string) {
    super(message);
    this.name = 'QuarantineCause';
  }
}

/** A note the desk holds: meta, its keys in memory, and its sealed parts (ciphertext only). */
export interface LiveNote {
  meta: NoteFile['meta'];
  keys: NoteKeys;
  wrapped: KeyLine;
  call: Sealed;
  rev: number;
  fields: Sealed;
}

/** Opens one note file's text, or throws QuarantineCause. */
export function loadNote(id: string, text: string, wrapped: KeyLine | undefined, kek: Buffer, kid: string): LiveNote {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new QuarantineCause('unreadable', 'the file is not JSON (cut short or damaged)');
  }
  const parsed = NoteFileSchema.safeParse(json);
  if (!parsed.success) throw new QuarantineCause('unreadable', 'the file is not a Kotozute note');
  const file = parsed.data;
  if (file.meta.id !== id) throw new QuarantineCause('tampered', 'the file holds another note than its name says');
  if (!wrapped) throw new QuarantineCause('key-missing', 'the key of this note is not in the key table');
  if (wrapped.kid !== kid) throw new QuarantineCause('wrong-key', "the note was sealed under another shift's key");
  let keys: NoteKeys;
  try {
    const dataKey = unwrapDataKey(wrapped.key, kek, id);
    keys = noteKeys(dataKey);
    dataKey.fill(0);
  } catch {
    throw new QuarantineCause('tampered', 'the wrapped key of this note does not open');
  }
  try {
    if (!checkMetaMac(keys, id, canonicalMeta(file.meta), file.mac)) {
      throw new QuarantineCause('tampered', 'the meta of the note was altered');
    }
    if (file.rev !== file.meta.saves) throw new QuarantineCause('tampered', 'the fields are from another revision');
    // Opened once here to prove the parts are whole; the plaintext is dropped at once.
    const call = open(file.call, keys.content, callAad(id));
    const fields = open(file.fields, keys.content, fieldsAad(id, file.rev));
    const whole = CallContextSchema.safeParse(JSON.parse(call.toString('utf8'))).success && Fields.safeParse(JSON.parse(fields.toString('utf8'))).success;
    call.fill(0);
    fields.fill(0);
    if (!whole) throw new QuarantineCause('tampered', 'the note opened but does not hold a note');
  } catch (err) {
    forgetNoteKeys(keys);
    if (err instanceof QuarantineCause) throw err;
    throw new QuarantineCause('tampered', 'the note content failed its integrity check');
  }
  return { meta: file.meta, keys, wrapped, call: file.call, rev: file.rev, fields: file.fields };
}

/** The note id a file name stands for, or null if the name is not a note's. */
export function noteIdOf(name: string): string | null {
  if (!name.endsWith(NOTE_EXT)) return null;
  const id = name.slice(0, -NOTE_EXT.length);
  return NoteId.safeParse(id).success ? id : null;
}

/** Ids of the notes already in quarantine (their keys are kept for an investigation). */
export function quarantinedIds(quarantineDir: string): Set<string> {
  const ids = new Set<string>();
  for (const name of fs.readdirSync(quarantineDir)) {
    const id = name.split('.')[0] ?? '';
    if (NoteId.safeParse(id).success) ids.add(id);
  }
  return ids;
}

/** Moves `file` into `quarantineDir` under a fresh name (never over another file). Returns the new path. */
export function moveToQuarantine(file: string, quarantineDir: string, stamp: string): string {
  const base = path.basename(file, NOTE_EXT);
  const target = moveToFreeName(file, (n) => path.join(quarantineDir, `${base}.${stamp}${n === 0 ? '' : `-${n}`}${NOTE_EXT}`));
  if (target === null) throw new Error(`could not find a free name in ${quarantineDir}`);
  fs.chmodSync(target, 0o600);
  fsyncDirSync(quarantineDir);
  fsyncDirSync(path.dirname(file));
  return target;
}
