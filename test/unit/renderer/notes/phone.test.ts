import { describe, expect, it } from 'vitest';
import { checkJapanesePhone, samePhone } from '../../../../renderer/src/notes/phone.js';

describe('Japanese callback numbers', () => {
  it.each([
    ['03-1234-5678', '0312345678'],
    ['06 6123 4567', '0661234567'],
    ['0465-12-3456', '0465123456'],
    ['090-1234-5678', '09012345678'],
    ['080-1234-5678', '08012345678'],
    ['070-1234-5678', '07012345678'],
    ['050-1234-5678', '05012345678'],
    ['0120-123-456', '0120123456'],
    ['0800-123-4567', '08001234567'],
    ['0570-012-345', '0570012345'],
    ['+81 90-1234-5678', '09012345678'],
    ['+81 (0)3 1234 5678', '0312345678'],
    ['０３ー１２３４ー５６７８', '0312345678'],
  ])('accepts %s', (raw, digits) => {
    expect(checkJapanesePhone(raw)).toEqual({ ok: true, digits });
  });

  it.each([
    ['', 'empty'],
    ['03-1234-567', 'length'],
    ['090-1234-567', 'length'],
    ['0120-1234-567', 'length'],
    ['050-123-4567', 'length'],
    ['03-1234-5678 内線12', 'characters'],
    ['+1 415 555 0100', 'international'],
    ['1234567890', 'international'],
  ])('refuses %s (%s)', (raw, problem) => {
    expect(checkJapanesePhone(raw)).toEqual({ ok: false, problem });
  });

  it('treats the same number written two ways as the same', () => {
    expect(samePhone('090-1234-5678', '+81 90 1234 5678')).toBe(true);
    expect(samePhone('090-1234-5678', '090-1234-5679')).toBe(false);
    expect(samePhone('', '')).toBe(false);
  });
});
