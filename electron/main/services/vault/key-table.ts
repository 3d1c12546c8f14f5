/**
 * keys.jsonl: the wrapped data keys of the notes on disk. A new note's key is appended (one small
 * write and a flush, whatever the number of notes); a wipe rewrites the file atomically without the
 * wiped notes' keys, so a wipe of thousands of notes is one rewrite.
 *
 * The key is written before its note file, so a crash in between leaves a key without a note
 * (dropped at the next start), never a note without a key.
 */
import fs from 'node:fs';
import path from 'node:path';
import { appendSync, fsyncDirSync, writeFileAtomicSync } from '../fs/atomic-write.js';
import { KeyLineSchema, TombstoneSchema, type KeyLine } from './note-file.js';

export interface KeyTable {
  /** The wrapped keys read at open, by note id. */
  readonly loaded: ReadonlyMap<string, KeyLine>;
  /** Ids of wiped notes whose files may not have been removed yet (see TombstoneSchema). */
  readonly tombstones: ReadonlySet<string>;
  /** Lines at open that were neither (a torn last line after a crash). */
  readonly unreadableLines: number;
  add(line: KeyLine): void;
  /** Rewrites the file with exactly these keys and tombstones: the moment a wipe erases its notes. */
  rewrite(lines: Iterable<KeyLine>, gone: Iterable<string>): void;
  /** Removes the file (end of day: its keys are useless once the KEK is gone). */
  destroy(): void;
  close(): void;
}

const FILE_MODE = 0o600;

const toLine = (k: KeyLine) => `${JSON.stringify(k)}\n`;

export function openKeyTable(file: string): KeyTable {
  const loaded = new Map<string, KeyLine>();
  const tombstones = new Set<string>();
  let unreadableLines = 0;
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    try {
      const json: unknown = JSON.parse(raw);
      const parsed = KeyLineSchema.safeParse(json);
      const tomb = parsed.success ? null : TombstoneSchema.safeParse(json);
      if (parsed.success) loaded.set(parsed.data.id, parsed.data);
      else if (tomb?.success) tombstones.add(tomb.data.id);
      else unreadableLines++;
    } catch {
      unreadableLines++;
    }
  }

  const created = !fs.existsSync(file);
  let fd = fs.openSync(file, 'a', FILE_MODE);
  fs.fchmodSync(fd, FILE_MODE);
  if (created) fsyncDirSync(path.dirname(file));
  // A torn last line (crash during an append) would glue itself to the next key: end it first.
  if (text !== '' && !text.endsWith('\n')) appendSync(fd, '\n');

  return {
    loaded,
    tombstones,
    unreadableLines,
    add(line) {
      appendSync(fd, toLine(line));
    },
    rewrite(lines, gone) {
      let body = '';
      for (const l of lines) body += toLine(l);
      for (const id of gone) body += `${JSON.stringify({ id, gone: true })}\n`;
      writeFileAtomicSync(file, body, { mode: FILE_MODE });
      // The open descriptor still points at the replaced file: follow the name to the new one.
      fs.closeSync(fd);
      fd = fs.openSync(file, 'a', FILE_MODE);
    },
    close() {
      fs.closeSync(fd);
    },
    destroy() {
      fs.closeSync(fd);
      fs.rmSync(file, { force: true });
      fsyncDirSync(path.dirname(file));
    },
  };
}
