/**
 * Keys for real calls, beside the desk's own map (../ui/shortcuts.ts), whose F2 / F8 / F4 keep
 * their meaning: answer, decline, hang up. F6, F7 and F10 are the softphone keys operators know
 * (hold, mute, transfer); the desk's map avoided them because a browser keeps them, but the desk
 * runs in Electron without an address bar, caret browsing or a menu bar, so nothing else claims them.
 */
import type { KeyLike } from '../ui/shortcuts.js';

export type LiveAction = 'answer' | 'decline' | 'hangup' | 'hold' | 'mute' | 'transfer' | 'keypad';

export const LIVE_SHORTCUTS: Record<LiveAction, { label: string; aria: string }> = {
  answer: { label: 'F2', aria: 'F2' },
  decline: { label: 'F8', aria: 'F8' },
  hangup: { label: 'F4', aria: 'F4' },
  hold: { label: 'F6', aria: 'F6' },
  mute: { label: 'F7', aria: 'F7' },
  transfer: { label: 'F10', aria: 'F10' },
  keypad: { label: 'Alt+K', aria: 'Alt+K' },
};

/** Which call action a key press asks for, if any. */
export function matchLiveShortcut(e: KeyLike): LiveAction | null {
  const plain = !e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey;
  if (plain) {
    switch (e.key) {
      case 'F2':
        return 'answer';
      case 'F8':
        return 'decline';
      case 'F4':
        return 'hangup';
      case 'F6':
        return 'hold';
      case 'F7':
        return 'mute';
      case 'F10':
        return 'transfer';
      default:
        return null;
    }
  }
  // e.code: Alt changes the character on some layouts, never the key's position.
  if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.code === 'KeyK') return 'keypad';
  return null;
}
