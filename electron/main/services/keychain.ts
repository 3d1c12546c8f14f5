/**
 * The one door to the OS keychain (macOS Keychain, Windows Credential Vault, the Secret Service on
 * Linux). Everything secret the desk keeps on disk is sealed with a key that lives here, so every
 * failure is turned into one of four plain reasons the desk can show, and every call has a timeout:
 * some Secret Service failures hang for 25 s or for ever, and a hung keychain must not hang the desk.
 *
 * There is deliberately no fallback: when the keychain is unavailable the caller is told why and
 * refuses to store secrets, it never writes them in plain text instead.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { KeychainReason, KeychainState } from '../../../shared/ipc/contract.js';

/** Why the keychain could not do what was asked. */
export type KeychainFailure = KeychainReason;

/** A keychain failure whose message says the cause in plain words a person can act on. */
export class KeychainError extends Error {
  constructor(
    readonly reason: KeychainFailure,
    message: string,
  ) {
    super(message);
    this.name = 'KeychainError';
  }
}

/** Secrets by account name, under one service name. `null` means "no such secret". */
export interface KeyStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

type Keytar = typeof import('keytar');

const DEFAULT_SERVICE = 'Kotozute';
const DEFAULT_TIMEOUT_MS = 5000;
const KEY_BYTES = 32;
const PROBE_ACCOUNT = 'kotozute-keychain-probe';
/** The throw-away entry that tells a locked keyring from a missing secret (not the probe's: they may overlap). */
const LOCK_CHECK_ACCOUNT = 'kotozute-keychain-lock-check';

let keytar: Keytar | undefined;

/**
 * keytar is a native module: loading it lazily keeps a missing or broken build from crashing the
 * process at import time, and turns it into a KeychainError the desk can show.
 */
function loadKeytar(): Keytar {
  if (keytar) return keytar;
  try {
    keytar = createRequire(import.meta.url)('keytar') as Keytar;
    return keytar;
  } catch (err) {
    throw new KeychainError(
      'failed',
      `The keychain module (keytar) could not be loaded, so the OS keychain cannot be used: ${messageOf(err)}`,
    );
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// keytar reports every failure as a plain Error with only a message; these are the messages
// libsecret gives for the causes the desk tells apart (see shared/design/ENVIRONMENT.md).
const NO_SERVICE =
  /not provided by any \.service files|Cannot autolaunch D-Bus|Could not connect|ServiceUnknown|DBUS_SESSION_BUS_ADDRESS|NameHasNoOwner/i;
const LOCKED = /locked|prompt (was )?dismissed|user (canceled|cancelled)|interaction is not allowed/i;

/** Names the cause of a keytar error in words an operator (or their IT person) can act on. */
function classify(err: unknown): KeychainError {
  if (err instanceof KeychainError) return err;
  const raw = messageOf(err);
  if (NO_SERVICE.test(raw)) {
    return new KeychainError(
      'no-secret-service',
      `There is no Secret Service on this desktop (no OS keychain such as GNOME Keyring or KWallet is running), so secrets cannot be kept safely. (${raw})`,
    );
  }
  if (LOCKED.test(raw)) {
    return new KeychainError(
      'locked',
      `The keyring is locked. Unlock it (for example by signing in to the desktop again) and retry. (${raw})`,
    );
  }
  return new KeychainError('failed', `The OS keychain refused the request. (${raw})`);
}

/** Runs one keychain call, rejecting with reason 'timeout' if it has not settled in time. */
function withTimeout<T>(call: () => Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const seconds = Number((timeoutMs / 1000).toFixed(timeoutMs < 1000 ? 2 : 1));
    const timer = setTimeout(() => {
      reject(new KeychainError('timeout', `The keychain did not answer in ${seconds} s.`));
    }, timeoutMs);
    // A call that never answers must not keep the process alive on its own.
    timer.unref();
    let pending: Promise<T>;
    try {
      pending = call();
    } catch (err) {
      clearTimeout(timer);
      reject(classify(err));
      return;
    }
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(classify(err));
      },
    );
  });
}

function checkAccount(account: string): void {
  if (typeof account !== 'string' || account.length === 0 || account.length > 200) {
    throw new KeychainError('failed', 'A keychain account name must be a non-empty string of at most 200 characters.');
  }
}

/**
 * A KeyStore over keytar, with a timeout on every call (default 5000 ms).
 *
 * Note for Linux: libsecret reads a locked keyring as "no such secret" and deletes nothing from it
 * without an error (its unlock prompt is dismissed when there is no display): only a write tells
 * "locked" apart from "absent". So on Linux a `get` that finds nothing and a `delete` that removes
 * nothing are confirmed by writing (and removing) a throw-away entry: on a locked keyring that write
 * fails and the call rejects with reason 'locked' instead of answering "absent". Without this, a
 * keyring locked mid-shift read as "no shift key" to the clearance, and its erase of the old key
 * was a silent no-op (the keychain-locked drill, bench/drills/keychain-locked.drill.ts).
 */
export function createKeytarKeyStore(opts: { service?: string; timeoutMs?: number; confirmAbsence?: boolean } = {}): KeyStore {
  const service = opts.service ?? DEFAULT_SERVICE;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const confirmAbsence = opts.confirmAbsence ?? process.platform === 'linux';
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`timeoutMs must be a positive number, got ${timeoutMs}`);
  }
  /** Rejects (reason 'locked') when the keyring refuses a write; a nothing found is then really nothing. */
  const confirmUnlocked = async (kt: Keytar): Promise<void> => {
    if (!confirmAbsence) return;
    await kt.setPassword(service, LOCK_CHECK_ACCOUNT, randomBytes(12).toString('base64url'));
    await kt.deletePassword(service, LOCK_CHECK_ACCOUNT);
  };
  return {
    get(account) {
      return withTimeout(async () => {
        checkAccount(account);
        const kt = loadKeytar();
        const found = await kt.getPassword(service, account);
        if (found === null) await confirmUnlocked(kt);
        return found;
      }, timeoutMs);
    },
    set(account, secret) {
      return withTimeout(async () => {
        checkAccount(account);
        if (typeof secret !== 'string' || secret.length === 0) {
          throw new KeychainError('failed', 'A keychain secret must be a non-empty string.');
        }
        await loadKeytar().setPassword(service, account, secret);
      }, timeoutMs);
    },
    delete(account) {
      return withTimeout(async () => {
        checkAccount(account);
        const kt = loadKeytar();
        const deleted = await kt.deletePassword(service, account);
        if (!deleted) await confirmUnlocked(kt);
        return deleted;
      }, timeoutMs);
    },
  };
}

/**
 * Checks the keychain end to end by writing, reading back and deleting a random probe secret.
 * Never throws: a failure is returned as the KeychainState the desk shows.
 */
export async function probeKeychain(store: KeyStore): Promise<KeychainState> {
  const probe = randomBytes(18).toString('base64url');
  try {
    await store.set(PROBE_ACCOUNT, probe);
    const read = await store.get(PROBE_ACCOUNT);
    await store.delete(PROBE_ACCOUNT);
    if (read !== probe) {
      return {
        ok: false,
        reason: 'failed',
        message: 'The OS keychain accepted a secret but did not give the same secret back.',
      };
    }
    return { ok: true };
  } catch (err) {
    const failure = classify(err);
    return { ok: false, reason: failure.reason, message: failure.message };
  }
}

/**
 * The 32-byte key kept (base64) in the keychain under `account`, created with crypto.randomBytes
 * when absent. An entry that is present but not a 32-byte key is reported, never replaced: replacing
 * it would make everything sealed under the old key unreadable.
 */
export async function getOrCreateKey(store: KeyStore, account: string): Promise<Buffer> {
  const existing = await store.get(account);
  if (existing !== null) return decodeKey(existing, account);

  const fresh = randomBytes(KEY_BYTES);
  await store.set(account, fresh.toString('base64'));
  // Read back, so a keychain that drops writes silently is caught now rather than at next start.
  const stored = await store.get(account);
  if (stored === null) {
    throw new KeychainError('failed', `The OS keychain did not keep the key written under "${account}".`);
  }
  return decodeKey(stored, account);
}

function decodeKey(encoded: string, account: string): Buffer {
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== encoded) {
    throw new KeychainError(
      'failed',
      `The keychain entry "${account}" is not a ${KEY_BYTES}-byte key; it was left as it is so nothing sealed with it is lost.`,
    );
  }
  return key;
}
