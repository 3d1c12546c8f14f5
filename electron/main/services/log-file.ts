/**
 * The log on disk, with a size cap (issue 11 §2): lines are appended to `kotozute.log` in the log
 * folder; when the next line would take it past `maxBytes`, it is renamed to `kotozute.log.1` (and
 * `.1` to `.2` …, the oldest beyond `keep` deleted), and a new file starts. The folder never holds
 * more than `maxBytes × (keep + 1)` bytes of log. Files are the user's only (0600, folder 0700).
 *
 * Lines arrive already redacted (log.ts). Writing is synchronous and small, so a crash loses at most
 * the line being written and lines are never interleaved. A write that fails (disk full, folder
 * gone) drops that line, is counted, and never throws into the code that logged.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LogSink } from './log.js';

export const LOG_FILE_NAME = 'kotozute.log';
/** 1 MiB per file, 3 older files: at most 4 MiB of log. */
export const DEFAULT_LOG_MAX_BYTES = 1024 * 1024;
export const DEFAULT_LOG_KEEP = 3;
/** The longest line written; a longer one is cut (redacted lines are far shorter). */
export const MAX_LOG_LINE_BYTES = 8 * 1024;

export interface RotatingLogOptions {
  dir: string;
  maxBytes?: number;
  keep?: number;
}

export interface RotatingLog {
  sink: LogSink;
  /** The current file. */
  readonly path: string;
  /** Lines dropped because a write failed. */
  dropped(): number;
}

export function openRotatingLog({ dir, maxBytes = DEFAULT_LOG_MAX_BYTES, keep = DEFAULT_LOG_KEEP }: RotatingLogOptions): RotatingLog {
  if (!(maxBytes >= 1024 && maxBytes <= 1024 * 1024 * 1024)) throw new RangeError('maxBytes must be 1 KiB–1 GiB');
  if (!(Number.isInteger(keep) && keep >= 0 && keep <= 20)) throw new RangeError('keep must be 0–20');
  const file = path.join(dir, LOG_FILE_NAME);
  let size: number | null = null;
  let dropped = 0;

  const currentSize = (): number => {
    if (size !== null) return size;
    try {
      size = fs.statSync(file).size;
    } catch {
      size = 0;
    }
    return size;
  };

  const rotate = () => {
    fs.rmSync(`${file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      try {
        fs.renameSync(`${file}.${i}`, `${file}.${i + 1}`);
      } catch {
        // not there yet
      }
    }
    if (keep > 0) fs.renameSync(file, `${file}.1`);
    else fs.rmSync(file, { force: true });
    size = 0;
  };

  const sink: LogSink = (line) => {
    try {
      let data = Buffer.from(`${line}\n`, 'utf8');
      if (data.length > MAX_LOG_LINE_BYTES) data = Buffer.concat([data.subarray(0, MAX_LOG_LINE_BYTES - 4), Buffer.from('…\n')]);
      if (size === null) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (currentSize() > 0 && currentSize() + data.length > maxBytes) rotate();
      fs.appendFileSync(file, data, { mode: 0o600 });
      size = currentSize() + data.length;
    } catch {
      dropped += 1;
      size = null;
    }
  };
  return { sink, path: file, dropped: () => dropped };
}
