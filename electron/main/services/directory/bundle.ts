/**
 * Signed directory bundles: the admin signs a directory with Ed25519, and a desk trusts a bundle
 * only if its bytes verify against the admin key pinned at pairing. The byte layout (a header line,
 * a table of clients, the directory JSON) is in bundle-format.ts.
 *
 * Order matters when opening: size first (a hostile file is refused before it is read), then the
 * header, then the signature over every byte after it, and only then the table and the directory,
 * so content an attacker altered never reaches the JSON parser.
 *
 * Two depths of check. The full check ({ full: true }: import on the desk, `kotozute-admin verify`,
 * tests) parses and schema-checks every client, as the signer did. The start-up check (the default)
 * verifies the signature over every byte, checks the table and indexes every number from it, and
 * leaves each client to be parsed and checked when first used (bundle-clients.ts says why that is
 * safe): parsing 5,000 clients took a second, the start-up budget is 300 ms.
 */
import { sign, verify } from 'node:crypto';
import { Directory, MAX_BUNDLE_BYTES } from '../../../../shared/directory/schema.js';
import { readBounded } from '../fs/bounded-read.js';
import { ed25519PrivateKey, keyIdOfKey, parseAdminPublicKey } from './admin-key.js';
import { bundleClients } from './bundle-clients.js';
import { BUNDLE_MAGIC, bundleHeader, encodeBody, readBody, readHeader } from './bundle-format.js';
import { decodeUtf8, formatIssues, invalid, parseJson, summarise } from './directory-errors.js';
import { buildDirectoryIndex, indexSummaries, type DirectoryIndex } from './directory-index.js';

export { generateAdminKeyPair, keyIdOf, parseAdminPublicKey } from './admin-key.js';

/** A bundle whose signature, table and index were checked; clients are validated on first use. */
export interface OpenedDirectory {
  /** Key id of the admin key that signed it (equal to the pinned key's id). */
  keyId: string;
  publisher: string;
  publishedAt: string;
  index: DirectoryIndex;
}

/** A bundle checked in full: every client parsed and schema-checked. */
export interface CheckedDirectory extends OpenedDirectory {
  directory: Directory;
}

export interface OpenBundleOptions {
  /** Parse and check every client now rather than on first use. */
  full?: boolean;
  /** Names the key in errors (a file or a field); a private key there is refused. */
  keySource?: string;
}

const megabytes = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
const tooLarge = (bytes: number) =>
  invalid(`The bundle is ${megabytes(bytes)}; bundles over ${megabytes(MAX_BUNDLE_BYTES)} are refused.`);

/** Parses and fully checks the admin's directory JSON: UTF-8, JSON, schema (naming the client), every rule. */
function checkDirectory(bytes: Uint8Array): { raw: Record<string, unknown> & { clients: unknown[] }; directory: Directory } {
  const raw = parseJson(decodeUtf8(bytes, 'directory'), 'directory');
  const parsed = Directory.safeParse(raw);
  if (!parsed.success) {
    throw summarise('The directory does not match the schema', formatIssues(parsed.error.issues, raw));
  }
  buildDirectoryIndex(parsed.data); // throws naming both clients for a duplicate number
  return { raw: raw as Record<string, unknown> & { clients: unknown[] }, directory: parsed.data };
}

/**
 * Signs directory JSON with the admin's private key and returns the bundle's bytes (write them to
 * a file as they are). The directory is fully checked first (schema, duplicate numbers, size of the
 * result): a desk would refuse it, so signing it would only move the error to every desk. Throws
 * ApiError('directory-invalid') naming the path and the client.
 */
export function signDirectory(directoryJson: string | Uint8Array, privateKeyPem: string): Buffer {
  const key = ed25519PrivateKey(privateKeyPem);
  const bytes = typeof directoryJson === 'string' ? Buffer.from(directoryJson, 'utf8') : Buffer.from(directoryJson);
  if (bytes.subarray(0, BUNDLE_MAGIC.length).toString('latin1') === BUNDLE_MAGIC) {
    throw invalid('This is already a signed bundle, not a directory.');
  }
  const { raw, directory } = checkDirectory(bytes);
  const { clients, ...top } = raw;
  const body = encodeBody(top, clients, {
    publisher: directory.publisher,
    publishedAt: directory.publishedAt,
    summaries: directory.clients,
  });
  const header = bundleHeader(keyIdOfKey(key), sign(null, body, key));
  const size = header.length + body.length;
  if (size > MAX_BUNDLE_BYTES) {
    throw invalid(`The signed bundle would be ${megabytes(size)}; desks refuse bundles over ${megabytes(MAX_BUNDLE_BYTES)}.`);
  }
  return Buffer.concat([Buffer.from(header, 'latin1'), body]);
}

/**
 * Reads a bundle file through the bounded reader: only a regular file, refused unread over
 * MAX_BUNDLE_BYTES, and never more than that read even if the file grows while being read.
 */
export async function readBundleFile(path: string): Promise<Buffer> {
  return readBounded(path, { kind: 'bundle' });
}

function bundleBytes(bundle: string | Uint8Array): Buffer {
  // A string's UTF-8 size is at least its length, so the cheap test refuses most oversize input at once.
  if (typeof bundle === 'string') {
    if (bundle.length > MAX_BUNDLE_BYTES) throw tooLarge(bundle.length);
    const size = Buffer.byteLength(bundle, 'utf8');
    if (size > MAX_BUNDLE_BYTES) throw tooLarge(size);
    return Buffer.from(bundle, 'utf8');
  }
  if (bundle.byteLength > MAX_BUNDLE_BYTES) throw tooLarge(bundle.byteLength);
  return Buffer.from(bundle.buffer, bundle.byteOffset, bundle.byteLength);
}

/**
 * Opens a signed bundle against the pinned admin public key. Checks, in order: size, header, key
 * id, the Ed25519 signature over table and payload, the table, the payload's layout and top level,
 * and the cross-client rules (unique ids, each number one client) while indexing. With
 * `{ full: true }` every client is then parsed and schema-checked too; otherwise each is checked
 * when byDid or byId first returns it. Throws ApiError('directory-invalid', message, details)
 * saying which check failed, naming the JSON path and the client.
 */
export function openBundle(bundle: string | Uint8Array, pinnedPublicKeyPem: string, options: OpenBundleOptions & { full: true }): CheckedDirectory;
export function openBundle(bundle: string | Uint8Array, pinnedPublicKeyPem: string, options?: OpenBundleOptions): OpenedDirectory;
export function openBundle(
  bundle: string | Uint8Array,
  pinnedPublicKeyPem: string,
  options: OpenBundleOptions = {},
): OpenedDirectory | CheckedDirectory {
  const bytes = bundleBytes(bundle);
  const pinned = parseAdminPublicKey(pinnedPublicKeyPem, options.keySource ?? 'The pinned admin key');
  const pinnedId = keyIdOfKey(pinned);

  const { keyId, signature, body } = readHeader(bytes);
  if (keyId !== pinnedId) {
    throw invalid(`The bundle was signed by another key: ${keyId}; this desk trusts ${pinnedId}.`, [
      'Sign the directory with the admin key this desk was paired with, or pair the desk with the new key.',
    ]);
  }
  if (!verify(null, body, pinned, signature)) {
    throw invalid(`The bundle's content was altered after it was signed: the signature does not match it (key ${pinnedId}).`);
  }

  const { table, payload, top } = readBody(body);
  let clients = bundleClients(table, payload);
  const index = indexSummaries(table.clients, (i) => clients.clientAt(i));
  const opened: OpenedDirectory = { keyId, publisher: top.publisher, publishedAt: top.publishedAt, index };
  if (!options.full) return opened;
  const all = clients.all();
  // The index does not keep the full check's parsed clients (~17 KB each, 85 MB for 5,000): it
  // parses each again on first use, as after a restart. The caller keeps `all` only as long as it needs.
  clients = bundleClients(table, payload);
  return { ...opened, directory: { ...top, clients: all } };
}
