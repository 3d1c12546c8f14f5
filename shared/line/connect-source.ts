/**
 * The Content-Security-Policy `connect-src` source a desk page needs for its line: the paired
 * server's own origin (scheme, host, port), never "any wss:". A CSP is fixed when the document
 * loads, so the main process (and the dev-web harness) build it from the paired server for every
 * load of the page, and the page reloads when a pairing moves it to a server its policy does not
 * name (renderer/src/pairing/page-line.ts). An unpaired (training) desk opens no WebSocket at all.
 */
import { checkServerUrl } from './server-url.js';

/**
 * `wss://host[:port]` (or `ws://` on loopback) for a server the line may use, or null: no server,
 * a refused URL, or an IPv6 literal (a CSP host source cannot name one; use 127.0.0.1 for loopback).
 */
export function connectSourceOf(server: string | null | undefined): string | null {
  if (!server) return null;
  const checked = checkServerUrl(server);
  if (!checked.ok || checked.host.startsWith('[')) return null;
  // checkServerUrl allows only [a-z0-9.-] in a host name: nothing that could end the directive.
  return `${checked.scheme}://${checked.host}${checked.port === null ? '' : `:${checked.port}`}`;
}

/** The `connect-src` directive: the page's own origin, plus `extra` sources (the line's server, a bridge). */
export function connectSrcDirective(extra: readonly (string | null)[]): string {
  return ["connect-src 'self'", ...extra.filter((s): s is string => s !== null)].join(' ');
}
