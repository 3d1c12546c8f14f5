/**
 * Response headers for everything the harness serves. The Content-Security-Policy is the one the
 * renderer declares in its own index.html <meta>, so the page behaves the same in a browser as in
 * the Electron window; the header adds what a <meta> cannot express (frame-ancestors) and, for the
 * page itself, narrows `connect-src` to the bridge and the paired line's server, as the Electron
 * protocol does (shared/line/connect-source.ts).
 */
import { connectSourceOf, connectSrcDirective } from '../../shared/line/connect-source.js';


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

/**
 * `csp` with its connect-src replaced: the page's origin, the bridge's WebSocket (`bridgeOrigin`,
 * e.g. ws://127.0.0.1:5173) and the paired line's server only (none while training).
 */
export function withLineConnectSrc(csp: string, bridgeOrigin: string, lineServer: string | null): string {
  const directive = connectSrcDirective([bridgeOrigin, connectSourceOf(lineServer)]);
  const others = csp
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d !== '' && !/^connect-src(\s|$)/i.test(d));
  return [...others, directive].join('; ');
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
