/** A plain Node WebSocket client for poking the bridge the way a hostile local page or process might. */
import { request } from 'node:http';
import WebSocket from 'ws';
import type { BridgeResponse } from '../../../shared/ipc/bridge-protocol.js';

export type Outcome =
  | { kind: 'open'; ws: WebSocket }
  | { kind: 'refused'; status: number; body: string }
  | { kind: 'error'; message: string };

/** Tries to open the bridge; a refused upgrade reports the HTTP status and body. */
export function connectBridge(port: number, query: string, headers: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/bridge${query}`, { headers });
    ws.once('open', () => resolve({ kind: 'open', ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ kind: 'refused', status: res.statusCode ?? 0, body }));
    });
    ws.once('error', (err) => resolve({ kind: 'error', message: err.message }));
  });
}

/** Sends raw text and waits for either a reply or the socket closing. */
export function exchange(ws: WebSocket, text: string | Buffer): Promise<{ reply?: BridgeResponse; closed?: { code: number; reason: string } }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      cleanup();
      resolve({ reply: JSON.parse(data.toString()) as BridgeResponse });
    };
    const onClose = (code: number, reason: Buffer) => {
      cleanup();
      resolve({ closed: { code, reason: reason.toString() } });
    };
    const cleanup = () => {
      ws.off('message', onMessage);
      ws.off('close', onClose);
    };
    ws.on('message', onMessage);
    ws.on('close', onClose);
    ws.send(text);
  });
}

/** A raw HTTP GET that sends the path exactly as given (no client-side normalisation of ".."). */
export function rawGet(
  port: number,
  rawPath: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: rawPath, method, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
