/**
 * The desk's keyboard map. One place decides which key does what, and the same table feeds the
 * <kbd> hints and aria-keyshortcuts, so what the UI shows is what the keyboard does.
 *
 * Function keys were chosen over letters so typing in a search box never triggers an action. Keys
 * that browsers or Electron keep for themselves are avoided: F1 (help), F5 (reload), F6 (address
 * bar), F7 (caret browsing), F10 (menu), F11 (full screen), F12 (devtools).
 */

export type ShortcutAction =
  | { type: 'simulate' }
  | { type: 'answer' }
  | { type: 'decline' }
  | { type: 'end' }
  | { type: 'search' }
  | { type: 'pick'; index: number };

interface ShortcutSpec {
  /** Shown in <kbd>. */
  label: string;
  /** The aria-keyshortcuts value (WAI-ARIA key names). */
  aria: string;
}

export const SHORTCUTS = {
  simulate: { label: 'F9', aria: 'F9' },
  answer: { label: 'F2', aria: 'F2' },
  decline: { label: 'F8', aria: 'F8' },
  end: { label: 'F4', aria: 'F4' },
  search: { label: 'F3 / Ctrl+K', aria: 'F3 Control+K' },
} as const satisfies Record<string, ShortcutSpec>;

/** Alt+1 … Alt+9 pick the n-th answer in the current result list. */
export function pickShortcut(index: number): ShortcutSpec {
  return { label: `Alt+${index + 1}`, aria: `Alt+${index + 1}` };
}

export const MAX_PICK_SHORTCUTS = 9;

/** The parts of a KeyboardEvent the map looks at (so it can be tested without a DOM). */
export interface KeyLike {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/** Which action a key press asks for, if any. */
export function matchShortcut(e: KeyLike): ShortcutAction | null {
  const plain = !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey;
  if (plain) {
    switch (e.key) {
      case 'F9':
        return { type: 'simulate' };
      case 'F2':
        return { type: 'answer' };
      case 'F8':
        return { type: 'decline' };
      case 'F4':
        return { type: 'end' };
      case 'F3':
        return { type: 'search' };
      default:
        return null;
    }
  }
  if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') return { type: 'search' };
  if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
    // e.code, not e.key: Alt changes the character on some layouts (macOS), never the key position.
    const m = /^(?:Digit|Numpad)([1-9])$/.exec(e.code);
    if (m?.[1]) return { type: 'pick', index: Number(m[1]) - 1 };
  }
  return null;
}
