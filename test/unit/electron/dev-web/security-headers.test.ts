import { describe, expect, it } from 'vitest';
import { cspFromIndexHtml, securityHeaders, withLineConnectSrc } from '../../../../electron/dev-web/security-headers.js';

describe('the security headers', () => {
  it('take the CSP from the renderer index.html meta', () => {
    const html = `<head><meta charset="utf-8" /><meta http-equiv="Content-Security-Policy"
      content="default-src 'self'; script-src 'self'" /></head>`;
    expect(cspFromIndexHtml(html)).toBe("default-src 'self'; script-src 'self'");
    expect(cspFromIndexHtml('<head></head>')).toBeNull();
  });

  it('add frame-ancestors and nosniff', () => {
    const h = securityHeaders("default-src 'self';");
    expect(h['Content-Security-Policy']).toBe("default-src 'self'; frame-ancestors 'none'");
    expect(h['X-Content-Type-Options']).toBe('nosniff');
  });

  it("narrow the page's connect-src to the bridge and the paired line's server, as the Electron protocol does", () => {
    const declared = "default-src 'none'; connect-src 'self' ws://127.0.0.1:* ws://localhost:* wss:; script-src 'self'";
    const bridge = 'ws://127.0.0.1:5173';
    expect(withLineConnectSrc(declared, bridge, null)).toBe("default-src 'none'; script-src 'self'; connect-src 'self' ws://127.0.0.1:5173");
    expect(withLineConnectSrc(declared, bridge, 'ws://127.0.0.1:5066/ws')).toContain("connect-src 'self' ws://127.0.0.1:5173 ws://127.0.0.1:5066");
    expect(withLineConnectSrc(declared, bridge, 'wss://pbx.example.jp')).not.toMatch(/wss:(\s|;|$)|\*/);
  });
});
