// Pairing outcomes against a real Kamailio and against servers that are not one: the line reports
// each in the operator's terms, and refuses an insecure URL before any socket exists.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { contactsOf, registered, useLineHarness, waitForLine } from './line-fixture.js';
import { closedPort } from '../../support/closed-port.js';

const h = useLineHarness();

describe('pairing the line with a SIP server', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((c) => c()));
  });

  it('registers with the right password and stays registered', async () => {
    const { line, user } = await h.desk();
    const state = await line.connect();
    expect(state.registration).toBe('registered');
    expect(state.reason).toBeNull();
    expect(await contactsOf(h.kam(), user.user)).toBe(1);
  });

  it('reports a wrong password as auth and does not keep trying', async () => {
    const user = await h.kam().newUser('desk');
    const { line } = await h.desk({}, {}, { user: user.user, password: `${user.password}-wrong` });
    const state = await line.connect();
    expect(state.registration).toBe('failed');
    expect(state.reason).toBe('auth');
    expect([401, 403]).toContain(state.statusCode);
    expect(state.retryAt).toBeNull();
    expect(await contactsOf(h.kam(), user.user)).toBe(0);
  });

  it('refuses ws:// to a host that is not this machine before opening any socket', async () => {
    // A server on 127.0.0.2: loopback, but not one of the hosts ws:// is allowed for. If the line
    // tried to connect, this server would count it.
    let connections = 0;
    const server = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const port = (server.address() as net.AddressInfo).port;

    // Count every WebSocket the process opens while the line is asked to connect.
    const RealWebSocket = globalThis.WebSocket;
    let constructed = 0;
    globalThis.WebSocket = class extends RealWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        constructed += 1;
        super(url, protocols);
      }
    };
    cleanups.push(async () => {
      globalThis.WebSocket = RealWebSocket;
    });

    for (const server of [`ws://127.0.0.2:${port}`, 'ws://pbx.example.com/ws', 'ws://10.0.0.5:8080', 'http://127.0.0.1:5060', 'ws://user:pw@127.0.0.1:5060']) {
      const { line } = await h.desk({ server });
      const state = await line.connect();
      expect(state.registration, server).toBe('failed');
      expect(state.reason, server).toBe('bad-url');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(constructed).toBe(0);
    expect(connections).toBe(0);

    // The counters do count: the same server is hit when dialled directly.
    const probe = new RealWebSocket(`ws://127.0.0.2:${port}`);
    probe.onerror = () => undefined;
    await waitUntil(() => connections === 1);
  });

  it('reports a server that accepts the WebSocket but speaks garbage as not-sip', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'sip' });
    server.on('connection', (socket) => {
      socket.on('message', () => socket.send('HTTP/1.1 200 OK\r\ncontent-type: text/html\r\n\r\n<html>hello</html>'));
    });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const port = (server.address() as net.AddressInfo).port;

    const { line } = await h.desk({ server: `ws://127.0.0.1:${port}` });
    const started = performance.now();
    const state = await line.connect();
    expect(state.registration).toBe('failed');
    expect(state.reason).toBe('not-sip');
    // Well before any REGISTER timeout: the garbage itself is the answer.
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('reports a server that is not there as unreachable and keeps trying with a back-off', async () => {
    const port = await closedPort();
    const { line } = await h.desk({ server: `ws://127.0.0.1:${port}` });
    const state = await line.connect();
    expect(state.registration).toBe('connecting');
    expect(state.reason).toBe('unreachable');
    expect(state.retryAt).not.toBeNull();
    // A second failed attempt follows by itself, with a longer wait.
    const first = state.retryAt! - Date.now();
    const next = await waitForLine(line, (s) => s.retryAt !== null && s.retryAt !== state.retryAt, 'a second attempt', 3000);
    expect(next.reason).toBe('unreachable');
    expect(first).toBeLessThanOrEqual(500);
  });

  it('reports a TLS failure when the platform diagnoses one', async () => {
    const port = await closedPort();
    const { line } = await h.desk({ server: `wss://127.0.0.1:${port}` }, { diagnoseConnectFailure: async () => 'tls' });
    const state = await line.connect();
    expect(state.registration).toBe('failed');
    expect(state.reason).toBe('tls');
  });

  it('refuses an unusable SIP address before connecting', async () => {
    const { line } = await h.desk({ aor: 'not a uri' });
    const state = await line.connect();
    expect(state).toMatchObject({ registration: 'failed', reason: 'bad-config' });
  });

  it('goes offline and unregisters on disconnect', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    await line.disconnect();
    expect(line.state.registration).toBe('offline');
    await waitUntil(async () => (await contactsOf(h.kam(), user.user)) === 0);
  });

  it('logs nothing personal: no user, password or address in any line', () => {
    expect(h.allLogs.length).toBeGreaterThan(0);
    const text = JSON.stringify(h.allLogs);
    expect(text).not.toMatch(/desk-|sip:|ws:\/\/|127\.0\.0\.1|kotozute\.test/);
  });
});

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
