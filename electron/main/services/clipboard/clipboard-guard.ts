/**
 * Note text copied to the system clipboard, and taken off it again (DESIGN.md §5: clipboard).
 *
 * The desk services never import 'electron': they get a small ClipboardPort. Electron's is in
 * electron/main/platform/clipboard.ts; tests use an in-memory one. The guard writes the copy through
 * the port (concealed from clipboard managers where the OS has a marker), and after `clearAfterMs`
 * reads the clipboard back and clears it only if it still holds that text — a newer copy, from the
 * desk or from another program, survives. On close (the app quits) the same check runs at once.
 *
 * The copied text is held in memory until it is cleared; it is never logged or written to disk.
 */
import { CLIPBOARD_CLEAR_MS } from '../../../../shared/ipc/notes-contract.js';
import type { Logger } from '../log.js';

/** What the desk needs of the system clipboard. */
export interface ClipboardPort {
  /** Puts `text` on the clipboard as one entry, marked concealed for clipboard managers where the OS allows. */
  writeConcealed(text: string): Promise<void>;
  /** The clipboard's plain text ('' when it holds none). */
  readText(): Promise<string>;
  clear(): Promise<void>;
}

export interface ClipboardGuard {
  /** Copies note text; resolves to the ms until it is cleared. */
  copy(text: string): Promise<number>;
  /** Clears now if the clipboard still holds the last copy, and stops the timer (app quit). */
  close(): Promise<void>;
  /** Clears now if the clipboard still holds the desk's last copy (End of day); resolves to whether it did. */
  clearNow(): Promise<boolean>;
}

export interface ClipboardGuardOptions {
  clearAfterMs?: number;
  log?: Logger;
  /** Injected by tests; setTimeout/clearTimeout by default. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export function createClipboardGuard(port: ClipboardPort, o: ClipboardGuardOptions = {}): ClipboardGuard {
  const clearAfterMs = o.clearAfterMs ?? CLIPBOARD_CLEAR_MS;
  const setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
  const clearTimer = o.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  let last: { text: string; n: number } | null = null;
  let copies = 0;
  let timer: unknown = null;

  /** Compare, then clear: only the copy numbered `n`, and only while the clipboard still holds it. */
  const clearIfOurs = async (n: number): Promise<boolean> => {
    if (!last || last.n !== n) return false;
    const ours = last.text;
    last = null;
    timer = null;
    let cleared = false;
    try {
      if ((await port.readText()) === ours) {
        await port.clear();
        cleared = true;
      }
    } catch {
      // Nothing to do but say so (without the text): the next copy replaces it anyway.
      o.log?.warn('clipboard.clear-failed');
      return false;
    }
    o.log?.info('clipboard.expired', { cleared });
    return cleared;
  };

  const clearNow = async (): Promise<boolean> => {
    if (timer !== null) clearTimer(timer);
    timer = null;
    return last ? clearIfOurs(last.n) : false;
  };

  return {
    async copy(text) {
      const n = ++copies;
      await port.writeConcealed(text);
      last = { text, n };
      if (timer !== null) clearTimer(timer);
      timer = setTimer(() => void clearIfOurs(n), clearAfterMs);
      return clearAfterMs;
    },
    async close() {
      await clearNow();
    },
    clearNow,
  };
}

/** An in-memory clipboard (tests): what a program pasting would get. */
export function createMemoryClipboard(): ClipboardPort & { text: string; concealed: boolean } {
  const board = {
    text: '',
    concealed: false,
    writeConcealed(text: string) {
      board.text = text;
      board.concealed = true;
      return Promise.resolve();
    },
    readText() {
      return Promise.resolve(board.text);
    },
    clear() {
      board.text = '';
      board.concealed = false;
      return Promise.resolve();
    },
  };
  return board;
}
