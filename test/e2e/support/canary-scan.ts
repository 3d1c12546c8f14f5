/**
 * The canary scan: looks for distinctive values an operator typed into a note, in UTF-8, UTF-16LE
 * and base64 (at each of the three byte alignments a value can start at inside a base64 stream),
 * in every byte of the given files and buffers.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface CanaryHit {
  where: string;
  canary: string;
  encoding: 'utf8' | 'utf16le' | 'base64';
}

/** The byte patterns one canary may take on disk. */
export function canaryNeedles(canary: string): Array<{ encoding: CanaryHit['encoding']; bytes: Buffer }> {
  const utf8 = Buffer.from(canary, 'utf8');
  const needles: Array<{ encoding: CanaryHit['encoding']; bytes: Buffer }> = [
    { encoding: 'utf8', bytes: utf8 },
    { encoding: 'utf16le', bytes: Buffer.from(canary, 'utf16le') },
  ];
  for (let k = 0; k < 3; k++) {
    const b64 = Buffer.concat([Buffer.alloc(k), utf8]).toString('base64');
    // Drop the characters that mix in the padding before and the partial group after.
    const inner = b64.slice(k === 0 ? 0 : 4, Math.floor((k + utf8.length) / 3) * 4);
    if (inner.length >= 8) needles.push({ encoding: 'base64', bytes: Buffer.from(inner, 'latin1') });
  }
  return needles;
}

/** Hits of any canary in `data`, labelled `where`. */
export function scanBuffer(where: string, data: Buffer, canaries: readonly string[]): CanaryHit[] {
  const hits: CanaryHit[] = [];
  for (const canary of canaries) {
    for (const n of canaryNeedles(canary)) if (data.includes(n.bytes)) hits.push({ where, canary, encoding: n.encoding });
  }
  return hits;
}

const MAX_FILE_BYTES = 256 * 1024 * 1024;

/**
 * Every regular file under `root` (not following symlinks), optionally only those modified since
 * `since`. Files that vanish or cannot be read while walking are skipped and counted.
 */
export function filesUnder(
  root: string,
  since?: number,
  /** Folders left out: the test runner's own artifacts (traces record what the test typed). */
  exclude: readonly string[] = [],
): { files: string[]; unreadable: number } {
  const files: string[] = [];
  let unreadable = 0;
  const skipped = new Set(exclude.map((d) => path.resolve(d)));
  const walk = (dir: string) => {
    if (skipped.has(path.resolve(dir))) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      unreadable++;
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        try {
          const st = fs.statSync(p);
          if (st.size > MAX_FILE_BYTES) continue;
          if (since !== undefined && st.mtimeMs < since && st.ctimeMs < since) continue;
          files.push(p);
        } catch {
          unreadable++;
        }
      }
    }
  };
  walk(root);
  return { files, unreadable };
}

/** Hits in the given files. */
export function scanFiles(files: readonly string[], canaries: readonly string[]): CanaryHit[] {
  const hits: CanaryHit[] = [];
  for (const f of files) {
    let data: Buffer;
    try {
      data = fs.readFileSync(f);
    } catch {
      continue;
    }
    hits.push(...scanBuffer(f, data, canaries));
  }
  return hits;
}

/**
 * Where Playwright keeps this run's traces and screenshots. They hold what the test itself typed,
 * so a checkout under the temp folder (as CI's can be) must not count them as the desk's leaks.
 */
export const TEST_ARTIFACTS = path.resolve(import.meta.dirname, '..', '..', '..', 'test-results');
