import { describe, expect, it } from 'vitest';
import { checkServerUrl } from '../../../../shared/line/server-url.js';

describe('which SIP server URLs a desk may connect to', () => {
  it('accepts wss:// to any host', () => {
    expect(checkServerUrl('wss://pbx.example.jp:8089/ws')).toMatchObject({ ok: true, scheme: 'wss', host: 'pbx.example.jp', port: 8089 });
    expect(checkServerUrl(' WSS://[2001:db8::1]/ ')).toMatchObject({ ok: true, host: '[2001:db8::1]', port: null });
  });

  it('accepts ws:// only to this machine', () => {
    for (const url of ['ws://127.0.0.1:5066', 'ws://localhost/ws', 'ws://[::1]:8080', 'WS://LOCALHOST:1']) {
      expect(checkServerUrl(url).ok, url).toBe(true);
    }
    for (const url of ['ws://pbx.example.jp', 'ws://127.0.0.2:5066', 'ws://10.0.0.1', 'ws://localhost.example.com', 'ws://0.0.0.0']) {
      expect(checkServerUrl(url), url).toEqual({ ok: false, problem: 'insecure-remote' });
    }
  });

  it('refuses other schemes, credentials in the URL and malformed text', () => {
    expect(checkServerUrl('https://pbx.example.jp')).toEqual({ ok: false, problem: 'scheme' });
    expect(checkServerUrl('wss://user:pw@pbx.example.jp')).toEqual({ ok: false, problem: 'credentials' });
    for (const url of ['', 'pbx.example.jp', 'wss://', 'wss://pbx example', 'wss://pbx:99999', 'wss://a..b', 'wss://pbx#frag']) {
      expect(checkServerUrl(url).ok, url).toBe(false);
    }
  });
});
