/**
 * Keychain accounts per data directory. The OS keychain is one per user, but a computer may run
 * several desks (dev-web instances in tests, a supervisor's second profile): every account a desk
 * uses is suffixed with a short hash of its data directory, so two desks never share a key.
 *
 * An installed desk made before namespacing keeps its secrets under the bare account names. Only
 * the default profile (the Electron build's own userData) may adopt them: on the first read that
 * finds nothing under the namespaced name, the bare entry is copied over, read back, and then
 * deleted, so no other profile can adopt it later.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { KeyStore } from './keychain.js';

/** The namespace of a data directory: 12 hex characters of SHA-256 over its absolute path. */
export function keychainNamespace(dataDir: string): string {
  return createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
}

/** The namespaced name of an account. */
export function namespacedAccount(account: string, namespace: string): string {
  return `${account}@${namespace}`;
}

export interface NamespaceOptions {
  dataDir: string;
  /** Adopt secrets stored under bare (pre-namespace) account names: the default profile only. */
  adoptLegacy: boolean;
}

export function namespacedKeyStore(inner: KeyStore, opts: NamespaceOptions): KeyStore {
  const ns = keychainNamespace(opts.dataDir);
  const name = (account: string) => namespacedAccount(account, ns);
  return {
    async get(account) {
      const found = await inner.get(name(account));
      if (found !== null || !opts.adoptLegacy) return found;
      const legacy = await inner.get(account);
      if (legacy === null) return null;
      await inner.set(name(account), legacy);
      // Deleted only once the copy reads back the same: a failed copy must not lose the secret.
      if ((await inner.get(name(account))) === legacy) await inner.delete(account);
      return legacy;
    },
    set: (account, secret) => inner.set(name(account), secret),
    async delete(account) {
      const deleted = await inner.delete(name(account));
      // A bare entry this profile would adopt is the same secret: delete means gone from both.
      if (opts.adoptLegacy && (await inner.get(account)) !== null) return (await inner.delete(account)) || deleted;
      return deleted;
    },
  };
}
