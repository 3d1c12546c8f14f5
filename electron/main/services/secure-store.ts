/**
 * The encrypted store: a `conf` store (electron-store's base, so no 'electron' import here) whose
 * file is sealed with AES-256-GCM under a key from the OS keychain.
 *
 * Why not conf's own `encryptionKey`: that is obfuscation (aes-256-cbc, key derived in the app),
 * not authentication. Here every write gets a fresh 12-byte nonce, the store name is bound in as
 * additional data (a file copied over another store's name fails), and a file that was altered,
 * cut short or sealed under another key is moved aside and reported — never reset in place.
 * Only ciphertext is handed to conf's atomic writer, so no plaintext ever reaches the disk.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { z } from 'zod';
import { FileRefused, readBoundedTextSync } from './fs/bounded-read.js';
import { moveToFreeName } from './fs/move-aside.js';
import { describeEach } from '../../../shared/ipc/errors.js';

/** Why a store file could not be used. */
export type StoreErrorReason = 'corrupt' | 'wrong-key' | 'io';

export class StoreError extends Error {
  constructor(
    readonly reason: StoreErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** A store file that could not be opened and was moved aside, kept for inspection or recovery. */
export interface Quarantine {
  movedTo: string;
  /** The cause as a phrase, e.g. "the file failed its integrity check (it was altered or damaged)". */
  reason: string;
}

/** Keys to values, every value sealed at rest. Reads are validated against the caller's schema. */
export interface EncryptedStore {
  readonly path: string;
  get<T>(key: string, schema: z.ZodType<T>): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  clear(): void;
}

const FORMAT = 'kotozute-sealed';
const ALG = 'AES-256-GCM';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FILE_MODE = 0o600;
const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/i;

/** Strict base64: what decodes must encode back to the same text, so no byte is silently dropped. */
const Base64 = z.string().refine((s) => Buffer.from(s, 'base64').toString('base64') === s, 'not base64');

const SealedFile = z.object({
  format: z.literal(FORMAT),
  v: z.literal(1),
  alg: z.literal(ALG),
  /** A short fingerprint of the key, so "sealed under another key" is told apart from tampering. */
  kid: Base64,
  iv: Base64,
  tag: Base64,
  data: Base64,
});

/**
 * A fingerprint derived from the key (HKDF, its own label), safe to store: it reveals nothing about
 * the key and lets a read say "wrong key" instead of "damaged".
 */
function keyId(key: Buffer): string {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'kotozute-sealed key id v1', 8)).toString('base64');
}

function seal(plaintext: string, key: Buffer, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return JSON.stringify({
    format: FORMAT,
    v: 1,
    alg: ALG,
    kid: keyId(key),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  });
}

function unseal(text: string, key: Buffer, aad: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StoreError('corrupt', 'the file is not valid JSON (it was cut short or damaged)');
  }
  const parsed = SealedFile.safeParse(json);
  if (!parsed.success) {
    const where = describeEach(parsed.error.issues, (i) => i.path.join('.') || '(file)').join(', ');
    throw new StoreError('corrupt', `the file is not a sealed Kotozute store (bad fields: ${where})`);
  }
  const sealed = parsed.data;
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new StoreError('corrupt', 'the file has a nonce or tag of the wrong length (it was altered or damaged)');
  }
  if (sealed.kid !== keyId(key)) {
    throw new StoreError(
      'wrong-key',
      'the file was sealed with a different key (the key in the OS keychain was replaced or lost)',
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new StoreError('corrupt', 'the file failed its integrity check (it was altered or damaged)');
  }
}

function parseStore(plaintext: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(plaintext);
  } catch {
    throw new StoreError('corrupt', 'the file decrypted but does not hold a store');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new StoreError('corrupt', 'the file decrypted but does not hold a store');
  }
  return value as Record<string, unknown>;
}

function ioError(what: string, err: unknown): StoreError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  return new StoreError('io', `${what} (${code})`);
}

/**
 * Moves an unreadable file aside as `<name>.corrupt-<timestamp>.json` (mode 0600), never over an
 * existing file, so the evidence and any chance of recovery are kept.
 */
export function quarantineFile(file: string, name: string, reason: string): Quarantine {
  const dir = path.dirname(file);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let target: string | null;
  try {
    target = moveToFreeName(file, (n) => path.join(dir, `${name}.corrupt-${stamp}${n === 0 ? '' : `-${n}`}.json`));
    if (target !== null) fs.chmodSync(target, FILE_MODE);
  } catch (err) {
    throw ioError(`could not move the unreadable store file ${file} aside`, err);
  }
  if (target === null) throw new StoreError('io', `could not find a free name to move ${file} aside`);
  return { movedTo: target, reason };
}

/**
 * Opens (or creates) the sealed store `<dir>/<name>.json`. A file that cannot be opened with this
 * key is quarantined and reported through `quarantined`, and the store opens empty.
 * Throws StoreError('io') when the file exists but cannot be read at all (permissions, a folder).
 */
export function openEncryptedStore(opts: { dir: string; name: string; key: Buffer }): {
  store: EncryptedStore;
  quarantined: Quarantine | null;
} {
  const { dir, name } = opts;
  if (!path.isAbsolute(dir)) throw new TypeError(`the store folder must be an absolute path, got "${dir}"`);
  if (!NAME.test(name)) throw new TypeError(`a store name is letters, digits and dashes, got "${name}"`);
  if (!Buffer.isBuffer(opts.key) || opts.key.length !== KEY_BYTES) {
    throw new TypeError(`the store key must be ${KEY_BYTES} bytes`);
  }
  // A private copy: a caller wiping or reusing its buffer must not change the store's key.
  const key = Buffer.from(opts.key);
  const file = path.join(dir, `${name}.json`);

  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw ioError(`could not create the store folder ${dir}`, err);
  }

  let quarantined: Quarantine | null = null;
  let existing: string | null;
  try {
    existing = readIfPresent(file);
  } catch (err) {
    if (!(err instanceof StoreError) || err.reason !== 'corrupt') throw err;
    quarantined = quarantineFile(file, name, err.message);
    existing = null;
  }
  if (existing !== null) {
    try {
      parseStore(unseal(existing, key, name));
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      quarantined = quarantineFile(file, name, err.message);
    }
    if (!quarantined) {
      // Ciphertext only, but still nobody else's business: put back a mode someone widened.
      try {
        fs.chmodSync(file, FILE_MODE);
      } catch (err) {
        throw ioError(`could not make the store file ${file} private`, err);
      }
    }
  }

  let conf: Conf<Record<string, unknown>>;
  try {
    conf = new Conf<Record<string, unknown>>({
      cwd: dir,
      configName: name,
      fileExtension: 'json',
      configFileMode: FILE_MODE,
      clearInvalidConfig: false,
      accessPropertiesByDotNotation: false,
      cache: true,
      watch: false,
      serialize: (value) => seal(JSON.stringify(value), key, name),
      deserialize: (text) => parseStore(unseal(text, key, name)),
    });
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw ioError(`could not open the store file ${file}`, err);
  }

  const store: EncryptedStore = {
    path: conf.path,
    get<T>(k: string, schema: z.ZodType<T>): T | undefined {
      const raw: unknown = conf.get(k);
      if (raw === undefined) return undefined;
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        // Paths and codes only: a zod message must not carry a stored (secret) value into a log.
        const issues = describeEach(parsed.error.issues, (i) => `${i.path.join('.') || '(value)'}: ${i.code}`).join('; ');
        throw new StoreError('corrupt', `the stored value "${k}" in "${name}" is not what the desk expects (${issues})`);
      }
      return parsed.data;
    },
    set(k, value) {
      if (value === undefined) conf.delete(k);
      else conf.set(k, value);
    },
    delete(k) {
      conf.delete(k);
    },
    clear() {
      conf.clear();
    },
  };
  return { store, quarantined };
}

/**
 * The store file's text, read capped (FILE_LIMITS.store); null when there is none. Something that is
 * not a regular file is an input/output error (nothing is moved); one over the cap, or changing
 * while read, is 'corrupt' and is quarantined like any file that does not open.
 */
function readIfPresent(file: string): string | null {
  try {
    return readBoundedTextSync(file, { kind: 'store' });
  } catch (err) {
    if (!(err instanceof FileRefused)) throw ioError(`could not read the store file ${file}`, err);
    if (err.reason === 'missing') return null;
    if (err.reason === 'too-large' || err.reason === 'changed') throw new StoreError('corrupt', err.message);
    throw new StoreError('io', err.message);
  }
}
