import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerAppScheme, resolveAppFile, serveApp } from '../../../../../electron/main/platform/protocol.js';
import { CONTENT_SECURITY_POLICY } from '../../../../../electron/main/platform/security.js';
import * as fake from '../../../../support/fake-electron.js';

vi.mock('electron', () => import('../../../../support/fake-electron.js'));

// A renderer build in <tmp>/app/renderer, with secrets beside it that must never be served.
let tmp: string;
let root: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'kotozute-protocol-'));
  root = path.join(tmp, 'app', 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Kotozute</title>');
  writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(tmp, 'app', 'secret.txt'), 'SECRET NOTE');
  writeFileSync(path.join(tmp, 'secret.txt'), 'SECRET NOTE');
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeEach(() => {
  fake.resetFake();
  serveApp(root);
});

describe('the app:// protocol', () => {
  it('registers app: as a standard, secure, privileged scheme', () => {
    registerAppScheme();
    expect(fake.protocol.privileged).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    expect(fake.protocol.privileged[0]?.privileges?.bypassCSP).toBeUndefined();
  });

  it('serves the renderer entry at app://kotozute/ with the CSP header', async () => {
    for (const url of ['app://kotozute/', 'app://kotozute/index.html']) {
      const res = await fake.protocol.fetch(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await res.text()).toContain('<title>Kotozute</title>');
    }
  });

  it("gives each load of the page a CSP naming the paired line's server, read at that load", async () => {
    let server: string | null = null;
    fake.resetFake();
    serveApp(root, () => server);
    const policy = async (url: string) => (await fake.protocol.fetch(url)).headers.get('content-security-policy');
    expect(await policy('app://kotozute/index.html')).toContain("connect-src 'self';");
    server = 'wss://pbx.example.jp:7443/ws';
    expect(await policy('app://kotozute/index.html')).toContain("connect-src 'self' wss://pbx.example.jp:7443;");
    // Not a document: the strict policy.
    expect(await policy('app://kotozute/assets/index-abc.js')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('falls back to the strictest policy when the paired line cannot be read', async () => {
    fake.resetFake();
    serveApp(root, () => Promise.reject(new Error('keychain locked')));
    const res = await fake.protocol.fetch('app://kotozute/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('serves bundled scripts with a script type', async () => {
    const res = await fake.protocol.fetch('app://kotozute/assets/index-abc.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 404 for a file that is not there', async () => {
    expect((await fake.protocol.fetch('app://kotozute/missing.js')).status).toBe(404);
  });

  it('refuses anything but GET and HEAD', async () => {
    expect((await fake.protocol.fetch('app://kotozute/index.html', { method: 'POST', body: 'x' })).status).toBe(405);
    const head = await fake.protocol.fetch('app://kotozute/index.html', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it.each([
    'app://kotozute/../secret.txt',
    'app://kotozute/%2e%2e/secret.txt',
    'app://kotozute/..%2fsecret.txt',
    'app://kotozute/..%2f..%2fsecret.txt',
    'app://kotozute/assets/..%2f..%2fsecret.txt',
    'app://kotozute/%2E%2E%2F%2E%2E%2Fsecret.txt',
    'app://kotozute/..%5csecret.txt',
    'app://kotozute/..\\secret.txt',
    'app://kotozute/index.html%00.js',
    'app://kotozute/%2Fetc%2Fpasswd',
    'app://kotozute/%E0%A4%A',
    'app://evil/index.html',
  ])('refuses path traversal and foreign hosts: %s', async (url) => {
    const res = await fake.protocol.fetch(url);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await res.text()).not.toContain('SECRET');
  });
});

describe('resolveAppFile', () => {
  it('maps a request to a file under the root and nowhere else', () => {
    expect(resolveAppFile('/r', 'app://kotozute/')).toBe(path.resolve('/r/index.html'));
    expect(resolveAppFile('/r', 'app://kotozute/assets/a.js?v=1#x')).toBe(path.resolve('/r/assets/a.js'));
    expect(resolveAppFile('/r', 'app://kotozute/%2e%2e%2fx')).toBeNull();
    // Dot segments the URL parser resolves itself can never climb above the root.
    expect(resolveAppFile('/r', 'app://kotozute/a/%2e%2e/%2e%2e/x')).toBe(path.resolve('/r/x'));
    expect(resolveAppFile('/r', 'https://kotozute/index.html')).toBeNull();
    expect(resolveAppFile('/r', 'not a url')).toBeNull();
  });
});
