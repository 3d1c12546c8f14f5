import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../../../renderer/src/calls/call-timer.js';
import { matchLiveShortcut } from '../../../../renderer/src/calls/live-shortcuts.js';

const key = (k: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; code: string }> = {}) => ({
  key: k,
  code: mods.code ?? '',
  altKey: mods.altKey ?? false,
  ctrlKey: mods.ctrlKey ?? false,
  metaKey: false,
  shiftKey: false,
});

describe('call shortcuts', () => {
  it('maps the softphone function keys to the call actions', () => {
    expect(['F2', 'F8', 'F4', 'F6', 'F7', 'F10'].map((k) => matchLiveShortcut(key(k)))).toEqual([
      'answer',
      'decline',
      'hangup',
      'hold',
      'mute',
      'transfer',
    ]);
  });

  it('opens the keypad with Alt+K by key position, whatever character the layout makes', () => {
    expect(matchLiveShortcut(key('˚', { altKey: true, code: 'KeyK' }))).toBe('keypad');
  });

  it('ignores modified function keys and plain typing', () => {
    expect(matchLiveShortcut(key('F6', { ctrlKey: true }))).toBeNull();
    expect(matchLiveShortcut(key('k'))).toBeNull();
  });
});

describe('call timer', () => {
  it('shows minutes and seconds, and hours past an hour', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_400)).toBe('1:05');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(-5)).toBe('0:00');
  });
});
