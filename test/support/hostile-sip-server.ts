/**
 * A hostile SIP-over-WebSocket server on loopback (RFC 7118, `sip` subprotocol): it takes the desk's
 * REGISTER (200, no challenge), then sends whatever a test gives it and records every answer. Used by
 * the RFC 4475 / RFC 5118 torture suite in Node (test/integration/line/sip-torture.test.ts) and in
 * the browser (test/e2e/sip-torture.spec.ts).
 *
 * Absence of an answer is proved without waiting on a clock: the desk handles one socket in order,
 * so once it has answered a probe OPTIONS sent after a message, any answer to that message would
 * have arrived first ({@link HostileSipServer.probe}).
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** One SIP response the desk sent, read just far enough to match it. */
export interface DeskResponse {
  status: number;
  reason: string;
  /** The branch of the topmost Via (how the server matches it to what it sent). */
  branch: string;
  cseqMethod: string;
  callId: string;
  /** Header lines, lower-cased names, in order. */
  headers: [string, string][];
  raw: string;
}

export interface HostileSipServer {
  readonly url: string;
  /** REGISTER requests the desk sent (each answered 200). */
  readonly registers: number;
  /** WebSocket connections the desk opened (1 while it never had to reconnect). */
  readonly connections: number;
  /** Every response the desk sent, in order. */
  readonly responses: readonly DeskResponse[];
  /** Resolves once the desk's socket is open and it has registered at least once. */
  registered(timeoutMs?: number): Promise<void>;
  /** Sends one raw message to the desk (one WebSocket text frame). */
  send(raw: string): void;
  /** The first response (from any time) that `where` picks, or rejects. */
  response(where: (r: DeskResponse) => boolean, what: string, timeoutMs?: number): Promise<DeskResponse>;
  /** Sends an OPTIONS and waits for its 200: everything sent before it has been handled. */
  probe(requestUri: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Headers a response to a torture message is read by (lower-case, compact forms expanded). */
const COMPACT: Record<string, string> = { v: 'via', f: 'from', t: 'to', i: 'call-id', l: 'content-length', c: 'content-type', m: 'contact' };

export function readHeaders(head: string): [string, string][] {
  const headers: [string, string][] = [];
  for (const line of head.split('\r\n').slice(1)) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers[headers.length - 1]![1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.push([COMPACT[name] ?? name, line.slice(colon + 1).trim()]);
  }
  return headers;
}

function parseResponse(raw: string): DeskResponse | null {
  const head = raw.split('\r\n\r\n', 1)[0]!;
  const start = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(head.split('\r\n', 1)[0]!);
  if (!start) return null;
  const headers = readHeaders(head);
  const via = headers.find(([n]) => n === 'via')?.[1] ?? '';
  const cseq = headers.find(([n]) => n === 'cseq')?.[1] ?? '';
  return {
    status: Number(start[1]),
    reason: start[2] ?? '',
    branch: /;\s*branch\s*=\s*([^;,\s]+)/i.exec(via)?.[1] ?? '',
    cseqMethod: cseq.trim().split(/\s+/)[1] ?? '',
    callId: headers.find(([n]) => n === 'call-id')?.[1] ?? '',
    headers,
    raw,
  };
}

/** Starts the server on 127.0.0.1 (any free port). */
export async function startHostileSipServer(): Promise<HostileSipServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => (p.has('sip') ? 'sip' : false), maxPayload: 1 << 20 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const port = (wss.address() as AddressInfo).port;
  let socket: WebSocket | undefined;
  let registers = 0;
  let connections = 0;
  let probes = 0;
  const responses: DeskResponse[] = [];
  const waiters = new Set<() => void>();
  const changed = (): void => {
    for (const w of [...waiters]) w();
  };

  wss.on('connection', (ws) => {
    connections += 1;
    socket = ws;
    ws.on('message', (data) => {
      const raw = data.toString();
      if (raw.trim() === '') {
        ws.send('\r\n'); // RFC 5626 keep-alive pong
        return;
      }
      if (raw.startsWith('SIP/2.0 ')) {
        const response = parseResponse(raw);
        if (response) responses.push(response);
        changed();
        return;
      }
      if (raw.startsWith('REGISTER ')) {
        const head = raw.split('\r\n\r\n', 1)[0]!;
        const headers = readHeaders(head);
        const copy = (name: string): string[] => headers.filter(([n]) => n === name).map(([, v]) => `${name === 'call-id' ? 'Call-ID' : name.replace(/^./, (c) => c.toUpperCase())}: ${v}`);
        const to = headers.find(([n]) => n === 'to')?.[1] ?? '';
        const contact = headers.find(([n]) => n === 'contact')?.[1] ?? '';
        const expires = /expires=0\b/.test(contact) || headers.some(([n, v]) => n === 'expires' && v === '0') ? 0 : 300;
        registers += expires > 0 ? 1 : 0;
        ws.send(
          ['SIP/2.0 200 OK', ...copy('via'), ...copy('from'), `To: ${to};tag=hostile${registers}`, ...copy('call-id'), ...copy('cseq'),
            ...(expires > 0 ? [`Contact: ${contact.replace(/;expires=\d+/, '')};expires=300`] : []), 'Content-Length: 0', '', ''].join('\r\n'),
        );
        changed();
      }
      // Anything else the desk sends (an ACK for a 487, a BYE) needs no answer here.
    });
    ws.on('close', () => {
      if (socket === ws) socket = undefined;
    });
  });

  function until<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const value = find();
        if (value === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`hostile server: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(check);
    });
  }

  const server: HostileSipServer = {
    url: `ws://127.0.0.1:${port}`,
    get registers() {
      return registers;
    },
    get connections() {
      return connections;
    },
    responses,
    async registered(timeoutMs = 10_000) {
      await until(() => (registers > 0 && socket ? true : undefined), 'REGISTER', timeoutMs);
    },
    send(raw) {
      if (!socket) throw new Error('hostile server: the desk is not connected');
      socket.send(raw);
    },
    response(where, what, timeoutMs = 5000) {
      return until(() => responses.find(where), what, timeoutMs);
    },
    async probe(requestUri, timeoutMs = 5000) {
      probes += 1;
      const branch = `z9hG4bKprobe${probes}`;
      server.send(
        [`OPTIONS ${requestUri} SIP/2.0`, `Via: SIP/2.0/WSS hostile.invalid;branch=${branch}`, 'Max-Forwards: 70',
          'From: <sip:probe@hostile.invalid>;tag=probe', `To: <${requestUri}>`, `Call-ID: probe-${probes}@hostile.invalid`,
          `CSeq: ${probes} OPTIONS`, 'Content-Length: 0', '', ''].join('\r\n'),
      );
      const answer = await server.response((r) => r.branch === branch, 'an answer to the probe', timeoutMs);
      if (answer.status !== 200) throw new Error(`hostile server: probe answered ${answer.status}`);
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
  return server;
}
