/**
 * A desk's context as createDesk builds it, for integration tests that drive the handler groups
 * directly (a live pop needs the line, which such a test stands in for by remembering the call in
 * the registry). The directory is provisioned exactly as ProvisionedDirectory reads it: the pinned
 * admin key in the desk's store and the signed bundle in the directory store, both sealed under the
 * desk's store key from the real keychain. Opening the same data folder again (a restart) keeps the
 * directory provisioned the first time.
 */
import path from 'node:path';
import { z } from 'zod';
import type { ClientInput } from '../../shared/directory/schema.js';
import { CallRegistry } from '../../electron/main/services/call-registry.js';
import { createDeskAttention } from '../../electron/main/services/clearance/attention.js';
import type { DeskContext, DeskOptions } from '../../electron/main/services/desk-context.js';
import { generateAdminKeyPair, signDirectory } from '../../electron/main/services/directory/bundle.js';
import { getOrCreateKey, probeKeychain, type KeyStore } from '../../electron/main/services/keychain.js';
import { nullLogger } from '../../electron/main/services/log.js';
import { DIRECTORY_BUNDLE, PINNED_ADMIN_KEY, ProvisionedDirectory } from '../../electron/main/services/provisioned-directory.js';
import { RosterService } from '../../electron/main/services/roster/roster-service.js';
import { openEncryptedStore } from '../../electron/main/services/secure-store.js';
import { loopbackCa } from './receivers/loopback-ca.js';

/** The desk store's keychain account (desk.ts keeps it private; tests open the store as the desk does). */
export const DESK_STORE_KEY_ACCOUNT = 'desk-store-key';

export interface LiveDeskContextOptions {
  dataDir: string;
  keyStore: KeyStore;
  repoRoot: string;
  /** The provisioned directory's clients (used only when the folder is not provisioned yet). */
  clients: readonly ClientInput[];
  /** More desk options (floor identity, pushEvent, …). */
  options?: Partial<DeskOptions>;
}

export async function liveDeskContext(o: LiveDeskContextOptions): Promise<DeskContext> {
  const key = await getOrCreateKey(o.keyStore, DESK_STORE_KEY_ACCOUNT);
  const { store } = openEncryptedStore({ dir: o.dataDir, name: 'desk', key });
  const { store: bundleStore } = openEncryptedStore({ dir: o.dataDir, name: 'directory', key });
  if (store.get(PINNED_ADMIN_KEY, z.string()) === undefined) {
    const { privateKeyPem, publicKeyPem } = generateAdminKeyPair();
    const directory = { format: 'kotozute-directory', version: 1, publishedAt: '2026-11-01T00:00:00+09:00', publisher: 'テスト電話代行', clients: o.clients };
    store.set(PINNED_ADMIN_KEY, publicKeyPem);
    bundleStore.set(DIRECTORY_BUNDLE, signDirectory(JSON.stringify(directory), privateKeyPem).toString('utf8'));
  }
  const provisioned = new ProvisionedDirectory(store, bundleStore, nullLogger);
  const refused = provisioned.load();
  if (refused !== null) throw new Error(`live desk context: the provisioned directory was refused: ${JSON.stringify(refused)}`);
  return {
    options: { dataDir: o.dataDir, assetsDir: path.join(o.repoRoot, 'assets'), keyStore: o.keyStore, log: nullLogger, handOffCa: loopbackCa().ca, ...o.options },
    log: nullLogger,
    now: () => new Date(),
    keychain: await probeKeychain(o.keyStore),
    store,
    active: () => provisioned.current!,
    provisioned,
    calls: new CallRegistry(),
    warnings: [],
    mode: { current: 'live' },
    onClose: [],
    audit: null,
    attention: createDeskAttention(() => Date.now()),
    floor: new RosterService({ store, rosterStore: null, pinnedKey: () => undefined, deskKey: null, audit: () => null, log: nullLogger, now: () => new Date() }),
  };
}
