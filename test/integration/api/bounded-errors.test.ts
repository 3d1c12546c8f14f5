/**
 * A request with 100,000 bad elements through the real bridge to the real desk services: the reply
 * names the first problem and stays small (20 lines and a count, not 100,000), and the desk goes on
 * answering.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { attachBridge } from '../../../electron/dev-web/bridge.js';
import { createDispatch } from '../../../electron/main/api/dispatch.js';
import { createDesk, type Desk } from '../../../electron/main/services/desk.js';
import { createKeytarKeyStore } from '../../../electron/main/services/keychain.js';
import { nullLogger } from '../../../electron/main/services/log.js';
import { BridgeResponse } from '../../../shared/ipc/bridge-protocol.js';
import { MAX_DETAILS } from '../../../shared/ipc/errors.js';

const assetsDir = path.resolve(import.meta.dirname, '../../../assets');

describe('error replies over the bridge', () => {
  let dataDir: string;
  let desk: Desk;
  let ws: WebSocket;
  let close: () => Promise<void>;
  const replies = new Map<number, { text: string; at: number }>();

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'kotozute-bounded-'));
    desk = await createDesk({ dataDir, assetsDir, keyStore: createKeytarKeyStore({ service: `kotozute-test-${process.pid}` }), log: nullLogger });
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const token = 't'.repeat(43);
    const bridge = attachBridge({ server, token, origin: `http://${host}`, host, dispatch: createDispatch(desk.handlers, nullLogger), log: nullLogger });
    ws = new WebSocket(`ws://${host}/bridge?token=${token}`, { headers: { Origin: `http://${host}` } });
    ws.on('message', (data: WebSocket.RawData) => {
      const text = data.toString();
      const id = (JSON.parse(text) as { id?: number }).id;
      if (typeof id === 'number') replies.set(id, { text, at: performance.now() });
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    close = async () => {
      ws.close();
      await bridge.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    };
  });
  afterAll(async () => {
    await close();
    await desk.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const reply = async (id: number): Promise<{ text: string; at: number }> => {
    for (let i = 0; i < 1_000 && !replies.has(id); i++) await new Promise((r) => setTimeout(r, 10));
    const got = replies.get(id);
    if (!got) throw new Error(`no reply to request ${id} within 10 s`);
    return got;
  };

  it('answers 100,000 invalid fields with the first problem and a count in under 16 KB, and answers the next call', async () => {
    // Field names must start with a letter: every one of these is refused.
    const fields: Record<string, string> = {};
    for (let i = 0; i < 100_000; i++) fields[`${i}bad`] = 'x';
    ws.send(JSON.stringify({ id: 1, method: 'saveNote', arg: { noteId: 'n1', fields } }));
    const { text } = await reply(1);
    const sentNext = performance.now();
    ws.send(JSON.stringify({ id: 2, method: 'getSettings' }));
    const next = await reply(2);

    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(16 * 1024);
    const parsed = BridgeResponse.parse(JSON.parse(text));
    expect(parsed.envelope.ok).toBe(false);
    if (parsed.envelope.ok) return;
    const { details, code } = parsed.envelope.error;
    expect(code).toBe('invalid-argument');
    expect(details).toHaveLength(MAX_DETAILS + 1);
    expect(details[0]).toMatch(/^fields\.0bad: /);
    expect(details.at(-1)).toMatch(/^… and \d+ more$/);
    const counted = MAX_DETAILS + Number(/(\d+)/.exec(details.at(-1)!)?.[1]);
    expect(counted).toBeGreaterThanOrEqual(100_000);
    expect(BridgeResponse.parse(JSON.parse(next.text)).envelope.ok).toBe(true);
    // Liveness, not a benchmark: the desk is not left chewing on the refused request.
    expect(next.at - sentNext).toBeLessThan(1_000);
  });
});
