/**
 * Serves the built renderer (dist/renderer) and nothing else: GET and HEAD only, no directory
 * listing, no path that resolves outside the root, 404 for anything unknown.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { contentTypeOf } from '../main/services/content-types.js';

export type StaticLookup =
  | { kind: 'file'; file: string }
  | { kind: 'refused'; status: 400 | 403 | 404 };

/**
 * Maps a request path to a file under `root`, or says why not. Pure string work; the caller still
 * checks the file on disk (a symlink could point anywhere, so it compares real paths too).
 */
export function resolveStaticPath(root: string, urlPath: string): StaticLookup {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]?.split('#')[0] ?? '');
  } catch {
    return { kind: 'refused', status: 400 };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) {
    return { kind: 'refused', status: 400 };
  }
  // Refuse traversal outright rather than normalising it away: no legitimate page asks for "..".
  if (decoded.split('/').some((seg) => seg === '..' || seg === '.')) return { kind: 'refused', status: 403 };
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  const file = path.resolve(root, relative);
  if (!isInside(root, file)) return { kind: 'refused', status: 403 };
  if (decoded.endsWith('/') && decoded !== '/') return { kind: 'refused', status: 404 };
  return { kind: 'file', file };
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  421: 'Misdirected Request',
};

/** Ends a response with a short plain-text error (never echoing the request back). */
export function sendError(res: ServerResponse, status: number, headers: Record<string, string>): void {
  const body = `${status} ${STATUS_TEXT[status] ?? 'Error'}\n`;
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * A request handler for the files under `root` (which must already be a real, absolute path).
 * `documentHeaders`, when given, supplies the headers of each HTML document (its CSP names the
 * paired line's server, read at that load); everything else gets `headers`.
 */
export function createStaticHandler(
  root: string,
  headers: Record<string, string>,
  documentHeaders?: () => Promise<Record<string, string>>,
) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendError(res, 405, headers);
      return;
    }
    const lookup = resolveStaticPath(root, req.url ?? '/');
    if (lookup.kind === 'refused') {
      sendError(res, lookup.status, headers);
      return;
    }
    let real: string;
    try {
      real = await realpath(lookup.file);
      const info = await stat(real);
      if (!info.isFile() || !isInside(root, real)) throw new Error('not a file under the root');
      const type = contentTypeOf(real);
      const sent = documentHeaders && type.startsWith('text/html') ? await documentHeaders() : headers;
      res.writeHead(200, { ...sent, 'Content-Type': type, 'Content-Length': info.size });
    } catch {
      sendError(res, 404, headers);
      return;
    }
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(real);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };
}
