/**
 * Where a desk's SIP line may connect. Production servers are `wss://` only; plain `ws://` is allowed
 * to the desk's own machine (a local test server or proxy) and refused for any other host BEFORE a
 * socket is opened, so a mistyped URL never sends a password-challenged REGISTER in clear text.
 * Used by the renderer's line and by the main side when pairing settings are saved.
 */

/** Hosts that are this machine, spelt as an operator would type them. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A server URL that may be connected to. */
export interface AcceptedServerUrl {
  ok: true;
  /** The URL as given (trimmed). */
  url: string;
  scheme: 'ws' | 'wss';
  /** Lower-cased host; IPv6 literals keep their brackets. */
  host: string;
  /** The port as typed, or null for the scheme's default (443 for wss, 80 for ws). */
  port: number | null;
}

/** Why a server URL is refused; never contains the URL itself (it may hold a customer's host). */
export interface RefusedServerUrl {
  ok: false;
  problem: 'not-a-url' | 'scheme' | 'insecure-remote' | 'credentials';
}

// scheme://host[:port][/path] — no userinfo, no fragment, no whitespace anywhere.
const URL_SHAPE = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\s]*)((?:[/?][^\s#]*)?)$/i;
const HOST_PORT = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i;

/** Checks a SIP-over-WebSocket server URL against the rule above. Pure: no lookup, no socket. */
export function checkServerUrl(raw: string): AcceptedServerUrl | RefusedServerUrl {
  const url = raw.trim();
  if (url.length === 0 || url.length > 2048) return { ok: false, problem: 'not-a-url' };
  const shape = URL_SHAPE.exec(url);
  if (!shape) return { ok: false, problem: 'not-a-url' };
  const scheme = shape[1]!.toLowerCase();
  const authority = shape[2]!;
  if (authority.includes('@')) return { ok: false, problem: 'credentials' };
  const hostPort = HOST_PORT.exec(authority);
  if (!hostPort) return { ok: false, problem: 'not-a-url' };
  const host = hostPort[1]!.toLowerCase();
  const port = hostPort[2] === undefined ? null : Number(hostPort[2]);
  if (port !== null && (port < 1 || port > 65535)) return { ok: false, problem: 'not-a-url' };
  if (host.startsWith('.') || host.endsWith('..') || host.includes('..')) return { ok: false, problem: 'not-a-url' };
  if (scheme === 'wss') return { ok: true, url, scheme, host, port };
  if (scheme !== 'ws') return { ok: false, problem: 'scheme' };
  if (!LOOPBACK_HOSTS.has(host)) return { ok: false, problem: 'insecure-remote' };
  return { ok: true, url, scheme, host, port };
}
