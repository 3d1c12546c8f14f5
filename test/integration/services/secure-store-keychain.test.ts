/**
 * The encrypted store with its key held by a real gnome-keyring (run under
 * test/support/with-keyring.sh): what a desk does at every start.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createKeytarKeyStore, getOrCreateKey } from '../../../electron/main/services/keychain.js';
import { openEncryptedStore } from '../../../electron/main/services/secure-store.js';
import { keyringReady, LOCK_DEFAULT_COLLECTION, notReadyMessage, runInSession } from './keychain-child.js';

if (!keyringReady) console.warn(`secure store + keychain integration tests ${notReadyMessage}`);

const service = `Kotozute-test-${randomUUID()}`;
const keys = createKeytarKeyStore({ service, timeoutMs: 3000 });
const ACCOUNT = 'store-key';
const Message = z.object({ client: z.string(), text: z.string() });

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-store-keychain-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What the desk does at start: the key from the keychain, then the store it opens. */
async function openDeskStore() {
  const key = await getOrCreateKey(keys, ACCOUNT);
  return { key, ...openEncryptedStore({ dir, name: 'vault', key }) };
}

describe.skipIf(!keyringReady)(`encrypted store keyed from the OS keychain${keyringReady ? '' : ` — ${notReadyMessage}`}`, () => {
  afterAll(async () => {
    await keys.delete(ACCOUNT);
  });

  it('reads back, after a restart, what it sealed with the key from the keychain', async () => {
    const first = await openDeskStore();
    first.store.set('message', { client: '佐藤法律事務所', text: '明日10時に折り返し' });

    const again = await openDeskStore();
    expect(again.key.equals(first.key)).toBe(true);
    expect(again.quarantined).toBeNull();
    expect(again.store.get('message', Message)).toEqual({ client: '佐藤法律事務所', text: '明日10時に折り返し' });
  });

  it('keeps the key in the keychain only, never beside the store', async () => {
    const { key, store } = await openDeskStore();
    store.set('a', 'b');
    const forms = [key, Buffer.from(key.toString('base64')), Buffer.from(key.toString('hex'))];
    for (const name of fs.readdirSync(dir)) {
      const bytes = fs.readFileSync(path.join(dir, name));
      for (const form of forms) expect(bytes.includes(form)).toBe(false);
    }
  });

  it('quarantines the store, keeping the file, when the keychain key was lost and replaced', async () => {
    const first = await openDeskStore();
    first.store.set('message', { client: 'a', text: 'b' });
    const sealedBytes = fs.readFileSync(first.store.path);

    await keys.delete(ACCOUNT);
    const after = await openDeskStore();
    expect(after.key.equals(first.key)).toBe(false);
    expect(after.quarantined?.reason).toMatch(/sealed with a different key/);
    expect(fs.readFileSync(after.quarantined?.movedTo ?? '')).toEqual(sealedBytes);
    expect(after.store.get('message', Message)).toBeUndefined();

    // Put the old key back: the quarantined file opens again, so nothing was lost.
    await keys.set(ACCOUNT, first.key.toString('base64'));
    const recoveredDir = path.join(dir, 'recovered');
    fs.mkdirSync(recoveredDir);
    fs.copyFileSync(after.quarantined?.movedTo ?? '', path.join(recoveredDir, 'vault.json'));
    const recovered = openEncryptedStore({ dir: recoveredDir, name: 'vault', key: await getOrCreateKey(keys, ACCOUNT) });
    expect(recovered.quarantined).toBeNull();
    expect(recovered.store.get('message', Message)).toEqual({ client: 'a', text: 'b' });
  });

  it('writes nothing at all when the keychain is missing, rather than falling back to plaintext', { timeout: 25_000 }, () => {
    const storeDir = path.join(dir, 'desk');
    const { value } = runInSession(
      { kind: 'bus-without-keyring' },
      `
      const keys = keychain.createKeytarKeyStore({ timeoutMs: 3000 });
      try {
        const key = await keychain.getOrCreateKey(keys, 'store-key');
        secureStore.openEncryptedStore({ dir: ${JSON.stringify(storeDir)}, name: 'vault', key }).store.set('message', 'plain?');
        print({ opened: true });
      } catch (e) {
        print({ opened: false, reason: (e as keychain.KeychainError).reason });
      }
      `,
    );
    expect(value).toEqual({ opened: false, reason: 'no-secret-service' });
    expect(fs.existsSync(storeDir)).toBe(false);
  });

  it('creates no key and no store when the keyring is locked', { timeout: 25_000 }, () => {
    const storeDir = path.join(dir, 'desk');
    const { value } = runInSession(
      { kind: 'private-keyring', before: LOCK_DEFAULT_COLLECTION },
      `
      const keys = keychain.createKeytarKeyStore({ timeoutMs: 3000 });
      try {
        const key = await keychain.getOrCreateKey(keys, 'store-key');
        secureStore.openEncryptedStore({ dir: ${JSON.stringify(storeDir)}, name: 'vault', key });
        print({ opened: true });
      } catch (e) {
        print({ opened: false, reason: (e as keychain.KeychainError).reason });
      }
      `,
    );
    expect(value).toEqual({ opened: false, reason: 'locked' });
    expect(fs.existsSync(storeDir)).toBe(false);
  });
});
