/**
 * Tries the line's server from the main process, because a page cannot: a browser (and sip.js's
 * WebSocket transport) reports a failed wss:// connection the same way whether the server was not
 * there or its certificate was refused. Here the TLS handshake is run with Node's own `tls`, so a
 * certificate or handshake failure is told apart from an unreachable server or a silent one.
 *
 * Only a URL that passes the line's server-URL check is ever connected to (wss:// anywhere, ws://
 * only to this machine), and only its own host and port. Nothing is sent after the handshake: the
 * socket is closed as soon as the answer is known. The result carries error codes, never messages
 * (a message may name the customer's host).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { LineProbeResult } from '../../../shared/ipc/line-contract.js';
import { ApiError } from '../../../shared/ipc/errors.js';
import { checkServerUrl } from '../../../shared/line/server-url.js';

export interface LineProbeOptions {
  /** Give up after this long (default 5000 ms): the operator is waiting for the outcome. */
  timeoutMs?: number;
  /**
   * Certificates to trust INSTEAD of the system's (PEM). Tests only (a loopback CA); the desk never
   * passes it, so production always verifies against the system's trust store.
   */
  ca?: string | string[];
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * Error codes that mean the network, not TLS, failed: no route, nothing listening, no such name,
 * or the connection dropped. Anything else after the TCP connection was up is the handshake's.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NODATA',
  'EAI_NONAME',
]);

/** Codes are uppercase identifiers; anything else (or none) is reported as a plain marker. */
const CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CODE.test(code) ? code : 'UNKNOWN';
}

/** What a failed socket means, given whether the TCP connection had been established. */
function classify(err: unknown, tcpUp: boolean): LineProbeResult {
  const detail = codeOf(err);
  if (detail === 'ETIMEDOUT') return { outcome: 'timeout', detail };
  if (NETWORK_CODES.has(detail)) return { outcome: 'unreachable', detail };
  // Before the TCP connection is up nothing TLS has happened yet, whatever the code says.
  return tcpUp ? { outcome: 'tls', detail } : { outcome: 'unreachable', detail };
}

/**
 * The trust store a desk verifies against: the operating system's certificates (which Chromium
 * uses too, so a company CA the computer trusts counts here as well) plus Node's bundled ones.
 * Undefined means Node's default, for a runtime without `tls.getCACertificates`.
 */
function systemCa(): string[] | undefined {
  if (typeof tls.getCACertificates !== 'function') return undefined;
  try {
    return [...new Set([...tls.getCACertificates('default'), ...tls.getCACertificates('system')])];
  } catch {
    return undefined;
  }
}

/**
 * Connects to the server of a line URL and says what happened. Refuses (ApiError `invalid-argument`,
 * before any socket) a URL the server-URL check refuses. Never rejects for a network outcome.
 */
export async function probeLineServer(server: string, options: LineProbeOptions = {}): Promise<LineProbeResult> {
  const checked = checkServerUrl(server);
  if (!checked.ok) {
    throw new ApiError(
      'invalid-argument',
      checked.problem === 'insecure-remote'
        ? 'The server was not tried: ws:// is allowed only to this computer (use wss://).'
        : 'The server was not tried: its URL is not a wss:// (or loopback ws://) server URL.',
      [`server: ${checked.problem}`],
    );
  }
  // IPv6 literals keep their brackets in the URL; a socket wants the bare address.
  const host = checked.host.startsWith('[') ? checked.host.slice(1, -1) : checked.host;
  const port = checked.port ?? (checked.scheme === 'wss' ? 443 : 80);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return new Promise<LineProbeResult>((resolve) => {
    let tcpUp = false;
    let settled = false;
    let socket: net.Socket;
    const finish = (result: LineProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ outcome: 'timeout' }), timeoutMs);

    if (checked.scheme === 'ws') {
      // Plain WebSocket (loopback only): nothing to tell apart but "something listens" or not.
      socket = net.connect({ host, port });
      socket.once('connect', () => finish({ outcome: 'ok' }));
    } else {
      const ca = options.ca ?? systemCa();
      const tlsSocket = tls.connect({
        host,
        port,
        // SNI must be a name (RFC 6066): an IP literal is verified against the certificate's IP
        // entries without it. Node checks the certificate against this name (or the host).
        ...(net.isIP(host) === 0 ? { servername: host } : {}),
        // What Chromium offers for a WebSocket, so a server picky about ALPN answers the same.
        ALPNProtocols: ['http/1.1'],
        rejectUnauthorized: true,
        ...(ca ? { ca } : {}),
      });
      socket = tlsSocket;
      tlsSocket.once('secureConnect', () => {
        // rejectUnauthorized turns a refused certificate into an 'error'; this is belt and braces.
        if (tlsSocket.authorized) finish({ outcome: 'ok' });
        else finish({ outcome: 'tls', detail: codeOf({ code: tlsSocket.authorizationError }) });
      });
    }
    socket.once('connect', () => {
      tcpUp = true;
    });
    socket.on('error', (err) => finish(classify(err, tcpUp)));
    // Closed with no error before an answer: the far end hung up, which says nothing about TLS.
    socket.once('close', () => finish({ outcome: 'unreachable' }));
  });
}
