import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateAdminKeyPair, keyIdOf, parseAdminPublicKey } from '../../../../../../electron/main/services/directory/admin-key.js';
import { ApiError } from '../../../../../../shared/ipc/errors.js';

const admin = generateAdminKeyPair();

function refusal(pem: string, source = 'admin.key'): ApiError {
  try {
    parseAdminPublicKey(pem, source);
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('the key was accepted');
}

/** The base64 body of a PEM: what must never appear in an error. */
const bodyOf = (pem: string) => pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----')).join('');

describe('parseAdminPublicKey', () => {
  it('accepts the admin public key (SPKI Ed25519) and gives the same key id as its private half', () => {
    const key = parseAdminPublicKey(admin.publicKeyPem, 'admin.pub');
    expect(key.type).toBe('public');
    expect(keyIdOf(admin.publicKeyPem)).toMatch(/^[0-9a-f]{32}$/);
  });

  const privates: Record<string, () => string> = {
    'an Ed25519 PKCS#8 private key': () => admin.privateKeyPem,
    'an encrypted PKCS#8 private key': () =>
      generateKeyPairSync('ed25519', {
        privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }).privateKey,
    'an RSA PKCS#1 private key': () =>
      generateKeyPairSync('rsa', {
        modulusLength: 1024,
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }).privateKey,
    'an EC SEC1 private key': () =>
      generateKeyPairSync('ec', {
        namedCurve: 'P-256',
        privateKeyEncoding: { type: 'sec1', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }).privateKey,
    'a public key followed by the private key in one file': () => admin.publicKeyPem + admin.privateKeyPem,
  };
  for (const [what, make] of Object.entries(privates)) {
    it(`refuses ${what}, naming the source and saying it is a private key, without quoting it`, () => {
      const pem = make();
      const err = refusal(pem, '--pub admin.key');
      expect(err.code).toBe('invalid-argument');
      expect(err.message).toMatch(/^--pub admin\.key holds a private key, not the admin's public key/);
      expect(err.details).toEqual(['--pub admin.key: a private key was given where the public key is expected']);
      expect(JSON.stringify(err.toInfo())).not.toContain(bodyOf(pem).slice(0, 40));
    });
  }

  it('refuses keyIdOf on a private key too (it used to give the id of the public half)', () => {
    expect(() => keyIdOf(admin.privateKeyPem)).toThrow(/holds a private key/);
  });

  it('refuses a public key that is not Ed25519 and text that is not a key, naming the field in the details', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    expect(refusal(rsa.publicKey, 'adminPublicKey').message).toBe('adminPublicKey is a rsa key, not Ed25519.');
    const err = (() => {
      try {
        parseAdminPublicKey('not a key', 'the key', 'adminPublicKey');
      } catch (e) {
        return e as ApiError;
      }
      throw new Error('accepted');
    })();
    expect(err.message).toBe('the key is not a PEM public key file.');
    expect(err.details).toEqual(['adminPublicKey: not a PEM public key']);
  });
});
