/**
 * Ed25519 keys as the roster and the floor write them: the raw 32-byte public key and the 32-byte
 * private seed, base64url. Node's crypto does the work; these helpers only convert (through JWK,
 * which carries exactly those raw bytes).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/** A freshly generated key pair. */
export function generateEd25519(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ed25519');
}

/** The raw public key, base64url (43 characters). */
export function publicKeyText(key: KeyObject): string {
  const jwk = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return jwk.x;
}

/** The private seed, 32 bytes. */
export function privateSeed(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string') throw new Error('not an Ed25519 private key');
  return Buffer.from(jwk.d, 'base64url');
}

/** The private key for a 32-byte seed. */
export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  // The PKCS#8 DER of an Ed25519 key is a fixed 16-byte prefix and the seed (RFC 8410).
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seed)]);
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return key;
}

/** The public key for its base64url text; throws when it is not 32 bytes. */
export function publicKeyFromText(text: string): KeyObject {
  const raw = Buffer.from(text, 'base64url');
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

export function signBytes(key: KeyObject, bytes: Uint8Array): Buffer {
  return sign(null, bytes, key);
}

export function verifyBytes(key: KeyObject, bytes: Uint8Array, signature: Uint8Array): boolean {
  return signature.length === 64 && verify(null, bytes, key, signature);
}
