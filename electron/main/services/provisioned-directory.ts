/**
 * The client directory the service's admin publishes. It is confidential, so it lives only in the
 * encrypted store, and it is trusted only when signed by the admin key pinned at pairing.
 *
 * The bundle (up to tens of MB) has an encrypted store file of its own: the desk's main store is
 * rewritten on every small change (line settings, secrets), which must not re-seal the directory.
 */
import { z } from 'zod';
import type { DeskState, DirectoryStatus } from '../../../shared/ipc/contract.js';
import { ApiError } from '../../../shared/ipc/errors.js';
import { ed25519PrivateKey, looksLikePrivateKey, parseAdminPublicKey, publicPemOf } from './directory/admin-key.js';
import { openBundle } from './directory/bundle.js';
import type { Logger } from './log.js';
import type { EncryptedStore } from './secure-store.js';
import { describeDirectory, type LoadedDirectory } from './training-directory.js';

/** Store keys. The pinned key is written by pairing (a provisioning profile). */
export const PINNED_ADMIN_KEY = 'directory.pinnedAdminKey';
export const DIRECTORY_BUNDLE = 'directory.bundle';

export class ProvisionedDirectory {
  current: LoadedDirectory | null = null;

  constructor(
    /** Holds the pinned admin key. */
    private readonly store: EncryptedStore | null,
    /** Holds only the bundle. */
    private readonly bundleStore: EncryptedStore | null,
    private readonly log: Logger,
  ) {}

  /** Loads the stored directory at start-up; a bundle that no longer verifies is reported, not used. */
  load(): DeskState['warnings'][number] | null {
    if (!this.store || !this.bundleStore) return null;
    const privateWarning = this.dropPinnedPrivateKey();
    const bundle = this.bundleStore.get(DIRECTORY_BUNDLE, z.string());
    const pinned = this.store.get(PINNED_ADMIN_KEY, z.string());
    if (bundle === undefined || pinned === undefined) return privateWarning;
    try {
      // The start-up check (signature, table, index); each client is validated when it first pops.
      this.current = describeDirectory(openBundle(bundle, pinned), 'provisioned');
      return privateWarning;
    } catch (err) {
      const message = err instanceof ApiError ? err.message : 'unknown error';
      this.log.warn('directory.stored-invalid');
      return { code: 'directory-invalid', message: `The stored client directory was not loaded: ${message}` };
    }
  }

  /**
   * A desk provisioned before private keys were refused may hold the admin's private key as its
   * pinned key. It is removed from the store at once; its public half (when it can be derived) is
   * pinned instead so the directory still verifies, and the desk says the admin must replace the key.
   */
  private dropPinnedPrivateKey(): DeskState['warnings'][number] | null {
    const store = this.store!;
    const pinned = store.get(PINNED_ADMIN_KEY, z.string());
    if (pinned === undefined || !looksLikePrivateKey(pinned)) return null;
    let publicPem: string | null;
    try {
      publicPem = publicPemOf(ed25519PrivateKey(pinned));
    } catch {
      publicPem = null;
    }
    if (publicPem === null) {
      store.delete(PINNED_ADMIN_KEY);
      this.bundleStore!.delete(DIRECTORY_BUNDLE);
    } else {
      store.set(PINNED_ADMIN_KEY, publicPem);
    }
    this.log.warn('directory.pinned-private-key-removed', { keptPublicHalf: publicPem !== null });
    return {
      code: 'admin-key-was-private',
      message:
        "This desk had been given the directory admin's private key instead of the public one. It was removed from the desk" +
        (publicPem === null ? ' (with the directory it vouched for): import a provisioning profile with the public key.' : '; only its public half is kept.') +
        ' Tell the admin: that key has left the admin\'s hands and should be replaced (kotozute-admin keygen, re-sign, re-provision).',
    };
  }

  /** Verifies a new bundle against the pinned key; only a good one replaces the stored directory. */
  import(bundle: string): DirectoryStatus {
    const { store } = this.stores();
    const pinned = store.get(PINNED_ADMIN_KEY, z.string());
    if (pinned === undefined) {
      throw new ApiError('not-allowed', 'No admin key is pinned on this desk yet: import a provisioning profile first.');
    }
    return this.install(bundle, pinned);
  }

  /**
   * Pins a new admin key (a provisioning profile) and, with a bundle, installs the directory it
   * signed. The bundle is fully checked once, before anything is written, so a refused profile
   * changes nothing. A new key without a bundle drops the old directory: nothing vouches for it now.
   */
  pin(adminKey: string, bundle?: string): DirectoryStatus | null {
    const { store, bundleStore } = this.stores();
    // Never pin a private key, whatever the caller checked.
    parseAdminPublicKey(adminKey, "The provisioning profile's adminPublicKey", 'adminPublicKey');
    const loaded = bundle === undefined ? null : this.check(bundle, adminKey);
    const previous = store.get(PINNED_ADMIN_KEY, z.string());
    store.set(PINNED_ADMIN_KEY, adminKey);
    if (loaded !== null && bundle !== undefined) return this.keep(bundle, loaded);
    if (previous !== undefined && previous !== adminKey) {
      bundleStore.delete(DIRECTORY_BUNDLE);
      this.current = null;
      this.log.warn('directory.untrusted-after-key-change');
    }
    return null;
  }

  private install(bundle: string, key: string): DirectoryStatus {
    return this.keep(bundle, this.check(bundle, key));
  }

  /** The full check, every client included: the admin is at the desk to read what is wrong. */
  private check(bundle: string, key: string): LoadedDirectory {
    return describeDirectory(openBundle(bundle, key, { full: true }), 'provisioned');
  }

  private keep(bundle: string, loaded: LoadedDirectory): DirectoryStatus {
    this.stores().bundleStore.set(DIRECTORY_BUNDLE, bundle);
    this.current = loaded;
    this.log.info('directory.imported', { clients: loaded.status.clients });
    return loaded.status;
  }

  private stores(): { store: EncryptedStore; bundleStore: EncryptedStore } {
    if (!this.store || !this.bundleStore) {
      throw new ApiError('keychain-unavailable', 'The OS keychain is not available, so the desk cannot store a client directory securely.');
    }
    return { store: this.store, bundleStore: this.bundleStore };
  }
}
