/**
 * Serves the built renderer (dist/renderer) from `app://kotozute/`, a privileged standard scheme:
 * the pages get a real origin and a secure context (the microphone needs one) without a file://
 * URL or a local web server. Only files under the root are served; anything else is refused.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './app-origin.js';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from './security.js';
import { contentTypeOf } from '../services/content-types.js';

/** Must run before the app is ready: Chromium fixes scheme privileges at start-up. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/**
 * The file under `root` that a request URL names, or null when it must be refused: another host,
 * a malformed escape, "." or ".." segments (raw or percent-encoded), backslashes or NUL bytes.
 */
export function resolveAppFile(root: string, requestUrl: string): string | null {
  let decoded: string;
  try {
    const url = new URL(requestUrl);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null;
  // Refuse traversal outright rather than normalising it away: no page of ours asks for "..".
  if (decoded.split('/').some((segment) => segment === '..' || segment === '.')) return null;
  const file = path.resolve(root, decoded === '/' ? 'index.html' : decoded.slice(1));
  const inside = path.relative(root, file);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return null;
  return file;
}

function refuse(status: 403 | 404 | 405): Response {
  return new Response(null, { status, headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } });
}

/**
 * The paired line's server URL, or null when none is paired (or it cannot be read: the strictest
 * policy then). Asked for each HTML document, whose CSP lets the page's WebSocket reach only it.
 */
export type LineServerLookup = () => Promise<string | null> | string | null;

async function documentPolicy(lineServer: LineServerLookup): Promise<string> {
  try {
    return contentSecurityPolicy(await lineServer());
  } catch {
    return CONTENT_SECURITY_POLICY;
  }
}

/** Answers `app://kotozute/…` from the files under `root` (an absolute path; may be inside the asar). */
export function serveApp(root: string, lineServer: LineServerLookup = () => null): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    const file = resolveAppFile(root, request.url);
    if (file === null) return refuse(403);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return refuse(404);
    }
    const type = contentTypeOf(file);
    const csp = type.startsWith('text/html') ? await documentPolicy(lineServer) : CONTENT_SECURITY_POLICY;
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      headers: {
        'Content-Type': type,
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      },
    });
  });
}
