/**
 * The keychain wrapper against a real gnome-keyring over the Secret Service (run under
 * test/support/with-keyring.sh), including a locked keyring, a frozen daemon, and desktops with
 * no Secret Service at all.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createKeytarKeyStore,
  getOrCreateKey,
  KeychainError,
  probeKeychain,
} from '../../../electron/main/services/keychain.js';
import {
  FREEZE_KEYRING,
  keyringReady,
  LOCK_DEFAULT_COLLECTION,
  notReadyMessage,
  runInSession,
  THAW_KEYRING,
  THAW_KEYRING_FROM_CHILD,
} from './keychain-child.js';

if (!keyringReady) console.warn(`keychain integration tests ${notReadyMessage}`);

// A service name of its own, so parallel test files never see each other's entries.
const service = `Kotozute-test-${randomUUID()}`;
const store = createKeytarKeyStore({ service, timeoutMs: 3000 });
const CHILD_TIMEOUT = 25_000;

/** The error a promise rejects with, for checking its reason and message together. */
async function failureOf(promise: Promise<unknown>): Promise<KeychainError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof KeychainError) return err;
    throw err;
  }
  throw new Error('expected the keychain call to fail');
}

describe.skipIf(!keyringReady)(`OS keychain (real gnome-keyring)${keyringReady ? '' : ` — ${notReadyMessage}`}`, () => {
  afterAll(async () => {
    for (const account of ['round-trip', 'shift-key', 'not-a-key']) await store.delete(account);
  });

  it('stores, reads back and deletes a secret', async () => {
    expect(await store.get('round-trip')).toBeNull();
    await store.set('round-trip', 'パスワード-secret-1');
    expect(await store.get('round-trip')).toBe('パスワード-secret-1');
    await store.set('round-trip', 'secret-2');
    expect(await store.get('round-trip')).toBe('secret-2');
    expect(await store.delete('round-trip')).toBe(true);
    expect(await store.get('round-trip')).toBeNull();
    expect(await store.delete('round-trip')).toBe(false);
  });

  it('keeps secrets of different service names apart', async () => {
    const other = createKeytarKeyStore({ service: `${service}-other`, timeoutMs: 3000 });
    await store.set('round-trip', 'mine');
    expect(await other.get('round-trip')).toBeNull();
    await store.delete('round-trip');
  });

  it('creates a 32-byte key once and returns the same key on every later call', async () => {
    const first = await getOrCreateKey(store, 'shift-key');
    const second = await getOrCreateKey(store, 'shift-key');
    const fromAnotherStoreObject = await getOrCreateKey(createKeytarKeyStore({ service }), 'shift-key');
    expect(first).toHaveLength(32);
    expect(second.equals(first)).toBe(true);
    expect(fromAnotherStoreObject.equals(first)).toBe(true);
    expect(await store.get('shift-key')).toBe(first.toString('base64'));
  });

  it('refuses to replace an entry that is not a key, and leaves it as it was', async () => {
    await store.set('not-a-key', 'hunter2');
    const failure = await failureOf(getOrCreateKey(store, 'not-a-key'));
    expect(failure.reason).toBe('failed');
    expect(failure.message).toMatch(/not a 32-byte key/);
    expect(await store.get('not-a-key')).toBe('hunter2');
  });

  it('reports a working keychain and leaves no probe entry behind', async () => {
    expect(await probeKeychain(store)).toEqual({ ok: true });
    expect(await store.get('kotozute-keychain-probe')).toBeNull();
  });

  it('says the keyring is locked when it is, and creates no key', { timeout: CHILD_TIMEOUT }, () => {
    const { value } = runInSession(
      { kind: 'private-keyring', before: LOCK_DEFAULT_COLLECTION },
      `
      const store = keychain.createKeytarKeyStore({ timeoutMs: 3000 });
      const failure = async (p: Promise<unknown>) => p.then(() => null, (e: keychain.KeychainError) => ({ reason: e.reason, message: e.message }));
      print({
        set: await failure(store.set('a', 'b')),
        key: await failure(keychain.getOrCreateKey(store, 'shift-key')),
        probe: await keychain.probeKeychain(store),
      });
      `,
    );
    const locked = { reason: 'locked', message: expect.stringMatching(/keyring is locked/) };
    expect(value).toEqual({ set: locked, key: locked, probe: { ok: false, ...locked } });
  });

  it('gives up on a keychain that does not answer, within the timeout', { timeout: CHILD_TIMEOUT }, () => {
    const { value } = runInSession(
      { kind: 'private-keyring', before: FREEZE_KEYRING, after: THAW_KEYRING },
      `
      const store = keychain.createKeytarKeyStore({ timeoutMs: 300 });
      const failure = await store.get('a').then(() => null, (e: keychain.KeychainError) => ({ reason: e.reason, message: e.message }));
      const probe = await keychain.probeKeychain(store);
      ${THAW_KEYRING_FROM_CHILD}
      print({ failure, probe });
      `,
    );
    const timedOut = { reason: 'timeout', message: 'The keychain did not answer in 0.3 s.' };
    // The timeout's own reason and words: the store gave up itself rather than hanging on the keyring.
    expect(value).toMatchObject({ failure: timedOut, probe: { ok: false, ...timedOut } });
  });

  for (const kind of ['bus-without-keyring', 'no-bus'] as const) {
    it(`says there is no Secret Service (${kind}), and offers no plaintext fallback`, { timeout: CHILD_TIMEOUT }, () => {
      const { value } = runInSession(
        { kind },
        `
        const store = keychain.createKeytarKeyStore({ timeoutMs: 3000 });
        const failure = async (p: Promise<unknown>) => p.then((v) => ({ value: String(v) }), (e: keychain.KeychainError) => ({ reason: e.reason, message: e.message }));
        print({
          get: await failure(store.get('a')),
          set: await failure(store.set('a', 'b')),
          key: await failure(keychain.getOrCreateKey(store, 'shift-key')),
          probe: await keychain.probeKeychain(store),
        });
        `,
      );
      const missing = { reason: 'no-secret-service', message: expect.stringMatching(/no Secret Service on this desktop/) };
      expect(value).toEqual({ get: missing, set: missing, key: missing, probe: { ok: false, ...missing } });
    });
  }
});
