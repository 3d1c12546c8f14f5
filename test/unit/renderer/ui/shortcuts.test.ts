import { describe, expect, it } from 'vitest';
import { matchShortcut, type KeyLike } from '../../../../renderer/src/ui/shortcuts.js';

const key = (k: Partial<KeyLike>): KeyLike => ({
  key: '',
  code: '',
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...k,
});

describe('desk shortcuts', () => {
  it('maps the function keys to call actions', () => {
    expect(matchShortcut(key({ key: 'F2' }))).toEqual({ type: 'answer' });
    expect(matchShortcut(key({ key: 'F8' }))).toEqual({ type: 'decline' });
    expect(matchShortcut(key({ key: 'F4' }))).toEqual({ type: 'end' });
    expect(matchShortcut(key({ key: 'F9' }))).toEqual({ type: 'simulate' });
    expect(matchShortcut(key({ key: 'F3' }))).toEqual({ type: 'search' });
  });

  it('focuses the search with Ctrl+K', () => {
    expect(matchShortcut(key({ key: 'k', ctrlKey: true }))).toEqual({ type: 'search' });
  });

  it('picks answers 1–9 with Alt and the digit position, whatever character the layout gives', () => {
    expect(matchShortcut(key({ key: '¡', code: 'Digit1', altKey: true }))).toEqual({ type: 'pick', index: 0 });
    expect(matchShortcut(key({ key: '9', code: 'Numpad9', altKey: true }))).toEqual({ type: 'pick', index: 8 });
    expect(matchShortcut(key({ key: '0', code: 'Digit0', altKey: true }))).toBeNull();
  });

  it('leaves typing and modified function keys alone', () => {
    expect(matchShortcut(key({ key: 'a', code: 'KeyA' }))).toBeNull();
    expect(matchShortcut(key({ key: '1', code: 'Digit1' }))).toBeNull();
    expect(matchShortcut(key({ key: 'F2', shiftKey: true }))).toBeNull();
    expect(matchShortcut(key({ key: 'F4', altKey: true }))).toBeNull();
  });
});
