/**
 * The vault's key hierarchy, as pure functions.
 *
 *   KEK (one per shift, in the OS keychain)
 *    └ wraps each note's own random 32-byte data key (AES-256-GCM, own nonce, AAD = note id)
 *        └ HKDF → content key: seals the call context and the fields (AES-256-GCM, nonce per write,
 *                              AAD = note id + part + revision)
 *        └ HKDF → meta key:    HMAC-SHA256 over the note's meta, so a state or date edited on disk
 *                              is caught (meta is not secret, but the desk acts on it)
 *
 * Separate subkeys rather than the data key itself for two jobs: one key, one purpose.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Ciphertext with its nonce and tag, base64 — how every sealed value is stored. */
export interface Sealed {
  iv: string;
  tag: string;
  data: string;
}

/** Thrown when a sealed value does not open: wrong key, altered bytes, or the wrong note or revision. */
export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

/** The keys one note needs while it is live. Zero them with `forgetNoteKeys` when it is wiped. */
export interface NoteKeys {
  content: Buffer;
  meta: Buffer;
}

export function checkKey(key: Buffer, what: string): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) throw new TypeError(`${what} must be ${KEY_BYTES} bytes`);
}

export function seal(plaintext: Buffer, key: Buffer, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

export function open(sealed: Sealed, key: Buffer, aad: string): Buffer {
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SealError('a nonce or tag of the wrong length');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
  } catch {
    throw new SealError('the sealed value failed its integrity check');
  }
}

/** A short fingerprint of a KEK, safe to store: tells "sealed under another shift's key" from damage. */
export function kekId(kek: Buffer): string {
  return Buffer.from(hkdfSync('sha256', kek, Buffer.alloc(0), 'kotozute-vault kek id v1', 8)).toString('base64');
}

const wrapAad = (noteId: string) => `kotozute-note key v1\0${noteId}`;
export const callAad = (noteId: string) => `kotozute-note call v1\0${noteId}`;
export const fieldsAad = (noteId: string, rev: number) => `kotozute-note fields v1\0${noteId}\0${rev}`;

/** A fresh random data key for a new note. */
export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function wrapDataKey(dataKey: Buffer, kek: Buffer, noteId: string): Sealed {
  return seal(dataKey, kek, wrapAad(noteId));
}

export function unwrapDataKey(wrapped: Sealed, kek: Buffer, noteId: string): Buffer {
  const key = open(wrapped, kek, wrapAad(noteId));
  if (key.length !== KEY_BYTES) throw new SealError('a wrapped data key of the wrong length');
  return key;
}

/** The content and meta subkeys of a data key. */
export function noteKeys(dataKey: Buffer): NoteKeys {
  const derive = (label: string) => Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), label, KEY_BYTES));
  return { content: derive('kotozute-note content v1'), meta: derive('kotozute-note meta v1') };
}

/** Best effort: the bytes are overwritten, though the JavaScript heap may have copied them before. */
export function forgetNoteKeys(keys: NoteKeys): void {
  keys.content.fill(0);
  keys.meta.fill(0);
}

export function macMeta(keys: NoteKeys, noteId: string, canonicalMeta: string): string {
  return createHmac('sha256', keys.meta).update(`kotozute-note meta v1\0${noteId}\0`).update(canonicalMeta).digest('base64');
}

export function checkMetaMac(keys: NoteKeys, noteId: string, canonicalMeta: string, mac: string): boolean {
  const expected = Buffer.from(macMeta(keys, noteId, canonicalMeta), 'base64');
  const given = Buffer.from(mac, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
