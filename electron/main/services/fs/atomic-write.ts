/**
 * Crash-safe file writes for anything the desk keeps: after a power cut a reader finds either the
 * old file or the new one, whole — never a mix, never a half-written file.
 *
 * The recipe: write a temporary file in the same folder (so the rename cannot cross file systems),
 * created 0600 so it is private from its first byte; fsync it; rename it over the target; fsync the
 * folder so the rename itself survives a crash. Callers hand in ciphertext only: a temporary file is
 * still a file on disk.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The suffix of temporary files, so a folder's owner can sweep up what a crash left behind. */
export const TEMP_SUFFIX = '.tmp';

/** Writes every byte of `data` to `fd`; writeSync may write less than asked. */
function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset);
}

/** Flushes a folder's entries (new, renamed, removed files) to disk. */
export function fsyncDirSync(dir: string): void {
  // Windows cannot open a folder for fsync; NTFS journals renames itself.
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Replaces `file` with `data` atomically, with mode `mode` (default 0600).
 * `syncDir: false` skips the folder fsync for callers that fsync the folder once after many writes.
 */
export function writeFileAtomicSync(file: string, data: string | Buffer, opts: { mode?: number; syncDir?: boolean } = {}): void {
  const mode = opts.mode ?? 0o600;
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  // 'wx': never follow or reuse something already at the temporary name.
  const fd = fs.openSync(temp, 'wx', mode);
  try {
    try {
      writeAll(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // The umask may have narrowed the mode; a wider mode cannot have come from openSync.
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
  if (opts.syncDir !== false) fsyncDirSync(dir);
}

/** Appends `data` to the file open at `fd` and flushes it to disk before returning. */
export function appendSync(fd: number, data: string | Buffer): void {
  writeAll(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  fs.fsyncSync(fd);
}
