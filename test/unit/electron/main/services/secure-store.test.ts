import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openEncryptedStore, StoreError } from '../../../../../electron/main/services/secure-store.js';

const Note = z.object({ caller: z.string(), body: z.string() });

let dir: string;
let key: Buffer;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-secure-store-'));
  key = randomBytes(32);
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function sealedFile(name = 'vault'): Record<string, string | number> {
  return JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as Record<string, string | number>;
}

function writeSealedFile(fields: Record<string, string | number>, name = 'vault'): void {
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(fields), { mode: 0o600 });
}

/** Flips the lowest bit of one decoded byte of a base64 field. */
function flipByte(b64: string, index: number): string {
  const bytes = Buffer.from(b64, 'base64');
  bytes[index] = (bytes[index] ?? 0) ^ 1;
  return bytes.toString('base64');
}

function filesIn(folder: string): string[] {
  return fs
    .readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

/** The canary as it could appear on disk: UTF-8, UTF-16LE, and base64 at each of the 3 alignments. */
function canaryForms(canary: string): Buffer[] {
  const forms = [Buffer.from(canary, 'utf8'), Buffer.from(canary, 'utf16le')];
  for (const pad of ['', 'x', 'xy']) {
    const b64 = Buffer.from(pad + canary, 'utf8').toString('base64');
    // Drop the characters that also encode the padding bytes or the tail, keep the stable middle.
    const skip = pad.length === 0 ? 0 : pad.length + 1;
    forms.push(Buffer.from(b64.slice(skip, b64.length - 4), 'latin1'));
  }
  return forms;
}

function openQuarantined() {
  const opened = openEncryptedStore({ dir, name: 'vault', key });
  expect(opened.quarantined).not.toBeNull();
  return opened;
}

describe('encrypted store', () => {
  it('reads back what it stored after the store is reopened with the same key', () => {
    const first = openEncryptedStore({ dir, name: 'vault', key });
    expect(first.quarantined).toBeNull();
    first.store.set('note', { caller: '山田様', body: '折り返しお願いします' });

    const again = openEncryptedStore({ dir, name: 'vault', key });
    expect(again.quarantined).toBeNull();
    expect(again.store.get('note', Note)).toEqual({ caller: '山田様', body: '折り返しお願いします' });
    expect(again.store.path).toBe(path.join(dir, 'vault.json'));
  });

  it('writes the sealed format with a fresh 12-byte nonce on every write', () => {
    const { store } = openEncryptedStore({ dir, name: 'vault', key });
    store.set('a', 1);
    const one = sealedFile();
    store.set('a', 1);
    const two = sealedFile();

    expect(one).toMatchObject({ format: 'kotozute-sealed', v: 1, alg: 'AES-256-GCM' });
    expect(Buffer.from(String(one.iv), 'base64')).toHaveLength(12);
    expect(Buffer.from(String(one.tag), 'base64')).toHaveLength(16);
    expect(two.iv).not.toBe(one.iv);
    expect(two.data).not.toBe(one.data);
  });

  it('keeps the store file private (mode 0600), and makes a widened file private again', () => {
    const { store } = openEncryptedStore({ dir, name: 'vault', key });
    store.set('a', 'b');
    const file = path.join(dir, 'vault.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    fs.chmodSync(file, 0o644);
    openEncryptedStore({ dir, name: 'vault', key });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('never lets plaintext reach the disk, in keys or values, in any encoding', () => {
    const canary = `canary-${randomBytes(9).toString('hex')}-電話`;
    const { store } = openEncryptedStore({ dir, name: 'vault', key });
    store.set('note', { caller: canary, body: `${canary} ${canary}` });
    store.set(`key-${canary}`, canary);
    store.set('list', [canary, { nested: canary }]);
    store.delete('list');
    store.set('later', canary);

    const files = filesIn(dir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      for (const form of canaryForms(canary)) {
        expect(bytes.includes(form), `${path.basename(file)} holds the canary (${form.toString('latin1')})`).toBe(false);
      }
    }
    // And the scan itself works: the same forms are found in a file that does hold the canary.
    const probe = Buffer.concat([Buffer.from(canary, 'utf16le'), Buffer.from(Buffer.from(`x${canary}`).toString('base64'))]);
    const found = canaryForms(canary).filter((f) => probe.includes(f));
    expect(found.length).toBe(2);
  });

  it('moves a file with one altered byte of data aside, reports it, and opens empty', () => {
    const first = openEncryptedStore({ dir, name: 'vault', key });
    first.store.set('note', { caller: 'a', body: 'b' });
    const sealed = sealedFile();
    writeSealedFile({ ...sealed, data: flipByte(String(sealed.data), 3) });
    const damaged = fs.readFileSync(path.join(dir, 'vault.json'));

    const { store, quarantined } = openQuarantined();
    expect(quarantined?.reason).toMatch(/integrity check/);
    expect(path.basename(quarantined?.movedTo ?? '')).toMatch(/^vault\.corrupt-.+\.json$/);
    expect(fs.readFileSync(quarantined?.movedTo ?? '')).toEqual(damaged);
    expect(fs.statSync(quarantined?.movedTo ?? '').mode & 0o777).toBe(0o600);
    expect(store.get('note', Note)).toBeUndefined();
  });

  it('moves a file with an altered authentication tag aside', () => {
    openEncryptedStore({ dir, name: 'vault', key }).store.set('a', 'b');
    const sealed = sealedFile();
    writeSealedFile({ ...sealed, tag: flipByte(String(sealed.tag), 0) });

    const { quarantined } = openQuarantined();
    expect(quarantined?.reason).toMatch(/integrity check/);
    expect(fs.existsSync(quarantined?.movedTo ?? '')).toBe(true);
  });

  it('moves a truncated file aside, saying it is not complete JSON', () => {
    openEncryptedStore({ dir, name: 'vault', key }).store.set('a', 'b');
    const file = path.join(dir, 'vault.json');
    const whole = fs.readFileSync(file);
    fs.writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));

    const { store, quarantined } = openQuarantined();
    expect(quarantined?.reason).toMatch(/not valid JSON/);
    expect(fs.readFileSync(quarantined?.movedTo ?? '')).toEqual(whole.subarray(0, Math.floor(whole.length / 2)));
    // The new store is written beside the quarantined one, not over it.
    store.set('fresh', 1);
    expect(filesIn(dir).map((f) => path.basename(f)).sort()).toEqual([path.basename(quarantined?.movedTo ?? ''), 'vault.json'].sort());
  });

  it('moves a file sealed with another key aside, saying the key is different', () => {
    openEncryptedStore({ dir, name: 'vault', key: randomBytes(32) }).store.set('a', 'b');
    const { quarantined } = openQuarantined();
    expect(quarantined?.reason).toMatch(/sealed with a different key/);
    expect(fs.existsSync(quarantined?.movedTo ?? '')).toBe(true);
  });

  it('refuses a file copied over from another store name (the name is bound into the seal)', () => {
    openEncryptedStore({ dir, name: 'directory', key }).store.set('a', 'b');
    fs.copyFileSync(path.join(dir, 'directory.json'), path.join(dir, 'vault.json'));
    const { quarantined } = openQuarantined();
    expect(quarantined?.reason).toMatch(/integrity check/);
  });

  it('moves a plain JSON file that is not a sealed store aside', () => {
    fs.writeFileSync(path.join(dir, 'vault.json'), JSON.stringify({ note: 'plain' }));
    const { quarantined } = openQuarantined();
    expect(quarantined?.reason).toMatch(/not a sealed Kotozute store/);
  });

  it('keeps every quarantined file when damage happens more than once', () => {
    fs.writeFileSync(path.join(dir, 'vault.json'), '{broken 0');
    openQuarantined();
    fs.writeFileSync(path.join(dir, 'vault.json'), '{broken 1');
    openQuarantined();
    const kept = filesIn(dir).filter((f) => path.basename(f).startsWith('vault.corrupt-'));
    expect(kept).toHaveLength(2);
    expect(kept.map((f) => fs.readFileSync(f, 'utf8')).sort()).toEqual(['{broken 0', '{broken 1']);
  });

  it('refuses to write over a file that was damaged while the store was open', () => {
    const { store } = openEncryptedStore({ dir, name: 'vault', key });
    store.set('a', 'b');
    const file = path.join(dir, 'vault.json');
    fs.writeFileSync(file, '{"damaged": true');
    expect(() => store.set('c', 'd')).toThrow(StoreError);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"damaged": true');
  });

  it('rejects a stored value that does not match the schema, naming the key but not the value', () => {
    const { store } = openEncryptedStore({ dir, name: 'vault', key });
    store.set('note', { caller: 'secret-caller', body: 42 });
    const read = () => store.get('note', Note);
    expect(read).toThrow(StoreError);
    expect(read).toThrow(/"note"/);
    expect(read).not.toThrow(/secret-caller/);
  });

  it('deletes a key when set to undefined, and empties on clear', () => {
    const { store } = openEncryptedStore({ dir, name: 'vault', key });
    store.set('a', 'x');
    store.set('b', 'y');
    store.set('a', undefined);
    expect(store.get('a', z.string())).toBeUndefined();
    store.clear();
    expect(store.get('b', z.string())).toBeUndefined();
    expect(openEncryptedStore({ dir, name: 'vault', key }).store.get('b', z.string())).toBeUndefined();
  });

  it('reports an unreadable store path as an input/output error without moving anything', () => {
    fs.mkdirSync(path.join(dir, 'vault.json'));
    let caught: unknown;
    try {
      openEncryptedStore({ dir, name: 'vault', key });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StoreError);
    expect((caught as StoreError).reason).toBe('io');
    expect(fs.statSync(path.join(dir, 'vault.json')).isDirectory()).toBe(true);
  });

  it('answers an input/output error for a store path that is a FIFO, at once, without moving it', () => {
    execFileSync('mkfifo', [path.join(dir, 'vault.json')]);
    expect(() => openEncryptedStore({ dir, name: 'vault', key })).toThrow(expect.objectContaining({ reason: 'io', message: expect.stringMatching(/a FIFO/) }));
    expect(fs.statSync(path.join(dir, 'vault.json')).isFIFO()).toBe(true);
  });

  it('quarantines a store file over 256 MB unread, and opens empty', () => {
    const file = path.join(dir, 'vault.json');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 256 * 1024 * 1024 + 1); // sparse: costs no disk
    const { store, quarantined } = openEncryptedStore({ dir, name: 'vault', key });
    expect(quarantined?.reason).toMatch(/a store file may be at most 256\.0 MB/);
    expect(store.get('a', z.string())).toBeUndefined();
  });

  it('refuses a key that is not 32 bytes and a relative folder', () => {
    expect(() => openEncryptedStore({ dir, name: 'vault', key: randomBytes(16) })).toThrow(/32 bytes/);
    expect(() => openEncryptedStore({ dir: 'relative', name: 'vault', key })).toThrow(/absolute/);
    expect(() => openEncryptedStore({ dir, name: '../escape', key })).toThrow(/store name/);
  });
});
