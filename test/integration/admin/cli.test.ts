/**
 * The admin command line end to end: the real bin, run as `node bin/kotozute-admin.mjs` in temp
 * folders, exactly as an admin would after `npm ci`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDirectory } from '../../support/generate-directory.js';

const BIN = resolve(import.meta.dirname, '../../../bin/kotozute-admin.mjs');
const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function admin(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('kotozute-admin', () => {
  let dir: string;
  const path = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kotozute-admin-'));
    await writeFile(path('directory.json'), JSON.stringify(generateDirectory({ clients: 7 }), null, 2));
    expect((await admin('keygen', '--out', path('keys'))).code).toBe(0);
    expect((await admin('keygen', '--out', path('other'))).code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a private key readable only by its owner and a public key', async () => {
    expect((await stat(path('keys/admin.key'))).mode & 0o777).toBe(0o600);
    expect(await readFile(path('keys/admin.pub'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('refuses to overwrite an existing admin key', async () => {
    const before = await readFile(path('keys/admin.key'), 'utf8');
    const r = await admin('keygen', '--out', path('keys'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already exists; refusing to overwrite/);
    expect(await readFile(path('keys/admin.key'), 'utf8')).toBe(before);
  });

  it('signs a directory and verifies it with a one-line summary', async () => {
    const signed = await admin('sign', '--key', path('keys/admin.key'), '--in', path('directory.json'), '--out', path('d.bundle'));
    expect(signed.code).toBe(0);
    const verified = await admin('verify', '--pub', path('keys/admin.pub'), path('d.bundle'));
    expect(verified.code).toBe(0);
    const lines = verified.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^OK publisher "Generated test directory", published .+, 7 clients, 21 DIDs, key id [0-9a-f]{32}$/);
  });

  it('refuses the private key given as --pub, naming the file, and never answers OK', async () => {
    await admin('sign', '--key', path('keys/admin.key'), '--in', path('directory.json'), '--out', path('p.bundle'));
    const r = await admin('verify', '--pub', path('keys/admin.key'), path('p.bundle'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`--pub ${path('keys/admin.key')} holds a private key, not the admin's public key`);
    const body = (await readFile(path('keys/admin.key'), 'utf8')).split('\n')[1]!;
    expect(r.stderr).not.toContain(body);
  });

  it('refuses a bundle checked against another admin key, saying which keys differ', async () => {
    await admin('sign', '--key', path('keys/admin.key'), '--in', path('directory.json'), '--out', path('k.bundle'));
    const r = await admin('verify', '--pub', path('other/admin.pub'), path('k.bundle'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/signed by another key: [0-9a-f]{32}; this desk trusts [0-9a-f]{32}/);
  });

  it('refuses a bundle whose content was altered after signing', async () => {
    await admin('sign', '--key', path('keys/admin.key'), '--in', path('directory.json'), '--out', path('t.bundle'));
    const bundle = await readFile(path('t.bundle'), 'utf8');
    expect(bundle).toMatch(/^KOTOZUTE-DIRECTORY-BUNDLE 2 [0-9a-f]{32} /);
    await writeFile(path('t.bundle'), bundle.replace('平日9時から18時', '平日9時から21時'));
    const r = await admin('verify', '--pub', path('keys/admin.pub'), path('t.bundle'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/altered after it was signed/);
  });

  it('refuses to sign an invalid directory, naming the client and path, and writes no bundle', async () => {
    const d = generateDirectory({ clients: 3 });
    d.clients[2]!.staff[0]!.status = 'vacation' as 'holiday';
    await writeFile(path('bad.json'), JSON.stringify(d));
    const r = await admin('sign', '--key', path('keys/admin.key'), '--in', path('bad.json'), '--out', path('bad.bundle'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('clients[2] (id "client-2", 高橋クリニック2): staff.0.status:');
    await expect(stat(path('bad.bundle'))).rejects.toThrow();
  });

  it('prints usage and fails on bad arguments', async () => {
    for (const args of [['verify'], ['sign', '--key', 'x'], ['frobnicate'], ['keygen', '--bogus', 'x'], []]) {
      const r = await admin(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout + r.stderr, args.join(' ')).toContain('Usage:');
    }
  });

  it('prints usage and succeeds with --help', async () => {
    const r = await admin('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kotozute-admin verify --pub admin.pub directory.bundle');
  });
});
