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
import { bundleHeader, encodeBody } from '../../../../../../electron/main/services/directory/bundle-format.js';
import { ApiError } from '../../../../../../shared/ipc/errors.js';
import { Directory, type DirectoryInput, type DirectoryTable } from '../../../../../../shared/directory/schema.js';
import { generateDirectory } from '../../../../../support/generate-directory.js';

const admin = generateAdminKeyPair();
const other = generateAdminKeyPair();

const directory = (): DirectoryInput => generateDirectory({ clients: 6 });

/** The bundle's lines: header, table, payload. */
function split(bundle: Buffer): { header: Buffer; table: Buffer; payload: Buffer } {
  const first = bundle.indexOf('\n');
  const second = bundle.indexOf('\n', first + 1);
  return { header: bundle.subarray(0, first + 1), table: bundle.subarray(first + 1, second), payload: bundle.subarray(second + 1) };
}

/**
 * Lays out and signs a directory the way signDirectory does but without its checks, to feed a desk
 * a bad directory; `editTable` may make the table lie about the payload before signing.
 */
function signUnchecked(d: DirectoryInput, editTable?: (table: DirectoryTable) => void): Buffer {
  const { clients, ...top } = d;
  let body = encodeBody(top, clients, { publisher: d.publisher, publishedAt: d.publishedAt, summaries: clients });
  if (editTable) {
    const newline = body.indexOf('\n');
    const table = JSON.parse(body.toString('utf8', 0, newline)) as DirectoryTable;
    editTable(table);
    body = Buffer.concat([Buffer.from(JSON.stringify(table)), body.subarray(newline)]);
  }
  return Buffer.concat([Buffer.from(bundleHeader(keyIdOf(admin.publicKeyPem), sign(null, body, admin.privateKeyPem))), body]);
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

  it('opens a bundle signed by the pinned admin key, names that key and indexes every client', () => {
    const opened = openBundle(signDirectory(JSON.stringify(directory()), admin.privateKeyPem), admin.publicKeyPem);
    expect(opened.keyId).toBe(keyIdOf(admin.publicKeyPem));
    expect(opened.keyId).toMatch(/^[0-9a-f]{32}$/);
    expect(opened.publisher).toBe('Generated test directory');
    expect(opened.index.size).toBe(6);
    expect(opened.index.didCount).toBe(18);
    expect(opened.index.summaries.map((c) => c.id)).toEqual(['client-0', 'client-1', 'client-2', 'client-3', 'client-4', 'client-5']);
    expect(opened.index.byId('client-0')?.language).toBe('ja'); // schema defaults applied
    expect(opened.index.byDid('03-0000-0300')?.id).toBe('client-3');
  });

  it('gives the whole schema-checked directory from the full check', () => {
    const source = directory();
    const { directory: checked } = openBundle(signDirectory(JSON.stringify(source), admin.privateKeyPem), admin.publicKeyPem, {
      full: true,
    });
    expect(checked).toEqual(Directory.parse(source));
  });

  it('accepts the bundle as bytes read from a file and as text', async () => {
    const bundle = signDirectory(JSON.stringify(directory()), admin.privateKeyPem);
    const path = join(dir, 'ok.kzdir');
    await writeFile(path, bundle);
    expect(openBundle(await readBundleFile(path), admin.publicKeyPem).index.size).toBe(6);
    expect(openBundle(bundle.toString('utf8'), admin.publicKeyPem, { full: true }).directory.clients).toHaveLength(6);
  });

  it('writes a header line, a one-line table and a payload that is the directory, each client at its range', () => {
    const source = directory();
    const { header, table, payload } = split(signDirectory(JSON.stringify(source, null, 2), admin.privateKeyPem));
    expect(header.toString()).toMatch(/^KOTOZUTE-DIRECTORY-BUNDLE 2 [0-9a-f]{32} [A-Za-z0-9+/]{86}==\n$/);
    expect(JSON.parse(payload.toString())).toEqual(source);
    const entries = (JSON.parse(table.toString()) as DirectoryTable).clients;
    entries.forEach((entry, i) => {
      expect(JSON.parse(payload.toString('utf8', entry.offset, entry.offset + entry.length))).toEqual(source.clients[i]);
      expect(entry).toMatchObject({ id: source.clients[i]?.id, dids: source.clients[i]?.dids });
    });
  });

  it('signs and opens a directory with no clients yet', () => {
    const empty = { ...directory(), clients: [] };
    const { index, directory: checked } = openBundle(signDirectory(JSON.stringify(empty), admin.privateKeyPem), admin.publicKeyPem, {
      full: true,
    });
    expect(index.size).toBe(0);
    expect(checked).toEqual(Directory.parse(empty));
  });

  it('refuses a bundle whose payload was altered after signing', () => {
    const bundle = signDirectory(JSON.stringify(directory()), admin.privateKeyPem);
    const tampered = Buffer.from(bundle.toString('utf8').replace('平日9時から18時', '平日9時から21時'));
    expect(tampered.equals(bundle)).toBe(false);
    expect(refusal(() => openBundle(tampered, admin.publicKeyPem)).message).toMatch(/altered after it was signed/);
  });

  it('refuses a bundle whose table was altered after signing', () => {
    const bundle = signDirectory(JSON.stringify(directory()), admin.privateKeyPem);
    // Point client-0's first number at client-1's entry: the same length, only the table changes.
    const text = bundle.toString('utf8');
    const tableStart = text.indexOf('\n') + 1;
    const table = text.slice(tableStart, text.indexOf('\n', tableStart));
    const tampered = Buffer.from(text.replace(table, table.replace('"id":"client-0"', '"id":"client-9"')));
    expect(tampered.equals(bundle)).toBe(false);
    expect(refusal(() => openBundle(tampered, admin.publicKeyPem)).message).toMatch(/altered after it was signed/);
  });

  it('refuses a bundle signed by another key and names both key ids', () => {
    const bundle = signDirectory(JSON.stringify(directory()), other.privateKeyPem);
    const err = refusal(() => openBundle(bundle, admin.publicKeyPem));
    expect(err.message).toContain(`signed by another key: ${keyIdOf(other.publicKeyPem)}`);
    expect(err.message).toContain(`this desk trusts ${keyIdOf(admin.publicKeyPem)}`);
  });

  it('refuses a bundle that claims the pinned key id but was signed by another key', () => {
    const bundle = signDirectory(JSON.stringify(directory()), other.privateKeyPem);
    const forged = Buffer.from(bundle.toString('utf8').replace(keyIdOf(other.publicKeyPem), keyIdOf(admin.publicKeyPem)));
    expect(refusal(() => openBundle(forged, admin.publicKeyPem)).message).toMatch(/signature does not match/);
  });

  describe('a schema violation deep in one client', () => {
    const d = directory();
    d.clients[3]!.answers[5]!.keywords.ja = ['送料', '配送料', 42 as unknown as string];
    const expected = 'clients[3] (id "client-3", 田中システムズ3): answers.5.keywords.ja.2: ';

    it('is refused by the signer, naming the JSON path and the client', () => {
      const err = refusal(() => signDirectory(JSON.stringify(d), admin.privateKeyPem));
      expect(err.message).toContain(expected);
      expect(err.message).toMatch(/expected string/);
    });

    it('is refused by the full check, naming the JSON path and the client', () => {
      const err = refusal(() => openBundle(signUnchecked(d), admin.publicKeyPem, { full: true }));
      expect(err.message).toMatch(/^The directory does not match the schema: /);
      expect(err.message).toContain(expected);
      expect(err.details[0]).toContain(expected);
    });

    it('is refused by the start-up check when that client is first used, every time, and only that client', () => {
      const { index } = openBundle(signUnchecked(d), admin.publicKeyPem);
      expect(index.size).toBe(6);
      expect(index.byId('client-2')?.id).toBe('client-2');
      for (const lookup of [() => index.byId('client-3'), () => index.byDid(d.clients[3]!.dids[0]!), () => index.byId('client-3')]) {
        const err = refusal(lookup);
        expect(err.message).toMatch(/^The directory does not match the schema: /);
        expect(err.message).toContain(expected);
      }
    });
  });

  it('refuses duplicate numbers across clients written differently at start-up, naming both clients and the number', () => {
    const d = directory();
    d.clients[1]!.dids[0] = '03-1234-5678';
    d.clients[4]!.dids[2] = '+81312345678';
    for (const err of [
      refusal(() => signDirectory(JSON.stringify(d), admin.privateKeyPem)),
      refusal(() => openBundle(signUnchecked(d), admin.publicKeyPem)),
    ]) {
      expect(err.message).toContain('03-1234-5678');
      expect(err.message).toContain('clients[1] (id "client-1", 鈴木通販1)');
      expect(err.message).toContain('clients[4] (id "client-4", 渡辺不動産4) as "+81312345678"');
    }
  });

  it('refuses a client whose entry says something other than its signed table entry', () => {
    const d = directory();
    const bundle = signUnchecked(d, (table) => {
      table.clients[2]!.dids = ['03-1234-5678']; // the index would send this number to client-2
    });
    const { index } = openBundle(bundle, admin.publicKeyPem);
    expect(refusal(() => index.byDid('03-1234-5678')).message).toMatch(
      /^The bundle's table does not match its payload: clients\[2\] \(id "client-2", 高橋クリニック2\): dids: /,
    );
    expect(refusal(() => openBundle(bundle, admin.publicKeyPem, { full: true })).message).toContain('clients[2] (id "client-2"');
  });

  it('refuses a table whose byte ranges do not match the payload', () => {
    const bundle = signUnchecked(directory(), (table) => {
      table.clients[4]!.offset += 1;
    });
    expect(refusal(() => openBundle(bundle, admin.publicKeyPem)).message).toMatch(
      /^The bundle's table does not match its payload: clients\[4\] \(id "client-4", 渡辺不動産4\) should start one comma after clients\[3\]/,
    );
  });

  it('refuses a table that breaks its schema, naming the client', () => {
    const bundle = signUnchecked(directory(), (table) => {
      table.clients[1]!.id = 'Not An Id';
    });
    expect(refusal(() => openBundle(bundle, admin.publicKeyPem)).message).toMatch(
      /^The bundle's table is malformed: clients\[1\] \(id "Not An Id", 鈴木通販1\): id: /,
    );
  });

  it('refuses a 60 MB file from its size, before reading or parsing it', async () => {
    const path = join(dir, 'huge.kzdir');
    await writeFile(path, '');
    await truncate(path, 60 * 1024 * 1024); // sparse: costs no disk, and is not a bundle
    await expect(readBundleFile(path)).rejects.toThrow(/it is 60\.0 MB; a bundle file may be at most 50\.0 MB/);
  });

  it('refuses 60 MB of bundle bytes handed over directly before parsing them', () => {
    const garbage = Buffer.alloc(60 * 1024 * 1024, 0x7b); // "{{{{…": a parser would say "not a bundle"
    expect(refusal(() => openBundle(garbage, admin.publicKeyPem)).message).toMatch(/60\.0 MB; bundles over 50\.0 MB/);
  });

  it('refuses a garbage header', () => {
    expect(refusal(() => openBundle('this is not a bundle', admin.publicKeyPem)).message).toMatch(
      /^This is not a Kotozute directory bundle: it should begin with "KOTOZUTE-DIRECTORY-BUNDLE 2", found "this is not a bundle"/,
    );
    expect(refusal(() => openBundle(Buffer.alloc(4096, 0x41), admin.publicKeyPem)).message).toMatch(/not a Kotozute directory bundle/);
  });

  it('refuses a header it cannot read, and a version it does not know', () => {
    const bundle = signDirectory(JSON.stringify(directory()), admin.privateKeyPem).toString('utf8');
    const [header = '', ...rest] = bundle.split('\n');
    const [magic, , keyId, signature] = header.split(' ');
    const withHeader = (h: string) => [h, ...rest].join('\n');
    expect(refusal(() => openBundle(withHeader(`${magic} 3 ${keyId} ${signature}`), admin.publicKeyPem)).message).toBe(
      'Bundle version 3 is not supported by this desk (it reads version 2).',
    );
    for (const h of [`${magic} 2 ${keyId}`, `${magic} 2 ${keyId} !!${signature?.slice(2)}`, `${magic} 2 ${keyId} ${signature} extra`]) {
      expect(refusal(() => openBundle(withHeader(h), admin.publicKeyPem)).message, h).toMatch(/header line is malformed/);
    }
    expect(refusal(() => openBundle(header, admin.publicKeyPem)).message).toMatch(/header line is malformed/);
  });

  it('tells the admin when an unsigned directory is loaded instead of a bundle', () => {
    expect(refusal(() => openBundle(JSON.stringify(directory(), null, 2), admin.publicKeyPem)).message).toMatch(/unsigned directory/);
  });

  it('refuses a signed payload whose inner format field is wrong', () => {
    const d = { ...directory(), format: 'kotozute-directory-v0' } as unknown as DirectoryInput;
    const err = refusal(() => openBundle(signUnchecked(d), admin.publicKeyPem));
    expect(err.message).toMatch(/^The directory does not match the schema: format: /);
  });

  it('refuses to sign a bundle again, or with something that is not an Ed25519 private key', () => {
    const bundle = signDirectory(JSON.stringify(directory()), admin.privateKeyPem);
    expect(refusal(() => signDirectory(bundle, admin.privateKeyPem)).message).toMatch(/already a signed bundle/);
    expect(() => signDirectory(JSON.stringify(directory()), 'not a key')).toThrow(/not a PEM key/);
  });
});
