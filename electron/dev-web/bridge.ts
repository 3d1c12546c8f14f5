/**
 * The dev-web bridge: the typed API over a loopback WebSocket (shared/ipc/bridge-protocol.ts).
 * It stands in for Electron IPC, so it keeps IPC's guarantees: only our own page may call (the
 * per-run token plus an exact Origin and Host), every argument goes through the same dispatch that
 * validates it against the contract, and a malformed message costs the sender its socket, never
 * the harness.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { BRIDGE_PATH, BridgeRequest, type BridgePush, type BridgeResponse } from '../../shared/ipc/bridge-protocol.js';
import { DeskEvent } from '../../shared/ipc/desk-events.js';
import { describeIssues } from '../../shared/ipc/errors.js';
import type { Dispatch } from '../main/api/dispatch.js';
import type { Logger } from '../main/services/log.js';
import { tokenMatches } from './token.js';

/** The largest message accepted: a 70 MB directory bundle (the contract's cap) plus JSON framing. */
export const MAX_BRIDGE_PAYLOAD = 80 * 1024 * 1024;

/** WebSocket close codes (RFC 6455 §7.4.1) the bridge uses. */
export const CloseCode = {
  unsupportedData: 1003,
  invalidPayload: 1007,
  policy: 1008,
  goingAway: 1001,
} as const;

export interface BridgeOptions {
  server: Server;
  token: string;
  /** Exactly the origin the page is served from: http://127.0.0.1:PORT */
  origin: string;
  /** Exactly the Host header our page sends: 127.0.0.1:PORT */
  host: string;
  dispatch: Dispatch;
  log: Logger;
}

export interface Bridge {
  /**
   * Pushes a desk event to every page connected to the bridge (the stand-in for Electron's
   * webContents.send on DESK_EVENT_CHANNEL). Only sockets that passed the token, Origin and Host
   * checks exist to receive it. Returns how many sockets it was sent to.
   */
  push(event: DeskEvent): number;
  close(): Promise<void>;
}

/** Why an upgrade request is refused (HTTP status and a short reason), or null to admit it. */
export function checkUpgrade(
  req: Pick<IncomingMessage, 'url' | 'headers'>,
  expect: Pick<BridgeOptions, 'token' | 'origin' | 'host'>,
): { status: 400 | 401 | 403 | 404; reason: string } | null {
  const url = new URL(req.url ?? '/', 'http://placeholder');
  if (url.pathname !== BRIDGE_PATH) return { status: 404, reason: 'not the bridge path' };
  if (req.headers.host !== expect.host) return { status: 403, reason: 'unexpected Host header' };
  if (req.headers.origin !== expect.origin) return { status: 403, reason: 'unexpected Origin header' };
  if (!tokenMatches(url.searchParams.get('token'), expect.token)) return { status: 401, reason: 'missing or wrong token' };
  return null;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Error';
  const body = `${status} ${text}: ${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Attaches the bridge to a listening HTTP server. */
export function attachBridge(o: BridgeOptions): Bridge {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BRIDGE_PAYLOAD, perMessageDeflate: false });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refusal = checkUpgrade(req, o);
    if (refusal) {
      o.log.warn('bridge.refused', { reason: refusal.reason });
      refuse(socket, refusal.status, refusal.reason);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, o));
  };
  o.server.on('upgrade', onUpgrade);

  return {
    push(event) {
      // Typed callers cannot get this wrong; the check keeps a bug from reaching every page.
      const checked = DeskEvent.parse(event);
      const frame: BridgePush = { push: 'desk-event', event: checked };
      const text = JSON.stringify(frame);
      let sent = 0;
      for (const client of wss.clients) {
        if (client.readyState !== client.OPEN) continue;
        client.send(text);
        sent += 1;
      }
      return sent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        o.server.off('upgrade', onUpgrade);
        for (const client of wss.clients) client.close(CloseCode.goingAway, 'the desk is shutting down');
        wss.close(() => resolve());
      }),
  };
}

function serve(ws: WebSocket, o: BridgeOptions): void {
  ws.on('error', (err) => o.log.warn('bridge.socket-error', { error: err.name }));
  ws.on('message', (data, isBinary) => {
    const request = parseRequest(data, isBinary);
    if ('close' in request) {
      o.log.warn('bridge.bad-message', { reason: request.close.reason });
      ws.close(request.close.code, request.close.reason);
      return;
    }
    if ('reply' in request) {
      send(ws, request.reply);
      return;
    }
    void o.dispatch(request.method, request.arg).then(
      (envelope) => send(ws, { id: request.id, envelope }),
      // dispatch answers envelopes for every failure it knows; this is the last line of defence.
      () => send(ws, { id: request.id, envelope: { ok: false, error: { code: 'internal', message: 'bridge: the call failed unexpectedly.', details: [] } } }),
    );
  });
}

type Parsed =
  | BridgeRequest
  | { reply: BridgeResponse }
  | { close: { code: number; reason: string } };

/**
 * Reads one frame. A message with a usable id but the wrong shape gets an error envelope for that
 * id; anything that cannot be answered (binary, not JSON, no id) closes the socket with a reason.
 */
export function parseRequest(data: RawData, isBinary: boolean): Parsed {
  if (isBinary) return { close: { code: CloseCode.unsupportedData, reason: 'bridge: send JSON text frames' } };
  const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { close: { code: CloseCode.invalidPayload, reason: 'bridge: the message is not JSON' } };
  }
  // JSON has no `undefined`: a call without an argument arrives with no "arg" key at all, which is
  // how JSON.stringify writes { id, method, arg: undefined }. Restore it before validating.
  if (typeof json === 'object' && json !== null && !Array.isArray(json) && !Object.hasOwn(json, 'arg')) {
    json = { ...json, arg: undefined };
  }
  const parsed = BridgeRequest.safeParse(json);
  if (parsed.success) return parsed.data;
  const id = typeof json === 'object' && json !== null ? (json as { id?: unknown }).id : undefined;
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) {
    return {
      reply: {
        id,
        envelope: {
          ok: false,
          error: {
            code: 'invalid-argument',
            message: 'bridge: the request is not {id, method, arg}.',
            details: describeIssues(parsed.error.issues),
          },
        },
      },
    };
  }
  return { close: { code: CloseCode.invalidPayload, reason: 'bridge: the request has no numeric id' } };
}

function send(ws: WebSocket, response: BridgeResponse): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
}
