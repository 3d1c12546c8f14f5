/**
 * The main process's probe of the line's server (electron/main/services/line-probe.ts), against real
 * loopback servers started here: a TLS server with a self-signed certificate (made with openssl at
 * test time), the same certificate trusted through an explicit CA, a certificate for another name,
 * a plain HTTP server behind wss://, a closed port and a TCP server that never answers. Then the
 * whole chain the operator sees: the real line fails to open its WebSocket, the line store asks the
 * probe, and the reason is `tls` with the code.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../../electron/main/services/desk.js';
import { createKeytarKeyStore } from '../../../electron/main/services/keychain.js';
import { probeLineServer } from '../../../electron/main/services/line-probe.js';
import { createLogger } from '../../../electron/main/services/log.js';
import type { LineProfile } from '../../../shared/ipc/line-contract.js';
import { createLineStore } from '../../../renderer/src/pairing/line-store.js';
import { lineStatusView } from '../../../renderer/src/pairing/line-status-view.js';
import { selfSignedCert, type SelfSignedCert } from '../../support/self-signed-cert.js';
import { StubSessionDescriptionHandler } from '../../support/sip-node-ua.js';
import { closedPort } from '../../support/closed-port.js';

const keyringReady = process.env.KOTOZUTE_KEYRING_READY === '1';
const assetsDir = path.resolve(import.meta.dirname, '../../../assets');

/** Servers of the current test and the sockets they accepted, all closed after it. */
const open: Array<{ server: net.Server; sockets: Set<net.Socket> }> = [];
afterEach(async () => {
  const closing = open.splice(0).map(({ server, sockets }) => {
    // A server that "never answers" still holds its sockets: close them, or close() waits forever.
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  await Promise.all(closing);
});

let cachedCert: SelfSignedCert | undefined;
const loopbackCert = (): SelfSignedCert => (cachedCert ??= selfSignedCert('IP:127.0.0.1,DNS:localhost'));

async function listen<S extends net.Server>(server: S, host = '127.0.0.1'): Promise<{ server: S; port: number }> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  open.push({ server, sockets });
  return { server, port: (server.address() as net.AddressInfo).port };
}

interface TlsServer {
  port: number;
  /** TCP connections accepted, handshake or not. */
  connections(): number;
  /** What each client's hello asked for (recorded while the server chooses the protocol). */
  hellos: Array<{ servername: string | undefined; alpn: string[] }>;
}

/** A TLS server with the given certificate that records who connected and what they asked for. */
async function tlsServer(cert: SelfSignedCert): Promise<TlsServer> {
  const hellos: TlsServer['hellos'] = [];
  let connections = 0;
  const server = tls.createServer(
    {
      key: cert.key,
      cert: cert.cert,
      // Runs on the ClientHello, before the client can finish (and hang up): nothing is missed.
      ALPNCallback: ({ servername, protocols }) => {
        hellos.push({ servername, alpn: protocols });
        return protocols.includes('http/1.1') ? 'http/1.1' : undefined;
      },
    },
    (socket) => socket.end(),
  );
  server.on('tlsClientError', () => undefined);
  server.on('connection', () => {
    connections += 1;
  });
  const { port } = await listen(server);
  return { port, hellos, connections: () => connections };
}

describe('line probe', () => {
  it('names a self-signed certificate as a TLS failure, with the code and nothing else', async () => {
    const { port } = await tlsServer(loopbackCert());
    expect(await probeLineServer(`wss://127.0.0.1:${port}/ws`)).toEqual({ outcome: 'tls', detail: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('says ok for a certificate it trusts, sending the host as SNI and offering http/1.1', async () => {
    const cert = loopbackCert();
    const { port, hellos } = await tlsServer(cert);
    expect(await probeLineServer(`wss://localhost:${port}/ws`, { ca: cert.cert })).toEqual({ outcome: 'ok' });
    expect(hellos).toEqual([{ servername: 'localhost', alpn: ['http/1.1'] }]);
  });

  it('names a trusted certificate issued for another name as a TLS failure (hostname mismatch)', async () => {
    const other = selfSignedCert('DNS:pbx.example.test');
    const { port } = await tlsServer(other);
    const result = await probeLineServer(`wss://127.0.0.1:${port}/ws`, { ca: other.cert });
    // The code only: the platform's message would name both hosts.
    expect(result).toEqual({ outcome: 'tls', detail: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('names wss:// to a port that does not speak TLS as a TLS failure', async () => {
    const { port } = await listen(createHttpServer((_req, res) => res.end('hello')));
    const result = await probeLineServer(`wss://127.0.0.1:${port}/ws`);
    expect(result.outcome).toBe('tls');
    expect(result.detail).toMatch(/^ERR_SSL_/);
  });

  it('names a closed port as unreachable, for wss:// and for loopback ws://', async () => {
    const port = await closedPort();
    expect(await probeLineServer(`wss://127.0.0.1:${port}/ws`)).toEqual({ outcome: 'unreachable', detail: 'ECONNREFUSED' });
    expect(await probeLineServer(`ws://127.0.0.1:${port}/ws`)).toEqual({ outcome: 'unreachable', detail: 'ECONNREFUSED' });
  });

  it('names a server that accepts the connection but never answers the handshake as a timeout', async () => {
    const { port } = await listen(net.createServer(() => undefined));
    expect(await probeLineServer(`wss://127.0.0.1:${port}/ws`, { timeoutMs: 300 })).toEqual({ outcome: 'timeout' });
  });

  it('says ok for loopback ws:// when something listens (no TLS to check)', async () => {
    const { port } = await listen(net.createServer((s) => s.end()));
    expect(await probeLineServer(`ws://127.0.0.1:${port}/ws`)).toEqual({ outcome: 'ok' });
  });

  it('refuses a URL the server-URL check refuses, before opening any socket', async () => {
    // 127.0.0.2 is this machine on Linux, but not a host ws:// is allowed to: nothing may reach it.
    let reached = 0;
    const { port } = await listen(
      net.createServer((s) => {
        reached += 1;
        s.end();
      }),
      '127.0.0.2',
    );
    await expect(probeLineServer(`ws://127.0.0.2:${port}/ws`)).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/ws:\/\/ is allowed only to this computer/),
    });
    for (const bad of [`https://127.0.0.1:${port}/`, `wss://user:pw@127.0.0.1:${port}/`, `wss://127.0.0.1:${port} x`, '']) {
      await expect(probeLineServer(bad), bad).rejects.toMatchObject({ code: 'invalid-argument' });
    }
    expect(reached).toBe(0);
  });

  it('turns the real line\'s failed wss:// connection into "tls" with the code, through the line store', async () => {
    const { port } = await tlsServer(loopbackCert());
    const profile: LineProfile = {
      server: `wss://127.0.0.1:${port}/ws`,
      aor: 'sip:desk1@kotozute.test',
      authUser: 'desk1',
      displayName: 'Desk 1',
      iceServers: [],
      maxCalls: 2,
      dtmfMode: 'rfc4733',
    };
    const probed: string[] = [];
    const store = createLineStore({
      api: {
        getLine: async () => ({ paired: true, profile, hasPassword: true }),
        getLinePassword: async () => ({ password: 'pw' }),
        // The real probe, as the main process runs it (system trust store only).
        probeLineServer: async ({ server }) => {
          probed.push(server);
          return probeLineServer(server);
        },
      },
      lineDeps: { sessionDescriptionHandlerFactory: () => new StubSessionDescriptionHandler() },
    });
    try {
      const state = await store.connect();
      expect(state).toMatchObject({ registration: 'failed', reason: 'tls' });
      expect(probed).toEqual([profile.server]);
      expect(lineStatusView(store.snapshot)).toEqual({ state: 'offline', reason: 'tls', statusCode: null, detail: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    } finally {
      await store.disconnect();
    }
  });

  it('keeps "unreachable" (and no code) when the probe finds nothing listening either', async () => {
    const port = await closedPort();
    const profile: LineProfile = {
      server: `wss://127.0.0.1:${port}/ws`,
      aor: 'sip:desk1@kotozute.test',
      authUser: 'desk1',
      displayName: '',
      iceServers: [],
      maxCalls: 2,
      dtmfMode: 'rfc4733',
    };
    const store = createLineStore({
      api: {
        getLine: async () => ({ paired: true, profile, hasPassword: true }),
        getLinePassword: async () => ({ password: 'pw' }),
        probeLineServer: ({ server }) => probeLineServer(server),
      },
      lineDeps: { sessionDescriptionHandlerFactory: () => new StubSessionDescriptionHandler() },
    });
    try {
      const state = await store.connect();
      expect(state).toMatchObject({ registration: 'connecting', reason: 'unreachable' });
      expect(lineStatusView(store.snapshot)).toMatchObject({ reason: 'unreachable', detail: null });
    } finally {
      await store.disconnect();
    }
  });
});

describe.skipIf(!keyringReady)('probeLineServer on the desk', () => {
  let desk: Desk | undefined;
  let dataDir: string | undefined;
  const keyStore = createKeytarKeyStore({ service: `Kotozute-probe-test-${process.pid}-${Date.now()}` });

  afterEach(async () => {
    await Promise.resolve(desk?.handlers.unpairLine(undefined)).catch(() => undefined);
    await desk?.close();
    desk = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('tries only the paired line\'s server, and logs the outcome without the server', async () => {
    const logLines: string[] = [];
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'kotozute-probe-'));
    desk = await createDesk({ dataDir, assetsDir, keyStore, log: createLogger((l) => logLines.push(l)) });
    const h = desk.handlers;
    const tlsPbx = await tlsServer(loopbackCert());
    const port = tlsPbx.port;
    const server = `wss://127.0.0.1:${port}/ws`;

    // Not paired yet: refused, and nothing connected.
    await expect(h.probeLineServer({ server })).rejects.toMatchObject({ code: 'not-allowed' });
    await h.pairLine({
      profile: { server, aor: 'sip:desk1@kotozute.test', authUser: 'desk1', displayName: '', iceServers: [], maxCalls: 2, dtmfMode: 'rfc4733' },
      password: 'pw-probe',
    });
    // Another server than the paired one: refused too.
    await expect(h.probeLineServer({ server: `wss://127.0.0.1:${port}/other` })).rejects.toMatchObject({ code: 'not-allowed' });
    expect(tlsPbx.connections()).toBe(0);

    expect(await h.probeLineServer({ server })).toEqual({ outcome: 'tls', detail: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    const logged = logLines.join('\n');
    expect(logged).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(logged).not.toContain(`127.0.0.1:${port}`);
  });
});
