/**
 * Signed directory bundles: the admin signs the exact bytes of a directory JSON file with Ed25519,
 * and a desk trusts a bundle only if those bytes verify against the admin key pinned at pairing.
 *
 * Order matters when opening: size first (a hostile file is refused before it is read), then the
 * envelope, then the signature over the payload bytes, and only then JSON.parse and the schema, so
 * content an attacker altered never reaches the parser's result.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Directory, DirectoryBundle, MAX_BUNDLE_BYTES } from '../../../../shared/directory/schema.js';
import { ApiError } from '../../../../shared/ipc/errors.js';
import { buildDirectoryIndex } from './directory-index.js';
import { clientLabel, quoteable } from './client-label.js';

export type { DirectoryBundle } from '../../../../shared/directory/schema.js';

/** A directory whose signature and content have both been checked. */
export interface VerifiedDirectory {
  directory: Directory;
  /** Key id of the admin key that signed it (equal to the pinned key's id). */
  keyId: string;
}

const BUNDLE_FORMAT = 'kotozute-directory-bundle';
/** Problems listed in ApiError details; a badly broken file could otherwise produce 100,000 lines. */
const MAX_DETAILS = 50;

const invalid = (message: string, details: string[] = []) => new ApiError('directory-invalid', message, details);
const megabytes = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
const tooLarge = (bytes: number) =>
  invalid(`The bundle is ${megabytes(bytes)}; bundles over ${megabytes(MAX_BUNDLE_BYTES)} are refused.`);

/** A new Ed25519 admin key pair as PEM (PKCS#8 private, SPKI public). */
export function generateAdminKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

function ed25519Key(pem: string, kind: 'public' | 'private'): KeyObject {
  let key: KeyObject;
  try {
    key = kind === 'public' ? createPublicKey(pem) : createPrivateKey(pem);
  } catch {
    throw new ApiError('invalid-argument', `The ${kind} key is not a PEM key file.`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ApiError('invalid-argument', `The ${kind} key is ${key.asymmetricKeyType ?? 'unknown'}, not Ed25519.`);
  }
  return key;
}

function keyIdOfKey(key: KeyObject): string {
  const pub = key.type === 'public' ? key : createPublicKey(key);
  const spki = pub.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest().subarray(0, 16).toString('hex');
}

/**
 * Names a key in errors and summaries: the first 16 bytes of SHA-256 over its SPKI DER form, in hex.
 * The same as `openssl pkey -pubin -in admin.pub -outform DER | sha256sum | cut -c1-32`.
 * A private key PEM gives the id of its public half.
 */
export function keyIdOf(publicKeyPem: string): string {
  let key: KeyObject;
  try {
    key = createPublicKey(publicKeyPem);
  } catch {
    throw new ApiError('invalid-argument', 'The public key is not a PEM key file.');
  }
  return keyIdOfKey(key);
}

function formatIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], raw: unknown): string[] {
  const clients = (raw as { clients?: unknown }).clients;
  return issues.map(({ path, message }) => {
    const [head, index, ...rest] = path;
    if (head === 'clients' && typeof index === 'number' && Array.isArray(clients)) {
      const where = rest.length ? rest.map(String).join('.') : '(the client itself)';
      return `${clientLabel(index, clients[index])}: ${where}: ${message}`;
    }
    return `${path.length ? path.map(String).join('.') : '(root)'}: ${message}`;
  });
}

function summarise(lead: string, problems: string[]): ApiError {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  const details = problems.length > MAX_DETAILS
    ? [...problems.slice(0, MAX_DETAILS), `… and ${problems.length - MAX_DETAILS} more`]
    : problems;
  return invalid(`${lead}: ${problems[0]}${more}.`, details);
}

function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid(`The ${what} is not UTF-8 text.`);
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalid(`The ${what} is not JSON.`, [err instanceof Error ? err.message.slice(0, 200) : 'parse error']);
  }
}

/** Parses and checks directory bytes: UTF-8, JSON, schema (errors name the client), cross-client rules. */
function parseDirectory(bytes: Uint8Array): Directory {
  const raw = parseJson(decodeUtf8(bytes, 'directory'), 'directory');
  if (typeof raw === 'object' && raw !== null && (raw as { format?: unknown }).format === BUNDLE_FORMAT) {
    throw invalid('This is already a signed bundle, not a directory.');
  }
  const parsed = Directory.safeParse(raw);
  if (!parsed.success) {
    throw summarise('The directory does not match the schema', formatIssues(parsed.error.issues, raw));
  }
  buildDirectoryIndex(parsed.data); // throws naming both clients for a duplicate number
  return parsed.data;
}

const base64Bytes = (b64: string) => (b64.length / 4) * 3 - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);

/** Decodes base64 strictly: Buffer.from silently skips bad characters, so check the decoded length. */
function strictBase64(b64: string, what: string): Buffer {
  const bytes = Buffer.from(b64, 'base64');
  if (b64.length % 4 !== 0 || bytes.length !== base64Bytes(b64)) throw invalid(`The bundle's ${what} is not valid base64.`);
  return bytes;
}

/**
 * Signs directory JSON with the admin's private key. The directory is fully checked first (schema,
 * duplicate numbers, size of the resulting bundle): a desk would refuse it, so signing it would only
 * move the error to every desk. Throws ApiError('directory-invalid') naming the path and the client.
 */
export function signDirectory(directoryJson: string | Uint8Array, privateKeyPem: string): DirectoryBundle {
  const key = ed25519Key(privateKeyPem, 'private');
  const bytes = typeof directoryJson === 'string' ? Buffer.from(directoryJson, 'utf8') : Buffer.from(directoryJson);
  // Base64 grows the payload by a third; refuse now rather than publish a bundle no desk accepts.
  const bundleBytes = Math.ceil(bytes.length / 3) * 4 + 300;
  if (bundleBytes > MAX_BUNDLE_BYTES) {
    throw invalid(
      `The signed bundle would be ${megabytes(bundleBytes)}; desks refuse bundles over ${megabytes(MAX_BUNDLE_BYTES)}.`,
    );
  }
  parseDirectory(bytes);
  return {
    format: BUNDLE_FORMAT,
    version: 1,
    keyId: keyIdOfKey(key),
    payload: bytes.toString('base64'),
    signature: sign(null, bytes, key).toString('base64'),
  };
}

/**
 * Reads a bundle file, refusing one over MAX_BUNDLE_BYTES from its size alone (never reading it).
 * Reads at most that many bytes even if the file grows while being read.
 */
export async function readBundleFile(path: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ApiError('not-found', `There is no bundle file at ${path}.`);
    throw invalid(`The bundle file ${path} cannot be opened (${code ?? 'unknown error'}).`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw invalid(`${path} is not a file.`);
    if (info.size > MAX_BUNDLE_BYTES) throw tooLarge(info.size);
    const buffer = Buffer.alloc(info.size + 1); // one spare byte detects a file that grew
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === buffer.length) throw invalid(`The bundle file ${path} changed while it was being read.`);
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/**
 * Opens a signed bundle against the pinned admin public key. Checks, in order: size, envelope,
 * key id, Ed25519 signature over the payload bytes, then JSON, schema and duplicate numbers.
 * Throws ApiError('directory-invalid', message, details) saying which check failed and why.
 */
export function openBundle(bundle: string | Uint8Array, pinnedPublicKeyPem: string): VerifiedDirectory {
  // A string's UTF-8 size is at least its length, so the cheap test refuses most oversize input at once.
  if (typeof bundle === 'string') {
    if (bundle.length > MAX_BUNDLE_BYTES) throw tooLarge(bundle.length);
    const size = Buffer.byteLength(bundle, 'utf8');
    if (size > MAX_BUNDLE_BYTES) throw tooLarge(size);
  } else if (bundle.byteLength > MAX_BUNDLE_BYTES) {
    throw tooLarge(bundle.byteLength);
  }
  const pinned = ed25519Key(pinnedPublicKeyPem, 'public');
  const pinnedId = keyIdOfKey(pinned);

  const envelope = parseJson(typeof bundle === 'string' ? bundle : decodeUtf8(bundle, 'bundle'), 'bundle');
  const format = typeof envelope === 'object' && envelope !== null ? (envelope as { format?: unknown }).format : undefined;
  if (format === 'kotozute-directory') {
    throw invalid('This is an unsigned directory, not a signed bundle: sign it with `kotozute-admin sign` first.');
  }
  if (format !== BUNDLE_FORMAT) {
    const found = typeof format === 'string' ? `"${quoteable(format)}"` : 'missing';
    throw invalid(`This is not a Kotozute directory bundle: format should be "${BUNDLE_FORMAT}", found ${found}.`);
  }
  const version = (envelope as { version?: unknown }).version;
  if (version !== 1) {
    throw invalid(`Bundle version ${quoteable(String(version))} is not supported by this desk (it reads version 1).`);
  }
  const checked = DirectoryBundle.safeParse(envelope);
  if (!checked.success) {
    throw summarise('The bundle envelope is malformed', formatIssues(checked.error.issues, {}));
  }
  const { keyId, payload, signature } = checked.data;
  if (keyId !== pinnedId) {
    throw invalid(`The bundle was signed by another key: ${keyId}; this desk trusts ${pinnedId}.`, [
      'Sign the directory with the admin key this desk was paired with, or pair the desk with the new key.',
    ]);
  }

  const bytes = strictBase64(payload, 'payload');
  const sig = strictBase64(signature, 'signature');
  if (sig.length !== 64 || !verify(null, bytes, pinned, sig)) {
    throw invalid(
      `The bundle's content was altered after it was signed: the signature does not match it (key ${pinnedId}).`,
    );
  }
  return { directory: parseDirectory(bytes), keyId };
}
