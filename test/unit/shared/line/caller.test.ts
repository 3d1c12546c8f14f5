import { describe, expect, it } from 'vitest';
import { callerFrom, safeText } from '../../../../shared/line/caller.js';

function request(fromDisplayName: string | null, fromUser: string | null, headers: Record<string, string[]> = {}) {
  return { headers: (name: string) => headers[name] ?? [], fromDisplayName, fromUser };
}

describe('the caller as safe text', () => {
  it('keeps an ordinary name and number', () => {
    expect(callerFrom(request('山田 太郎', '0901234567'))).toEqual({ name: '山田 太郎', number: '0901234567' });
  });

  it('caps a 10 KB display name at 256 characters without splitting a surrogate pair', () => {
    const name = callerFrom(request('😀'.repeat(10_000), '1')).name;
    expect(Array.from(name)).toHaveLength(256);
    expect(name).toBe('😀'.repeat(256));
  });

  it('strips bidi overrides, isolates and control characters but keeps markup as text', () => {
    const name = callerFrom(request('<b>090</b>\u202E1234\u2066x\u2069\u0000\u0007\u009b\r\nnext', null)).name;
    expect(name).toBe('<b>090</b>1234x next');
  });

  it('prefers the number in P-Asserted-Identity and caps the number', () => {
    expect(callerFrom(request('A', 'spoofed', { 'P-Asserted-Identity': ['"A" <sip:+81312345678@carrier>'] })).number).toBe('+81312345678');
    expect(callerFrom(request('A', '1'.repeat(500))).number).toHaveLength(64);
    expect(callerFrom(request(null, null))).toEqual({ name: '', number: '' });
  });

  it('drops lone surrogates', () => {
    expect(safeText('a\ud800b\udc00c', 10)).toBe('abc');
  });
});
