import { describe, expect, it } from 'vitest';
import { generateEd25519, publicKeyText } from '../../../../../../electron/main/services/roster/ed25519.js';
import { enrolmentString, fingerprint, readEnrolment } from '../../../../../../electron/main/services/roster/desk-key.js';
import { keychainNamespace, namespacedAccount } from '../../../../../../electron/main/services/keychain-namespace.js';

describe('desk identity', () => {
  const publicKey = publicKeyText(generateEd25519().publicKey);

  it('fingerprints a key as 32 hex digits in groups of four, different for another key', () => {
    expect(fingerprint(publicKey)).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
    expect(fingerprint(publicKeyText(generateEd25519().publicKey))).not.toBe(fingerprint(publicKey));
  });

  it('reads back the enrolment string it writes, and nothing else', () => {
    const text = enrolmentString({ name: 'desk-07', sipUri: 'sip:desk-07@pbx.example.test', publicKey });
    expect(text).toMatch(/^kotozute-desk:[A-Za-z0-9_-]+$/);
    expect(readEnrolment(` ${text}\n`)).toEqual({ v: 1, name: 'desk-07', sipUri: 'sip:desk-07@pbx.example.test', publicKey });
    expect(readEnrolment(enrolmentString({ name: 'desk', publicKey }))?.sipUri).toBeUndefined();
    expect(readEnrolment('kotozute-desk:e30')).toBeNull();
    expect(readEnrolment(publicKey)).toBeNull();
  });

  it('names keychain accounts per data directory', () => {
    const a = keychainNamespace('/home/op/.config/Kotozute');
    expect(a).toMatch(/^[0-9a-f]{12}$/);
    expect(keychainNamespace('/home/op/.config/Kotozute/')).toBe(a);
    expect(keychainNamespace('/tmp/desk-b')).not.toBe(a);
    expect(namespacedAccount('desk-store-key', a)).toBe(`desk-store-key@${a}`);
  });
});
