/**
 * Response headers for everything the harness serves. The Content-Security-Policy is the one the
 * renderer declares in its own index.html <meta>, so the page behaves the same in a browser as in
 * the Electron window; the header adds only what a <meta> cannot express (frame-ancestors).
 */

/** Used only if the built index.html carries no CSP meta (a renderer bug): as strict as it gets. */
export const FALLBACK_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

const META_CSP = /<meta\s+[^>]*http-equiv=["']Content-Security-Policy["'][^>]*>/i;
const CONTENT_ATTR = /\scontent=(?:"([^"]*)"|'([^']*)')/i;

/** The CSP declared by an index.html's <meta http-equiv="Content-Security-Policy">, or null. */
export function cspFromIndexHtml(html: string): string | null {
  const meta = META_CSP.exec(html)?.[0];
  if (!meta) return null;
  const m = CONTENT_ATTR.exec(meta);
  const content = m?.[1] ?? m?.[2];
  return content ? decodeEntities(content).replace(/\s+/g, ' ').trim() : null;
}

function decodeEntities(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** The headers sent with every response, success or error. */
export function securityHeaders(csp: string): Record<string, string> {
  const withFrames = /frame-ancestors/i.test(csp) ? csp : `${csp.replace(/;\s*$/, '')}; frame-ancestors 'none'`;
  return {
    'Content-Security-Policy': withFrames,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    // A development server: never let a stale renderer build linger in the browser's cache.
    'Cache-Control': 'no-store',
  };
}
