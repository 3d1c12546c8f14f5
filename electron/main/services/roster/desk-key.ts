/**
 * This desk's own Ed25519 key: made at first run, its 32-byte seed kept in the OS keychain (never
 * in a file), its public half shown in Settings so an admin can enrol the desk in the roster.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { DeskSipUri, PublicKeyText } from '../../../../shared/roster/schema.js';
import { KeychainError, type KeyStore } from '../keychain.js';
import { generateEd25519, privateKeyFromSeed, privateSeed, publicKeyText } from './ed25519.js';

/** The keychain account of the desk key (namespaced per data directory by the desk's key store). */
export const DESK_KEY_ACCOUNT = 'desk-identity-key';

/** The desk's key from the keychain, made and stored (and read back) when there is none. */
export async function getOrCreateDeskKey(store: KeyStore): Promise<KeyObject> {
  const existing = await store.get(DESK_KEY_ACCOUNT);
  if (existing !== null) return decode(existing);
  const { privateKey } = generateEd25519();
  const seed = privateSeed(privateKey);
  await store.set(DESK_KEY_ACCOUNT, seed.toString('base64url'));
  seed.fill(0);
  const stored = await store.get(DESK_KEY_ACCOUNT);
  if (stored === null) throw new KeychainError('failed', 'The OS keychain did not keep the desk key it was given.');
  return decode(stored);
}

function decode(text: string): KeyObject {
  const seed = Buffer.from(text, 'base64url');
  // Never replaced when malformed: the roster lists its public half, a new key would unenrol the desk.
  if (seed.length !== 32 || seed.toString('base64url') !== text) {
    throw new KeychainError('failed', `The keychain entry "${DESK_KEY_ACCOUNT}" is not a desk key; it was left as it is.`);
  }
  const key = privateKeyFromSeed(seed);
  seed.fill(0);
  return key;
}

/** What a person compares by eye: SHA-256 of the raw public key, 16 bytes, in groups of four hex digits. */
export function fingerprint(publicKey: string): string {
  const hex = createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('hex').slice(0, 32);
  return hex.match(/.{4}/g)!.join(' ');
}

export const ENROLMENT_PREFIX = 'kotozute-desk:';

/** What an enrolment string carries: all public (the admin pastes it into `roster add-desk`). */
export const Enrolment = z.strictObject({
  v: z.literal(1),
  name: z.string().min(1).max(100),
  sipUri: DeskSipUri.optional(),
  publicKey: PublicKeyText,
});
export type Enrolment = z.infer<typeof Enrolment>;

export function enrolmentString(e: Omit<Enrolment, 'v'>): string {
  const body: Enrolment = { v: 1, name: e.name, publicKey: e.publicKey, ...(e.sipUri === undefined ? {} : { sipUri: e.sipUri }) };
  return ENROLMENT_PREFIX + Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

/** Reads an enrolment string; null when it is not one. */
export function readEnrolment(text: string): Enrolment | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith(ENROLMENT_PREFIX) || trimmed.length > 2048) return null;
  try {
    const parsed = Enrolment.safeParse(JSON.parse(Buffer.from(trimmed.slice(ENROLMENT_PREFIX.length), 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export { publicKeyText };
