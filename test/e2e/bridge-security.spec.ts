/**
 * The dev-web harness keeps Electron IPC's guarantees on a loopback port anyone on the machine can
 * reach: only our own page (right token, right Origin, right Host) may call the desk, malformed
 * calls get clear errors, and the static server hands out the built renderer and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { test, expect } from './support/fixtures.js';
import { HARNESS_ENTRY, REPO } from './support/paths.js';
import { connectBridge, exchange, rawGet } from './support/bridge-client.js';

test.describe('the bridge', () => {
  test('refuses a connection without a token', async ({ harness }) => {
    const outcome = await connectBridge(harness.port, '', { Origin: harness.origin });
    expect(outcome).toMatchObject({ kind: 'refused', status: 401 });
  });

  test('refuses a connection with a wrong token', async ({ harness }) => {
    const wrong = `${harness.token.slice(0, -1)}${harness.token.endsWith('A') ? 'B' : 'A'}`;
    const outcome = await connectBridge(harness.port, `?token=${wrong}`, { Origin: harness.origin });
    expect(outcome).toMatchObject({ kind: 'refused', status: 401 });
  });

  test('refuses the right token from another origin', async ({ harness }) => {
    for (const origin of ['http://evil.example', `http://localhost:${harness.port}`, 'null']) {
      const outcome = await connectBridge(harness.port, `?token=${harness.token}`, { Origin: origin });
      expect(outcome, origin).toMatchObject({ kind: 'refused', status: 403 });
    }
    const noOrigin = await connectBridge(harness.port, `?token=${harness.token}`, {});
    expect(noOrigin).toMatchObject({ kind: 'refused', status: 403 });
  });

  test('refuses the right token under another Host name (DNS rebinding)', async ({ harness }) => {
    const outcome = await connectBridge(harness.port, `?token=${harness.token}`, {
      Origin: harness.origin,
      Host: `rebind.example:${harness.port}`,
    });
    expect(outcome).toMatchObject({ kind: 'refused', status: 403 });
  });

  test('answers a well-formed call from our own page', async ({ harness }) => {
    const outcome = await connectBridge(harness.port, `?token=${harness.token}`, { Origin: harness.origin });
    if (outcome.kind !== 'open') throw new Error(`expected the bridge to open, got ${JSON.stringify(outcome)}`);
    const { reply } = await exchange(outcome.ws, JSON.stringify({ id: 1, method: 'getDeskState', arg: undefined }));
    expect(reply?.id).toBe(1);
    expect(reply?.envelope).toMatchObject({ ok: true, value: { mode: 'training' } });
    outcome.ws.close();
  });

  test("answers a malformed argument with a clear 'invalid-argument' error", async ({ harness }) => {
    const outcome = await connectBridge(harness.port, `?token=${harness.token}`, { Origin: harness.origin });
    if (outcome.kind !== 'open') throw new Error(`expected the bridge to open, got ${JSON.stringify(outcome)}`);
    const ws = outcome.ws;
    const bad = [
      { method: 'simulateCall', arg: { caller: { name: 'x' } } },
      { method: 'simulateCall', arg: { clientId: 'NOT A CLIENT ID', caller: { name: 'a', number: '1' } } },
      { method: 'updateSettings', arg: { locale: 'fr' } },
      { method: 'importDirectory', arg: { bundle: 42 } },
      { method: 'listClients', arg: { unexpected: true } },
    ];
    let id = 10;
    for (const call of bad) {
      const { reply } = await exchange(ws, JSON.stringify({ id: ++id, ...call }));
      expect(reply?.id, call.method).toBe(id);
      expect(reply?.envelope, call.method).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
      if (reply?.envelope.ok === false) {
        expect(reply.envelope.error.message).toContain(call.method);
        expect(reply.envelope.error.details.length).toBeGreaterThan(0);
      }
    }
    const unknown = await exchange(ws, JSON.stringify({ id: 99, method: 'deleteEverything', arg: null }));
    expect(unknown.reply?.envelope).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    ws.close();
  });

  test('answers a request of the wrong shape for its id, and closes on one it cannot answer', async ({ harness }) => {
    const open = async () => {
      const o = await connectBridge(harness.port, `?token=${harness.token}`, { Origin: harness.origin });
      if (o.kind !== 'open') throw new Error('expected the bridge to open');
      return o.ws;
    };
    const shaped = await exchange(await open(), JSON.stringify({ id: 5, method: 123 }));
    expect(shaped.reply).toMatchObject({ id: 5, envelope: { ok: false, error: { code: 'invalid-argument' } } });

    const notJson = await exchange(await open(), '{not json');
    expect(notJson.closed).toEqual({ code: 1007, reason: 'bridge: the message is not JSON' });

    const noId = await exchange(await open(), JSON.stringify({ method: 'getDeskState' }));
    expect(noId.closed?.code).toBe(1007);

    const binary = await exchange(await open(), Buffer.from([0, 1, 2]));
    expect(binary.closed?.code).toBe(1003);

    // The harness is still serving after all of that.
    const again = await exchange(await open(), JSON.stringify({ id: 1, method: 'getSettings' }));
    expect(again.reply?.envelope.ok).toBe(true);
  });
});

test.describe('the page server', () => {
  test('serves the renderer with the security headers', async ({ harness }) => {
    const res = await rawGet(harness.port, '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/default-src '(none|self)'/);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
  });

  test('refuses path traversal', async ({ harness }) => {
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json', '/..%5c..%5cpackage.json']) {
      const res = await rawGet(harness.port, p);
      expect([400, 403], p).toContain(res.status);
      expect(res.body, p).not.toContain('"name": "kotozute"');
    }
  });

  test('lists no directories and answers 404 for unknown paths', async ({ harness }) => {
    expect((await rawGet(harness.port, '/assets/')).status).toBe(404);
    expect((await rawGet(harness.port, '/assets')).status).toBe(404);
    expect((await rawGet(harness.port, '/no-such-file.js')).status).toBe(404);
    expect((await rawGet(harness.port, '/', {}, 'POST')).status).toBe(405);
  });

  test('refuses requests addressed to another host name', async ({ harness }) => {
    const res = await rawGet(harness.port, '/', { Host: `rebind.example:${harness.port}` });
    expect(res.status).toBe(421);
  });
});

test.describe('the harness itself', () => {
  test('refuses to start with NODE_ENV=production', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', HARNESS_ENTRY], {
      cwd: REPO,
      env: { ...process.env, NODE_ENV: 'production', KOTOZUTE_WEB_PORT: '0', KOTOZUTE_DATA_DIR: '/nonexistent' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('refusing to start');
  });
});
