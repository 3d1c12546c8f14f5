import { describe, expect, it } from 'vitest';
import { connectSourceOf, connectSrcDirective } from '../../../../shared/line/connect-source.js';

describe("the line server's connect-src source", () => {
  it("is the server's origin: scheme, lower-cased host and any port, no path", () => {
    expect(connectSourceOf('wss://PBX.Example.jp:7443/ws?t=1')).toBe('wss://pbx.example.jp:7443');
    expect(connectSourceOf('wss://pbx.example.jp')).toBe('wss://pbx.example.jp');
    expect(connectSourceOf(' ws://localhost:5066 ')).toBe('ws://localhost:5066');
  });

  it('is nothing for no server, a refused URL or an IPv6 literal', () => {
    for (const server of [null, undefined, '', 'ws://pbx.example.jp', 'https://pbx.example.jp', 'wss://a b', 'wss://[::1]:5066', "wss://x;script-src *"]) {
      expect(connectSourceOf(server), String(server)).toBeNull();
    }
  });

  it("always starts from the page's own origin", () => {
    expect(connectSrcDirective([null])).toBe("connect-src 'self'");
    expect(connectSrcDirective(['ws://127.0.0.1:1', 'wss://a.example'])).toBe("connect-src 'self' ws://127.0.0.1:1 wss://a.example");
  });
});
