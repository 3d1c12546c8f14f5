import { sign } from 'node:crypto';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateAdminKeyPair,
  keyIdOf,
  openBundle,
  readBundleFile,
  signDirectory,
} from '../../../../../../electron/main/services/directory/bundle.js';
import { ApiError } from '../../../../../../shared/ipc/errors.js';
import type { DirectoryInput } from '../../../../../../shared/directory/schema.js';
import { generateDirectory } from '../../../../../support/generate-directory.js';

const admin = generateAdminKeyPair();
const other = generateAdminKeyPair();

const directory = (): DirectoryInput => generateDirectory({ clients: 6 });

/** Signs bytes the way signDirectory does but without its checks, to feed a desk a bad directory. */
function signUnchecked(json: string, privateKeyPem: string, publicKeyPem: string): string {
  const bytes = Buffer.from(json);
  return JSON.stringify({
    format: 'kotozute-directory-bundle',
    version: 1,
    keyId: keyIdOf(publicKeyPem),
    payload: bytes.toString('base64'),
    signature: sign(null, bytes, privateKeyPem).toString('base64'),
  });
}

/** Runs fn and returns the ApiError it throws. */
function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('directory-invalid');
    return err as ApiError;
  }
  throw new Error('expected the bundle to be refused');
}

describe('signed directory bundles', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kotozute-bundle-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens a bundle signed by the pinned admin key and names that key', () => {
    const bundle = signDirectory(JSON.stringify(directory()), admin.privateKeyPem);
    const opened = openBundle(JSON.stringify(bundle), admin.publicKeyPem);
    expect(opened.keyId).toBe(keyIdOf(admin.publicKeyPem));
    expect(opened.keyId).toMatch(/^[0-9a-f]{32}$/);
    expect(opened.directory.clients).toHaveLength(6);
    expect(opened.directory.clients[0]?.language).toBe('ja'); // schema defaults applied
  });

  it('accepts the bundle as bytes, as read from a file', async () => {
    const path = join(dir, 'ok.bundle');
    await writeFile(path, JSON.stringify(signDirectory(JSON.stringify(directory()), admin.privateKeyPem)));
    expect(openBundle(await readBundleFile(path), admin.publicKeyPem).directory.clients).toHaveLength(6);
  });

  it('refuses a bundle whose payload was altered after signing', () => {
    const bundle = signDirectory(JSON.stringify(directory()), admin.privateKeyPem);
    const text = Buffer.from(bundle.payload, 'base64').toString('utf8').replace('平日9時から18時', '平日9時から21時');
    const tampered = { ...bundle, payload: Buffer.from(text).toString('base64') };
    const err = refusal(() => openBundle(JSON.stringify(tampered), admin.publicKeyPem));
    expect(err.message).toMatch(/altered after it was signed/);
  });

  it('refuses a bundle signed by another key and names both key ids', () => {
    const bundle = signDirectory(JSON.stringify(directory()), other.privateKeyPem);
    const err = refusal(() => openBundle(JSON.stringify(bundle), admin.publicKeyPem));
    expect(err.message).toContain(`signed by another key: ${keyIdOf(other.publicKeyPem)}`);
    expect(err.message).toContain(`this desk trusts ${keyIdOf(admin.publicKeyPem)}`);
  });

  it('refuses a bundle that claims the pinned key id but was signed by another key', () => {
    const bundle = signDirectory(JSON.stringify(directory()), other.privateKeyPem);
    const forged = { ...bundle, keyId: keyIdOf(admin.publicKeyPem) };
    expect(refusal(() => openBundle(JSON.stringify(forged), admin.publicKeyPem)).message).toMatch(/signature does not match/);
  });

  it('names the JSON path and the client for a schema violation deep in one client', () => {
    const d = directory();
    d.clients[3]!.answers[5]!.keywords.ja = ['送料', '配送料', 42 as unknown as string];
    const json = JSON.stringify(d);
    const expected = 'clients[3] (id "client-3", 田中システムズ3): answers.5.keywords.ja.2: ';

    const atSigning = refusal(() => signDirectory(json, admin.privateKeyPem));
    expect(atSigning.message).toContain(expected);
    expect(atSigning.message).toMatch(/expected string/);

    const atDesk = refusal(() => openBundle(signUnchecked(json, admin.privateKeyPem, admin.publicKeyPem), admin.publicKeyPem));
    expect(atDesk.message).toContain(expected);
    expect(atDesk.details[0]).toContain(expected);
  });

  it('refuses duplicate numbers across clients written differently, naming both clients and the number', () => {
    const d = directory();
    d.clients[1]!.dids[0] = '03-1234-5678';
    d.clients[4]!.dids[2] = '+81312345678';
    const json = JSON.stringify(d);
    for (const err of [
      refusal(() => signDirectory(json, admin.privateKeyPem)),
      refusal(() => openBundle(signUnchecked(json, admin.privateKeyPem, admin.publicKeyPem), admin.publicKeyPem)),
    ]) {
      expect(err.message).toContain('03-1234-5678');
      expect(err.message).toContain('clients[1] (id "client-1", 鈴木通販1)');
      expect(err.message).toContain('clients[4] (id "client-4", 渡辺不動産4) as "+81312345678"');
    }
  });

  it('refuses a 60 MB file from its size, before reading or parsing it', async () => {
    const path = join(dir, 'huge.bundle');
    await writeFile(path, '');
    await truncate(path, 60 * 1024 * 1024); // sparse: costs no disk, and is not JSON
    await expect(readBundleFile(path)).rejects.toThrow(/60\.0 MB; bundles over 50\.0 MB are refused/);
  });

  it('refuses 60 MB of bundle bytes handed over directly before parsing them', () => {
    const notJson = Buffer.alloc(60 * 1024 * 1024, 0x7b); // "{{{{…": a parser would say "not JSON"
    expect(refusal(() => openBundle(notJson, admin.publicKeyPem)).message).toMatch(/60\.0 MB; bundles over 50\.0 MB/);
  });

  it('refuses text that is not JSON', () => {
    expect(refusal(() => openBundle('this is not a bundle', admin.publicKeyPem)).message).toMatch(/not JSON/);
  });

  it('refuses JSON whose format field is not a directory bundle', () => {
    const bundle = signDirectory(JSON.stringify(directory()), admin.privateKeyPem);
    const err = refusal(() => openBundle(JSON.stringify({ ...bundle, format: 'kotozute-roster-bundle' }), admin.publicKeyPem));
    expect(err.message).toContain('format should be "kotozute-directory-bundle", found "kotozute-roster-bundle"');
  });

  it('tells the admin when an unsigned directory is loaded instead of a bundle', () => {
    expect(refusal(() => openBundle(JSON.stringify(directory()), admin.publicKeyPem)).message).toMatch(/unsigned directory/);
  });

  it('refuses a signed payload whose inner format field is wrong', () => {
    const json = JSON.stringify({ ...directory(), format: 'kotozute-directory-v0' });
    const err = refusal(() => openBundle(signUnchecked(json, admin.privateKeyPem, admin.publicKeyPem), admin.publicKeyPem));
    expect(err.message).toMatch(/^The directory does not match the schema: format: /);
  });

  it('refuses to sign with something that is not an Ed25519 private key', () => {
    expect(() => signDirectory(JSON.stringify(directory()), 'not a key')).toThrow(/not a PEM key/);
  });
});
