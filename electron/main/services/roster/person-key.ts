/**
 * A person's key as the roster stores it: the Ed25519 seed, AES-256-GCM under a key derived from
 * their PIN or passphrase with scrypt (the roster's parameters). Unwrapping is the sign-in check: a
 * wrong secret fails the GCM tag; there is no separate password hash.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt, type KeyObject } from 'node:crypto';
import type { RosterPerson, ScryptParams, SecretKind } from '../../../../shared/roster/schema.js';
import { generateEd25519, privateKeyFromSeed, privateSeed, publicKeyText } from './ed25519.js';

type PersonSecret = RosterPerson['secret'];

/** scrypt with the roster's parameters (maxmem sized for them). Async: ~100 ms must not block. */
export function deriveWrappingKey(secret: string, salt: Buffer, kdf: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFKC'), salt, 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** A new key pair for a person, its private half wrapped by their secret. */
export async function createPersonKey(
  secret: string,
  kind: SecretKind,
  kdf: ScryptParams,
): Promise<{ publicKey: string; secret: PersonSecret }> {
  const { privateKey } = generateEd25519();
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const wrappingKey = await deriveWrappingKey(secret, salt, kdf);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey, iv);
  const wrapped = Buffer.concat([cipher.update(privateSeed(privateKey)), cipher.final()]);
  return {
    publicKey: publicKeyText(privateKey),
    secret: {
      kind,
      salt: salt.toString('base64url'),
      iv: iv.toString('base64url'),
      wrappedKey: wrapped.toString('base64url'),
      tag: cipher.getAuthTag().toString('base64url'),
    },
  };
}

/**
 * The person's private key when `secret` is theirs, else null. Also null if the unwrapped key does
 * not match the roster's public key (a roster edited by hand).
 */
export async function unwrapPersonKey(person: RosterPerson, secret: string, kdf: ScryptParams): Promise<KeyObject | null> {
  const wrappingKey = await deriveWrappingKey(secret, Buffer.from(person.secret.salt, 'base64url'), kdf);
  try {
    const decipher = createDecipheriv('aes-256-gcm', wrappingKey, Buffer.from(person.secret.iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(person.secret.tag, 'base64url'));
    const seed = Buffer.concat([decipher.update(Buffer.from(person.secret.wrappedKey, 'base64url')), decipher.final()]);
    const key = privateKeyFromSeed(seed);
    seed.fill(0);
    return publicKeyText(key) === person.publicKey ? key : null;
  } catch {
    return null;
  }
}
