import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isImeKey } from '../../../../renderer/src/ui/keyboard.js';

const RENDERER = path.resolve(import.meta.dirname, '../../../../renderer/src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : /\.tsx?$/.test(name) ? [full] : [];
  });
}

/**
 * Key handlers that may act on a key during an IME conversion, and why. Everything else that listens
 * for keydown must ask isImeKey first.
 */
const EXEMPT: Record<string, string> = {
  // Ctrl+P is refused while a note is open whatever the IME does: refusing a print loses no input.
  'notes/note-guard.ts': 'refuses printing only',
  // Arrow keys on a board row (a <tr>): nothing there can hold an IME conversion.
  'floor/floor-board.tsx': 'row navigation on a non-editable row',
};

describe('the keyboard belongs to the operator', () => {
  it('takes a keydown marked as composing, or with keyCode 229, for the IME’s (DOM and React events)', () => {
    expect(isImeKey({ isComposing: true, keyCode: 13 })).toBe(true);
    // macOS confirms a conversion with key "Enter"; Windows and Linux report "Process": both 229.
    expect(isImeKey({ isComposing: false, keyCode: 229 })).toBe(true);
    expect(isImeKey({ nativeEvent: { isComposing: true, keyCode: 32 } })).toBe(true);
    expect(isImeKey({ isComposing: false, keyCode: 13 })).toBe(false);
    expect(isImeKey({ nativeEvent: { isComposing: false, keyCode: 27 } })).toBe(false);
  });

  it('every keydown handler of the desk asks isImeKey before it acts (or is listed here with why not)', () => {
    const missing: string[] = [];
    for (const file of sources(RENDERER)) {
      const rel = path.relative(RENDERER, file).split(path.sep).join('/');
      if (rel === 'ui/keyboard.ts') continue;
      const text = readFileSync(file, 'utf8');
      const listens = /addEventListener\(\s*'keydown'|onKeyDown=\{/.test(text);
      if (!listens || rel in EXEMPT) continue;
      if (!/isImeKey\(/.test(text)) missing.push(rel);
    }
    expect(missing).toEqual([]);
  });

  it('lists no exemption for a file that no longer exists or no longer listens', () => {
    for (const rel of Object.keys(EXEMPT)) {
      const text = readFileSync(path.join(RENDERER, rel), 'utf8');
      expect(/addEventListener\(\s*'keydown'|onKeyDown=\{/.test(text), rel).toBe(true);
    }
  });
});
