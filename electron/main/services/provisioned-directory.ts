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
    const bundle = this.bundleStore.get(DIRECTORY_BUNDLE, z.string());
    const pinned = this.store.get(PINNED_ADMIN_KEY, z.string());
    if (bundle === undefined || pinned === undefined) return null;
    try {
      // The start-up check (signature, table, index); each client is validated when it first pops.
      this.current = describeDirectory(openBundle(bundle, pinned), 'provisioned');
      return null;
    } catch (err) {
      const message = err instanceof ApiError ? err.message : 'unknown error';
      this.log.warn('directory.stored-invalid');
      return { code: 'directory-invalid', message: `The stored client directory was not loaded: ${message}` };
    }
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
