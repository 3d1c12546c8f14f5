import { describe, expect, it } from 'vitest';
import type { HttpReply } from '../../../../../../electron/main/services/handoff/https-post.js';
import { judgeReply, retryAfterMs, serviceErrorText } from '../../../../../../electron/main/services/handoff/reply-outcome.js';

const now = new Date('2025-04-01T00:00:00Z');
const reply = (status: number, body = '', headers: HttpReply['headers'] = {}): HttpReply => ({ status, body, headers, incomplete: false });
const okIfOk = (r: HttpReply) => (r.body === 'ok' ? 'ok' : undefined);

describe('judging a receiver’s reply', () => {
  it('confirms only the documented success', () => {
    expect(judgeReply('Slack', reply(200, 'ok'), okIfOk, now)).toEqual({ ok: true, receipt: 'ok' });
    expect(judgeReply('Slack', reply(200, 'garbage'), okIfOk, now)).toMatchObject({ ok: false, retry: false });
  });

  it('does not confirm a success whose body was cut off', () => {
    expect(judgeReply('Slack', { ...reply(200, 'ok'), incomplete: true }, okIfOk, now)).toMatchObject({ ok: false, retry: false });
  });

  it('retries 429, 408 and 5xx and stops on other 4xx', () => {
    expect(judgeReply('X', reply(429), okIfOk, now)).toMatchObject({ ok: false, retry: true });
    expect(judgeReply('X', reply(408), okIfOk, now)).toMatchObject({ ok: false, retry: true });
    expect(judgeReply('X', reply(503, '', { 'retry-after': '30' }), okIfOk, now)).toMatchObject({ retry: true, retryAfterMs: 30_000 });
    expect(judgeReply('X', reply(404, 'channel_not_found'), okIfOk, now)).toEqual({
      ok: false,
      retry: false,
      reason: 'X refused the message (404: channel_not_found)',
    });
  });

  it('names the host of a redirect and does not follow it', () => {
    expect(judgeReply('X', reply(301, '', { location: 'https://evil.example/x' }), okIfOk, now)).toEqual({
      ok: false,
      retry: false,
      reason: 'X answered with a redirect (301 to evil.example); redirects are not followed',
    });
  });
});

describe('Retry-After', () => {
  it('reads delta-seconds and HTTP dates, and ignores nonsense', () => {
    expect(retryAfterMs(reply(429, '', { 'retry-after': '120' }), now)).toBe(120_000);
    expect(retryAfterMs(reply(429, '', { 'retry-after': 'Tue, 01 Apr 2025 00:00:45 GMT' }), now)).toBe(45_000);
    expect(retryAfterMs(reply(429, '', { 'retry-after': 'Mon, 31 Mar 2025 00:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(reply(429, '', { 'retry-after': 'soon' }), now)).toBeUndefined();
  });

  it('is capped at a day', () => {
    expect(retryAfterMs(reply(429, '', { 'retry-after': '99999999' }), now)).toBe(86_400_000);
  });

  it('falls back to Chatwork’s X-RateLimit-Reset', () => {
    expect(retryAfterMs(reply(429, '', { 'x-ratelimit-reset': String(now.getTime() / 1000 + 10) }), now)).toBe(10_000);
  });
});

describe('a service’s error text', () => {
  it('is taken from each service’s JSON error shape', () => {
    expect(serviceErrorText('{"errors":["Invalid API token"]}')).toBe('Invalid API token');
    expect(serviceErrorText('{"code":"UNAUTHORIZED","description":"Authentication failed"}')).toBe('UNAUTHORIZED: Authentication failed');
    expect(serviceErrorText('{"error":{"code":"Bad","message":"no"}}')).toBe('Bad: no');
  });

  it('is stripped of numbers and addresses, and trimmed', () => {
    const text = serviceErrorText(`  room 31004512 of tanaka@example.jp, call 090-1234-5678 ${'x'.repeat(500)}`);
    expect(text).not.toMatch(/31004512|tanaka@|1234-5678/);
    expect(text.length).toBeLessThanOrEqual(161);
  });
});
