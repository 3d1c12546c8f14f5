import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket as WsSocket } from 'ws';
import { createWebBridge } from '../../../../renderer/src/api/web-bridge.js';
import { BridgeRequest } from '../../../../shared/ipc/bridge-protocol.js';
import type { DeskEvent } from '../../../../shared/ipc/desk-events.js';
import { ApiError } from '../../../../shared/ipc/errors.js';

/** A loopback bridge server speaking shared/ipc/bridge-protocol.ts, answering from a table. */
let server: WebSocketServer;
let url: string;
let sockets: WsSocket[];
let answer: (method: string, arg: unknown) => unknown;

beforeEach(async () => {
  sockets = [];
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/bridge' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/bridge?token=t`;
  server.on('connection', (ws) => {
    sockets.push(ws);
    ws.on('message', (data) => {
      // A method without an argument (getDeskState…) travels with no `arg` key: JSON has no undefined.
      const req = BridgeRequest.partial({ arg: true }).parse(JSON.parse(String(data)));
      const envelope = answer(req.method, req.arg);
      if (envelope !== undefined) ws.send(JSON.stringify({ id: req.id, envelope }));
    });
  });
});

afterEach(async () => {
  for (const ws of sockets) ws.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the dev-web bridge', () => {
  it('carries a call and its result over the socket', async () => {
    answer = (method, arg) => ({ ok: true, value: { locale: (arg as { locale: string }).locale, method } });
    const api = createWebBridge(url);
    await expect(api.updateSettings({ locale: 'en' })).resolves.toEqual({ locale: 'en', method: 'updateSettings' });
  });

  it('turns an error envelope into an ApiError with its code and details', async () => {
    answer = () => ({
      ok: false,
      error: { code: 'invalid-argument', message: 'simulateCall: the argument is not valid.', details: ['caller.name: too long'] },
    });
    const api = createWebBridge(url);
    const err = await api.simulateCall({ clientId: 'x', caller: { name: 'a', number: '1' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'invalid-argument', details: ['caller.name: too long'] });
  });

  it('fails a call in flight when the socket drops, then reconnects for the next call', async () => {
    answer = () => undefined; // never answers
    const api = createWebBridge(url);
    const pending = api.getDeskState();
    await waitFor(() => sockets.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    sockets[0]!.terminate();
    await expect(pending).rejects.toThrow(/connection to the desk was lost/);

    answer = () => ({ ok: true, value: { locale: 'ja' } });
    await expect(api.getSettings()).resolves.toEqual({ locale: 'ja' });
    expect(sockets.length).toBe(2);
  });
});

describe('desk events over the dev-web bridge', () => {
  it('delivers a pushed event to onDeskEvent and drops unknown or malformed pushes', async () => {
    answer = () => ({ ok: true, value: { locale: 'ja' } });
    const api = createWebBridge(url);
    const seen: unknown[][] = [];
    const stop = api.onDeskEvent((...args: unknown[]) => seen.push(args));
    await waitFor(() => sockets.length === 1);
    await api.getSettings(); // the socket is open on both ends
    const ws = sockets[0]!;
    for (const bad of [
      'not json',
      JSON.stringify({ push: 'desk-event' }),
      JSON.stringify({ push: 'desk-event', event: { type: 'power', event: 'hibernate' } }),
      JSON.stringify({ push: 'desk-event', event: { type: 'new-kind' } }),
      JSON.stringify({ push: 'other', event: { type: 'power', event: 'resume' } }),
      JSON.stringify({ type: 'power', event: 'resume' }),
    ]) {
      ws.send(bad);
    }
    ws.send(JSON.stringify({ push: 'desk-event', event: { type: 'power', event: 'resume' } }));
    await waitFor(() => seen.length > 0);
    expect(seen).toEqual([[{ type: 'power', event: 'resume' } satisfies DeskEvent]]);
    // Calls still work after the junk, and a stopped listener hears nothing more.
    await expect(api.getSettings()).resolves.toEqual({ locale: 'ja' });
    stop();
    ws.send(JSON.stringify({ push: 'desk-event', event: { type: 'power', event: 'suspend' } }));
    await api.getSettings(); // sent after the push on the same socket, so it was handled by now
    expect(seen).toHaveLength(1);
  });

  it('never takes a pushed event for the answer to a call', async () => {
    answer = () => undefined; // the test answers by hand
    const api = createWebBridge(url);
    const pending = api.getSettings();
    await waitFor(() => sockets.length === 1);
    // Shaped like a reply as well: still a push, so it answers nothing.
    sockets[0]!.send(JSON.stringify({ push: 'desk-event', id: 1, envelope: { ok: true, value: { locale: 'ja' } }, event: { type: 'power', event: 'resume' } }));
    sockets[0]!.send(JSON.stringify({ id: 1, envelope: { ok: true, value: { locale: 'en' } } }));
    await expect(pending).resolves.toEqual({ locale: 'en' });
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error('condition not met');
}
