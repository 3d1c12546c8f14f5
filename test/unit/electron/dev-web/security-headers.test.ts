import { describe, expect, it } from 'vitest';
import { cspFromIndexHtml, securityHeaders } from '../../../../electron/dev-web/security-headers.js';

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
});
