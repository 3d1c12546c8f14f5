/**
 * Pairing against a SIP-over-WebSocket server whose certificate this computer does not trust: a
 * real wss:// server on 127.0.0.1 (Node https + ws, answering the `sip` subprotocol) with a
 * self-signed certificate made at test time. Chromium refuses the connection without saying why;
 * the desk's main-side probe tries the server itself, so Settings › Line names it a TLS failure,
 * with the platform's code, and the top bar says TLS too — not "server unreachable".
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { selfSignedCert } from '../support/self-signed-cert.js';
import { expect, test } from './support/fixtures.js';
import { LinePage } from './support/line-page.js';

let server: Server;
let wss: WebSocketServer;
let port: number;
/** TCP connections the server accepted, and WebSocket upgrades it saw (none may get that far). */
let connections = 0;
let upgrades = 0;
const sockets = new Set<Socket>();

test.beforeAll(async () => {
  const { key, cert } = selfSignedCert('IP:127.0.0.1,DNS:localhost');
  server = createServer({ key, cert });
  server.on('connection', (s: Socket) => {
    connections += 1;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  wss = new WebSocketServer({ server, handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false) });
  wss.on('connection', (ws) => {
    upgrades += 1;
    ws.close();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

test.afterAll(async () => {
  wss?.close();
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

test('a server with an untrusted certificate is named a TLS failure, with its code, not "unreachable"', async ({ desk }) => {
  const p = new LinePage(desk);
  await p.open();
  await p.fill({ server: `wss://127.0.0.1:${port}/ws`, aor: 'sip:desk1@kotozute.test', user: 'desk1', password: 'pw-tls-e2e' });
  await p.connect();

  // Settings: the plain words, then the code an administrator can act on.
  await expect(p.outcome()).toHaveText(`${p.t.pairing.reason.tls}（DEPTH_ZERO_SELF_SIGNED_CERT）`);
  await expect(p.outcome()).not.toContainText(p.t.pairing.reason.unreachable);
  await p.switchLanguage('en');
  await expect(p.outcome()).toHaveText(`${p.t.pairing.reason.tls} (DEPTH_ZERO_SELF_SIGNED_CERT)`);
  await p.switchLanguage('ja');
  await p.close();

  // The top bar: offline, and why — TLS, in words.
  await expect(p.indicator()).toHaveText(p.t.pairing.indicator.withReason.replace('{{state}}', p.t.pairing.indicator.offline).replace('{{reason}}', p.t.pairing.reason.tls));

  // The certificate was the only thing in the way: connections reached the server, no WebSocket did.
  expect(connections).toBeGreaterThan(0);
  expect(upgrades).toBe(0);

  await p.open();
  await p.unpair();
  await p.close();
});
