import { describe, expect, it } from 'vitest';
import { DEFAULT_DID_SOURCES, dialledNumberFrom, type DidSource } from '../../../../shared/line/dialled-number.js';

/** An INVITE's headers as sip.js hands them over: every value of a name, in order. */
function request(headers: Record<string, string[]>, toUser: string | null = 'desk-1') {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { headers: (name: string) => lower[name.toLowerCase()] ?? [], toUser };
}

describe('the dialled number of an INVITE', () => {
  it('tries X-Called-Number, P-Called-Party-ID, Diversion, then the To user by default', () => {
    expect(DEFAULT_DID_SOURCES.map((s) => s.kind)).toEqual(['header', 'p-called-party-id', 'diversion', 'to']);
    const all = request({
      'X-Called-Number': ['0312345678'],
      'P-Called-Party-ID': ['<sip:+81312340001@pbx>'],
      Diversion: ['<sip:0312340002@pbx>;reason=unconditional'],
    }, '0312340003');
    expect(dialledNumberFrom(all)).toEqual({ did: '+81312345678', source: { kind: 'header', name: 'X-Called-Number' }, problems: [] });
    expect(dialledNumberFrom(request({ 'P-Called-Party-ID': ['<sip:+81312340001@pbx>'] })).did).toBe('+81312340001');
    expect(dialledNumberFrom(request({ Diversion: ['<sip:0312340002@pbx>;reason=unconditional'] })).did).toBe('+81312340002');
    expect(dialledNumberFrom(request({}, '0312340003'))).toMatchObject({ did: '+81312340003', source: { kind: 'to' } });
  });

  it('reads name-addr, addr-spec, tel: and bare forms alike', () => {
    const forms = [
      '"Reception" <sip:+81312345678@pbx.example.jp;user=phone>;tag=x',
      '<sips:0312345678@pbx>',
      'sip:0312345678@pbx;user=phone',
      '<tel:+81-3-1234-5678;phone-context=+81>',
      'tel:03-1234-5678',
      '+81 3 1234 5678',
      '<sip:%2B81312345678@pbx>',
      '０３－１２３４－５６７８',
    ];
    for (const value of forms) {
      expect(dialledNumberFrom(request({ 'X-Called-Number': [value] })).did, value).toBe('+81312345678');
    }
  });

  it('skips a malformed source and reports it without the value', () => {
    for (const bad of ['<sip:0312345678@pbx', '"unclosed <sip:0312345678@pbx>', 'sip:pbx.example.jp', 'mailto:a@b', '<script>alert(1)</script>', 'sip:%ZZ@pbx']) {
      const result = dialledNumberFrom(request({ 'X-Called-Number': [bad], Diversion: ['<sip:0312340002@pbx>'] }));
      expect(result.did, bad).toBe('+81312340002');
      expect(result.source).toEqual({ kind: 'diversion' });
      expect(result.problems.length, bad).toBeGreaterThan(0);
      expect(result.problems.join(' ')).not.toContain('alert');
    }
  });

  it('uses the first valid value of a repeated header and reports the repetition', () => {
    const result = dialledNumberFrom(request({ 'X-Called-Number': ['junk', '0312345678', '0399999999'] }));
    expect(result.did).toBe('+81312345678');
    expect(result.problems.some((p) => p.includes('repeated'))).toBe(true);
    // Comma-separated entries in one header line count the same way.
    expect(dialledNumberFrom(request({ Diversion: ['<sip:0312340002@a>;reason=x, <sip:0312340009@b>'] })).did).toBe('+81312340002');
  });

  it('ignores a whole source when a value is 2 KB long', () => {
    const result = dialledNumberFrom(request({ 'X-Called-Number': ['0312345678', '9'.repeat(2048)], 'P-Called-Party-ID': ['<sip:+81312340001@pbx>'] }));
    expect(result).toMatchObject({ did: '+81312340001', source: { kind: 'p-called-party-id' } });
    expect(result.problems).toEqual(['X-Called-Number: value too long (2048 chars), source ignored']);
  });

  it('follows a configured order and a configured header name', () => {
    const sources: DidSource[] = [{ kind: 'header', name: 'X-Original-DID' }, { kind: 'to' }];
    const req = request({ 'X-Original-DID': ['0312349999'], 'X-Called-Number': ['0312345678'] }, '0312340003');
    expect(dialledNumberFrom(req, sources)).toMatchObject({ did: '+81312349999', source: { kind: 'header', name: 'X-Original-DID' } });
  });

  it('says so when no source holds a number: the To user is the desk account', () => {
    expect(dialledNumberFrom(request({}, 'desk-12'))).toEqual({ did: null, source: null, problems: [] });
    expect(dialledNumberFrom(request({}, null)).did).toBeNull();
  });

  it('never throws, even when reading headers does', () => {
    const hostile = { headers: (): string[] => { throw new Error('boom'); }, toUser: '0312345678' };
    expect(dialledNumberFrom(hostile).did).toBe('+81312345678');
  });
});
