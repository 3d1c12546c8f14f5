/**
 * Signed roster bundles (docs/roster.md): the admin signs the roster JSON with the same Ed25519
 * admin key as the directory; a desk trusts a roster only when it verifies against the key pinned
 * at pairing. The format is one header line, then the JSON exactly as signed:
 *
 *     KOTOZUTE-ROSTER 1 <keyId> <signature, base64>\n
 *     {"format":"kotozute-roster",…}
 *
 * Checks in order, so content an attacker altered never reaches the JSON parser: size (≤ 5 MB,
 * capped while reading), header, key id, signature, UTF-8, JSON, schema (naming the JSON path),
 * and the serial against the one the desk holds (an older roster is a replay of a revoked state).
 */
import { sign, verify } from 'node:crypto';
import { ApiError } from '../../../../shared/ipc/errors.js';
import { Roster } from '../../../../shared/roster/schema.js';
import { ed25519PrivateKey, keyIdOfKey, parseAdminPublicKey } from '../directory/admin-key.js';
import { quoteable } from '../directory/client-label.js';
import { FileRefused, readBounded } from '../fs/bounded-read.js';

export const ROSTER_MAGIC = 'KOTOZUTE-ROSTER';
export const ROSTER_BUNDLE_VERSION = 1;
export const MAX_ROSTER_BYTES = 5 * 1024 * 1024;
const MAX_HEADER_BYTES = 256;
const SIGNATURE_BASE64 = /^[A-Za-z0-9+/]{86}==$/;
const MAX_DETAILS = 50;

/** Why a roster was refused, as the audit trail records it (a closed list). */
export type RosterRefusal = 'too-large' | 'unsigned' | 'malformed' | 'wrong-key' | 'tampered' | 'schema' | 'older-serial';

/** An ApiError('roster-invalid') that also carries its closed reason. */
export class RosterInvalidError extends ApiError {
  constructor(
    readonly refusal: RosterRefusal,
    message: string,
    details: string[] = [],
  ) {
    super('roster-invalid', message, details);
  }
}

export const rosterInvalid = (refusal: RosterRefusal, message: string, details: string[] = []): RosterInvalidError =>
  new RosterInvalidError(refusal, message, details);

const megabytes = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
const tooLarge = (bytes: number) => rosterInvalid('too-large', `The roster is ${megabytes(bytes)}; rosters over ${megabytes(MAX_ROSTER_BYTES)} are refused.`);

/** The roster's schema problems, each naming its JSON path (e.g. `people.3.secret.salt: …`). */
function schemaError(lead: string, issues: readonly { path: readonly PropertyKey[]; message: string }[]): ApiError {
  const lines = issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`);
  const more = lines.length > 1 ? ` (and ${lines.length - 1} more)` : '';
  return rosterInvalid('schema', `${lead}: ${lines[0] ?? 'unknown problem'}${more}.`, lines.slice(0, MAX_DETAILS));
}

/** Parses and schema-checks roster JSON bytes (the admin's file, or a bundle's verified body). */
export function parseRoster(bytes: Uint8Array): Roster {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw rosterInvalid('schema', 'The roster is not UTF-8 text.');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw rosterInvalid('schema', 'The roster is not JSON.', [err instanceof Error ? err.message.slice(0, 200) : 'parse error']);
  }
  const parsed = Roster.safeParse(raw);
  if (!parsed.success) throw schemaError('The roster does not match the schema', parsed.error.issues);
  return parsed.data;
}

/** Signs roster JSON (checked first: a desk would refuse a bad one) and returns the bundle's bytes. */
export function signRoster(rosterJson: string | Uint8Array, privateKeyPem: string): Buffer {
  const key = ed25519PrivateKey(privateKeyPem);
  const body = typeof rosterJson === 'string' ? Buffer.from(rosterJson, 'utf8') : Buffer.from(rosterJson);
  if (body.subarray(0, ROSTER_MAGIC.length).toString('latin1') === ROSTER_MAGIC) throw rosterInvalid('malformed', 'This is already a signed roster.');
  parseRoster(body);
  const header = `${ROSTER_MAGIC} ${ROSTER_BUNDLE_VERSION} ${keyIdOfKey(key)} ${sign(null, body, key).toString('base64')}\n`;
  const bundle = Buffer.concat([Buffer.from(header, 'latin1'), body]);
  if (bundle.length > MAX_ROSTER_BYTES) throw tooLarge(bundle.length);
  return bundle;
}

function bytesOf(bundle: string | Uint8Array): Buffer {
  if (typeof bundle === 'string') {
    if (bundle.length > MAX_ROSTER_BYTES) throw tooLarge(bundle.length);
    const size = Buffer.byteLength(bundle, 'utf8');
    if (size > MAX_ROSTER_BYTES) throw tooLarge(size);
    return Buffer.from(bundle, 'utf8');
  }
  if (bundle.byteLength > MAX_ROSTER_BYTES) throw tooLarge(bundle.byteLength);
  return Buffer.from(bundle.buffer, bundle.byteOffset, bundle.byteLength);
}

export interface OpenRosterOptions {
  /** The serial of the roster the desk holds: an older one is refused. */
  heldSerial?: number;
  /** Names the key in errors (a file or a field). */
  keySource?: string;
}

/** Verifies a roster bundle against the pinned admin key and returns the roster. Throws ApiError('roster-invalid'). */
export function openRoster(bundle: string | Uint8Array, pinnedPublicKeyPem: string, options: OpenRosterOptions = {}): Roster {
  const bytes = bytesOf(bundle);
  const pinned = parseAdminPublicKey(pinnedPublicKeyPem, options.keySource ?? 'The pinned admin key');
  const pinnedId = keyIdOfKey(pinned);
  const newline = bytes.subarray(0, MAX_HEADER_BYTES).indexOf(0x0a);
  const line = bytes.toString('latin1', 0, newline >= 0 ? newline : Math.min(bytes.length, MAX_HEADER_BYTES));
  const [magic, version, keyId, signature, ...extra] = line.split(' ');
  if (magic !== ROSTER_MAGIC) {
    if (line.trimStart().startsWith('{')) throw rosterInvalid('unsigned', 'This is an unsigned roster, not a signed one: sign it with `kotozute-admin roster sign` first.');
    throw rosterInvalid('malformed', `This is not a Kotozute roster: it should begin with "${ROSTER_MAGIC} ${ROSTER_BUNDLE_VERSION}", found "${quoteable(line, 40)}".`);
  }
  if (version !== String(ROSTER_BUNDLE_VERSION)) {
    throw rosterInvalid('malformed', `Roster version ${quoteable(version ?? '', 20)} is not supported by this desk (it reads version ${ROSTER_BUNDLE_VERSION}).`);
  }
  if (newline < 0 || extra.length > 0 || !/^[0-9a-f]{32}$/.test(keyId ?? '') || !SIGNATURE_BASE64.test(signature ?? '')) {
    throw rosterInvalid('malformed', `The roster's header line is malformed: it should be "${ROSTER_MAGIC} ${ROSTER_BUNDLE_VERSION} <key id> <signature>".`);
  }
  if (keyId !== pinnedId) {
    throw rosterInvalid('wrong-key', `The roster was signed by another key: ${keyId}; this desk trusts ${pinnedId}.`, [
      'Sign the roster with the admin key this desk was paired with.',
    ]);
  }
  const body = bytes.subarray(newline + 1);
  if (!verify(null, body, pinned, Buffer.from(signature as string, 'base64'))) {
    throw rosterInvalid('tampered', `The roster was altered after it was signed: the signature does not match it (key ${pinnedId}).`);
  }
  const roster = parseRoster(body);
  if (options.heldSerial !== undefined && roster.serial < options.heldSerial) {
    throw rosterInvalid('older-serial', `The roster is older (serial ${roster.serial}) than the one this desk holds (serial ${options.heldSerial}); it was not imported.`);
  }
  return roster;
}

/** Reads a roster file, refusing one over 5 MB from its size and never reading more than that. */
export async function readRosterFile(path: string): Promise<Buffer> {
  // The one bounded reader (regular files only, capped while reading): a FIFO or a device given by
  // mistake is refused at once instead of blocking or filling memory.
  try {
    return await readBounded(path, { kind: 'roster' });
  } catch (err) {
    if (err instanceof FileRefused && err.reason === 'too-large') throw tooLarge(MAX_ROSTER_BYTES + 1);
    if (err instanceof FileRefused && err.reason === 'missing') throw new ApiError('not-found', `There is no roster file at ${path}.`);
    throw err;
  }
}
