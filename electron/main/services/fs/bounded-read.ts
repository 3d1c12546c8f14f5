/**
 * The one way the desk and the admin tool read a file someone handed them (a key, a directory, a
 * bundle, an audit file; later rosters and deletion records): bounded, and never blocked.
 *
 * - Only regular files. The path is opened with O_NONBLOCK (a FIFO with no writer opens at once
 *   instead of hanging) and the type is checked with fstat on the opened descriptor, so a path
 *   swapped for a FIFO or a device between a check and the open is still caught. Symlinks are
 *   followed, and refused when what they point at is not a regular file.
 * - A cap per kind of file. A file whose size is over the cap is refused unread; reading stops one
 *   byte past the size fstat gave (never past the cap), so a file that grows while it is read, or
 *   one whose size stat misreports, is refused after at most cap + 1 bytes.
 *
 * Every refusal is a FileRefused (an ApiError) whose message is one line naming the path.
 */
import fs from 'node:fs';
import { open } from 'node:fs/promises';
import { MAX_BUNDLE_BYTES } from '../../../../shared/directory/schema.js';
import { ApiError, type ErrorCode } from '../../../../shared/ipc/errors.js';

const KB = 1024;
const MB = 1024 * KB;

/** The cap for each kind of file, in bytes. */
export const FILE_LIMITS = {
  /** A PEM admin key (public or private): a few hundred bytes; 16 KB leaves room for comments. */
  key: 16 * KB,
  /** The admin's directory JSON, signed into a bundle: a bundle is capped at 50 MB. */
  directory: MAX_BUNDLE_BYTES,
  /** A signed directory bundle. */
  bundle: MAX_BUNDLE_BYTES,
  /** A desk's audit trail (audit.jsonl): ~250 bytes an event, so about half a million events. */
  audit: 128 * MB,
  /** A team roster, JSON or signed bundle (roster-bundle.ts MAX_ROSTER_BYTES). */
  roster: 5 * MB,
  /** A CA certificate bundle (PEM) for the hand-off server. */
  certificate: 1 * MB,
  /** The plain settings file (window, line choices): a few KB. */
  settings: 1 * MB,
  /**
   * A sealed store file. The bundle's own store holds a 50 MB bundle as JSON text (quotes escaped),
   * encrypted and base64-encoded: about 135 MB at worst.
   */
  store: 256 * MB,
  /**
   * A sealed note: at most 8,000,000 characters (note-input.ts), up to 6 bytes each once escaped
   * in JSON, then base64: about 64 MB at worst.
   */
  note: 96 * MB,
  /** A signed deletion record (clearance): about 1 KB of counts and codes. */
  record: 64 * KB,
  /** The floor report's records file: one JSON array of up to 2,000 desks' records (issue 10 §4). */
  records: 8 * MB,
} as const;
export type FileKind = keyof typeof FILE_LIMITS;

/** Why a file was refused: it is not a regular file, it is over the cap, or it changed while read. */
export type RefusalReason = 'not-regular' | 'too-large' | 'changed' | 'missing' | 'unreadable';

export class FileRefused extends ApiError {
  constructor(
    readonly reason: RefusalReason,
    readonly path: string,
    message: string,
    code: ErrorCode = reason === 'missing' ? 'not-found' : 'invalid-argument',
  ) {
    super(code, message);
    this.name = 'FileRefused';
  }
}

export interface BoundedReadOptions {
  /** Which cap applies; also names the file in messages ("the key file …"). */
  kind: FileKind;
  /** Overrides the cap (tests, or a caller with a tighter one). */
  limit?: number;
}

const NAMES: Record<FileKind, string> = {
  key: 'key file',
  directory: 'directory file',
  bundle: 'bundle file',
  audit: 'audit file',
  roster: 'roster file',
  certificate: 'certificate file',
  settings: 'settings file',
  store: 'store file',
  note: 'note file',
  record: 'deletion record',
  records: 'deletion records file',
};

/** O_NOCTTY: a terminal device must never become the process's controlling terminal by being opened. */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);
const CHUNK = 64 * KB;

export function formatBytes(n: number): string {
  if (n >= MB) return `${(n / MB).toFixed(1)} MB`;
  if (n >= KB) return `${(n / KB).toFixed(1)} KB`;
  return `${n} bytes`;
}

function whatItIs(info: fs.Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** "… is a symlink to a FIFO" when the path itself is a link; for the message only, never for the decision. */
function throughLink(path: string): string {
  try {
    return fs.lstatSync(path).isSymbolicLink() ? 'a symlink to ' : '';
  } catch {
    return '';
  }
}

function notRegular(path: string, kind: FileKind, info: fs.Stats): FileRefused {
  return new FileRefused('not-regular', path, `refused ${path}: it is ${throughLink(path)}${whatItIs(info)}, not a regular ${NAMES[kind]}.`);
}

function openFailed(path: string, kind: FileKind, err: unknown): FileRefused {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  if (code === 'ENOENT') return new FileRefused('missing', path, `cannot read the ${NAMES[kind]} ${path} (ENOENT: there is no such file).`);
  if (code === 'EISDIR') return new FileRefused('not-regular', path, `refused ${path}: it is ${throughLink(path)}a directory, not a regular ${NAMES[kind]}.`);
  // A socket (and a device with no driver behind it) cannot be opened at all: ENXIO / EOPNOTSUPP.
  if (code === 'ENXIO' || code === 'EOPNOTSUPP') {
    let info: fs.Stats | null;
    try {
      info = fs.statSync(path);
    } catch {
      info = null;
    }
    if (info && !info.isFile()) return notRegular(path, kind, info);
  }
  return new FileRefused('unreadable', path, `cannot read the ${NAMES[kind]} ${path} (${code}).`);
}

function tooLarge(path: string, kind: FileKind, limit: number, size: number | null): FileRefused {
  const what = size === null ? `it holds more than ${formatBytes(limit)}` : `it is ${formatBytes(size)}`;
  return new FileRefused('too-large', path, `refused ${path}: ${what}; a ${NAMES[kind]} may be at most ${formatBytes(limit)} (stopped reading there).`);
}

function changed(path: string, kind: FileKind): FileRefused {
  return new FileRefused('changed', path, `refused ${path}: the ${NAMES[kind]} changed while it was being read; read it again once nothing writes to it.`);
}

/** Checks the opened descriptor and returns how many bytes may be read (the size, then one more to see growth). */
function budget(path: string, kind: FileKind, limit: number, info: fs.Stats): number {
  if (!info.isFile()) throw notRegular(path, kind, info);
  if (info.size > limit) throw tooLarge(path, kind, limit, info.size);
  return info.size;
}

function limitOf(o: BoundedReadOptions): number {
  const limit = o.limit ?? FILE_LIMITS[o.kind];
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError('a read limit is a non-negative integer');
  return limit;
}

/** Reads a whole regular file, at most its cap; throws FileRefused otherwise. */
export async function readBounded(path: string, o: BoundedReadOptions): Promise<Buffer> {
  const limit = limitOf(o);
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (err) {
    throw openFailed(path, o.kind, err);
  }
  try {
    const size = budget(path, o.kind, limit, await handle.stat());
    // One spare byte: a read that fills it means the file grew past the size fstat gave.
    const buffer = Buffer.allocUnsafe(size + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, Math.min(CHUNK, buffer.length - filled), filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled > size) throw size === limit ? tooLarge(path, o.kind, limit, null) : changed(path, o.kind);
    }
    if (filled !== size || (await handle.stat()).size !== size) throw changed(path, o.kind);
    return buffer.subarray(0, filled);
  } catch (err) {
    if (err instanceof FileRefused) throw err;
    throw new FileRefused('unreadable', path, `cannot read the ${NAMES[o.kind]} ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  } finally {
    await handle.close();
  }
}

/** readBounded for the few places that must stay synchronous (the audit log opens at start). */
export function readBoundedSync(path: string, o: BoundedReadOptions): Buffer {
  const limit = limitOf(o);
  let fd: number;
  try {
    fd = fs.openSync(path, OPEN_FLAGS);
  } catch (err) {
    throw openFailed(path, o.kind, err);
  }
  try {
    const size = budget(path, o.kind, limit, fs.fstatSync(fd));
    const buffer = Buffer.allocUnsafe(size + 1);
    let filled = 0;
    for (;;) {
      const bytesRead = fs.readSync(fd, buffer, filled, Math.min(CHUNK, buffer.length - filled), filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled > size) throw size === limit ? tooLarge(path, o.kind, limit, null) : changed(path, o.kind);
    }
    if (filled !== size || fs.fstatSync(fd).size !== size) throw changed(path, o.kind);
    return buffer.subarray(0, filled);
  } catch (err) {
    if (err instanceof FileRefused) throw err;
    throw new FileRefused('unreadable', path, `cannot read the ${NAMES[o.kind]} ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  } finally {
    fs.closeSync(fd);
  }
}

/** readBounded as UTF-8 text. */
export async function readBoundedText(path: string, o: BoundedReadOptions): Promise<string> {
  return (await readBounded(path, o)).toString('utf8');
}

/** readBoundedSync as UTF-8 text. */
export function readBoundedTextSync(path: string, o: BoundedReadOptions): string {
  return readBoundedSync(path, o).toString('utf8');
}
