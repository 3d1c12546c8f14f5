import { describe, expect, it } from 'vitest';
import { checkUpgrade, parseRequest } from '../../../../electron/dev-web/bridge.js';

const frame = (text: string) => Buffer.from(text, 'utf8');

describe('reading a bridge message', () => {
  it('accepts a call without an argument (JSON drops an undefined "arg")', () => {
    expect(parseRequest(frame(JSON.stringify({ id: 3, method: 'getSettings', arg: undefined })), false)).toEqual({
      id: 3,
      method: 'getSettings',
      arg: undefined,
    });
  });

  it('answers a request of the wrong shape for its id', () => {
    const parsed = parseRequest(frame(JSON.stringify({ id: 7, method: 42 })), false);
    expect(parsed).toMatchObject({ reply: { id: 7, envelope: { ok: false, error: { code: 'invalid-argument' } } } });
  });

  it('closes on what it cannot answer: binary, not JSON, no id', () => {
    expect(parseRequest(frame('x'), true)).toMatchObject({ close: { code: 1003 } });
    expect(parseRequest(frame('{oops'), false)).toMatchObject({ close: { code: 1007 } });
    expect(parseRequest(frame('[1,2]'), false)).toMatchObject({ close: { code: 1007 } });
    expect(parseRequest(frame(JSON.stringify({ id: -1, method: 'getSettings' })), false)).toMatchObject({ close: { code: 1007 } });
  });
});

describe('admitting a page to the bridge', () => {
  const expect_ = { token: 't'.repeat(43), origin: 'http://127.0.0.1:5173', host: '127.0.0.1:5173' };
  const req = (url: string, headers: Record<string, string>) => ({ url, headers });
  const good = { host: '127.0.0.1:5173', origin: 'http://127.0.0.1:5173' };

  it('admits the right token from the right origin', () => {
    expect(checkUpgrade(req(`/bridge?token=${expect_.token}`, good), expect_)).toBeNull();
  });

  it('refuses the wrong path, token, origin or host', () => {
    expect(checkUpgrade(req(`/other?token=${expect_.token}`, good), expect_)?.status).toBe(404);
    expect(checkUpgrade(req('/bridge', good), expect_)?.status).toBe(401);
    expect(checkUpgrade(req('/bridge?token=nope', good), expect_)?.status).toBe(401);
    expect(checkUpgrade(req(`/bridge?token=${expect_.token}`, { ...good, origin: 'http://localhost:5173' }), expect_)?.status).toBe(403);
    expect(checkUpgrade(req(`/bridge?token=${expect_.token}`, { ...good, host: 'evil.example:5173' }), expect_)?.status).toBe(403);
  });
});
