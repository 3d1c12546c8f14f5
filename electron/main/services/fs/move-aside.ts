/**
 * Moves a file to the first free name of a series (`nameFor(0)`, `nameFor(1)`, …), never over an
 * existing file: link + unlink rather than rename, because link refuses to replace a file. Used to
 * keep a damaged store, audit file or note for an investigation instead of deleting it.
 */
import fs from 'node:fs';

/** The tries before giving up: a hundred files moved aside in the same millisecond means a loop. */
const MAX_TRIES = 100;

/**
 * Returns the path the file now has, or null when every name of the series was taken. Other errors
 * (permissions, a missing file) are thrown as they are; on one, the file stays where it was or is
 * reachable under both names, never lost.
 */
export function moveToFreeName(file: string, nameFor: (n: number) => string): string | null {
  for (let n = 0; n < MAX_TRIES; n++) {
    const target = nameFor(n);
    try {
      fs.linkSync(file, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    fs.unlinkSync(file);
    return target;
  }
  return null;
}
