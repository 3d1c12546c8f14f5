/**
 * The bytes of a signed directory bundle, version 2 (see DirectoryTable in shared/directory/schema.ts):
 *
 *     KOTOZUTE-DIRECTORY-BUNDLE 2 <keyId> <signature>\n   header, not signed
 *     {"publisher":…,"publishedAt":…,"clients":[{id,name,kana,dids,offset,length},…]}\n   table
 *     {"format":"kotozute-directory",…,"clients":[{…},{…}]}   payload
 *
 * The payload is the directory re-serialised so that clients[i] occupies exactly the byte range the
 * table records for it, separated by single commas; it stays a valid directory JSON document. This
 * module writes that layout and reads it back, checking that the table and the payload agree on
 * everything except the client objects themselves, which are parsed one at a time when needed.
 * Nothing here checks a signature: the caller verifies the body before calling readBody.
 */
import { Directory, DirectoryTable } from '../../../../shared/directory/schema.js';
import { clientLabel, quoteable } from './client-label.js';
import { decodeUtf8, formatIssues, invalid, parseJson, summarise } from './directory-errors.js';
import type { ClientSummary } from './directory-index.js';

export const BUNDLE_MAGIC = 'KOTOZUTE-DIRECTORY-BUNDLE';
export const BUNDLE_VERSION = 2;
/** The header is about 150 bytes; a newline later than this means it is not a bundle. */
const MAX_HEADER_BYTES = 256;
const NEWLINE = 0x0a;
const COMMA = 0x2c;
const TAIL = ']}';
const SIGNATURE_BASE64 = /^[A-Za-z0-9+/]{86}==$/;

/** What the header line says and the signed bytes after it. */
export interface BundleHeader {
  keyId: string;
  signature: Buffer;
  /** Every byte after the header line: the table, a newline and the payload. */
  body: Buffer;
}

/** The directory's top level: every field but the clients, schema-checked. */
export type DirectoryTop = Omit<Directory, 'clients'>;

/** A body whose table and layout have been checked. */
export interface BundleBody {
  table: DirectoryTable;
  payload: Buffer;
  top: DirectoryTop;
}

/** The header line for a body signed by keyId. */
export function bundleHeader(keyId: string, signature: Uint8Array): string {
  return `${BUNDLE_MAGIC} ${BUNDLE_VERSION} ${keyId} ${Buffer.from(signature).toString('base64')}\n`;
}

/** True when the bytes look like the admin's unsigned directory JSON rather than a bundle. */
function looksLikeDirectory(bytes: Buffer): boolean {
  const start = bytes.toString('utf8', 0, Math.min(bytes.length, 4096)).trimStart();
  return start.startsWith('{') && start.includes('"kotozute-directory"');
}

/** Reads the header line. Throws ApiError('directory-invalid') saying what is wrong with it. */
export function readHeader(bytes: Buffer): BundleHeader {
  const newline = bytes.subarray(0, MAX_HEADER_BYTES).indexOf(NEWLINE);
  const line = bytes.toString('latin1', 0, newline >= 0 ? newline : Math.min(bytes.length, MAX_HEADER_BYTES));
  const [magic, version, keyId, signature, ...extra] = line.split(' ');
  if (magic !== BUNDLE_MAGIC) {
    if (looksLikeDirectory(bytes)) {
      throw invalid('This is an unsigned directory, not a signed bundle: sign it with `kotozute-admin sign` first.');
    }
    throw invalid(
      `This is not a Kotozute directory bundle: it should begin with "${BUNDLE_MAGIC} ${BUNDLE_VERSION}", ` +
        `found "${quoteable(line, 40)}".`,
    );
  }
  if (version !== String(BUNDLE_VERSION)) {
    throw invalid(`Bundle version ${quoteable(version ?? '', 20)} is not supported by this desk (it reads version ${BUNDLE_VERSION}).`);
  }
  if (newline < 0 || extra.length > 0 || !/^[0-9a-f]{32}$/.test(keyId ?? '') || !SIGNATURE_BASE64.test(signature ?? '')) {
    throw invalid(`The bundle's header line is malformed: it should be "${BUNDLE_MAGIC} ${BUNDLE_VERSION} <key id> <signature>".`);
  }
  return { keyId: keyId as string, signature: Buffer.from(signature as string, 'base64'), body: bytes.subarray(newline + 1) };
}

/** The payload up to and including `"clients":[`, from the directory's other top-level fields. */
function payloadPrefix(top: Record<string, unknown>): string {
  const head = JSON.stringify(top);
  return head === '{}' ? '{"clients":[' : `${head.slice(0, -1)},"clients":[`;
}

/**
 * Lays out a directory as table + newline + payload, the bytes that get signed. `top` is the
 * directory without its clients, `rawClients` the clients as the admin wrote them (re-serialised,
 * so the payload parses to the same JSON as the admin's file), `summaries` what the table lists.
 * Does not validate anything: signDirectory does that first.
 */
export function encodeBody(
  top: Record<string, unknown>,
  rawClients: readonly unknown[],
  table: { publisher: string; publishedAt: string; summaries: readonly ClientSummary[] },
): Buffer {
  const prefix = payloadPrefix(top);
  const parts = rawClients.map((c) => JSON.stringify(c));
  let cursor = Buffer.byteLength(prefix);
  const clients = table.summaries.map((s, i) => {
    const length = Buffer.byteLength(parts[i] ?? '');
    const entry = { id: s.id, name: s.name, kana: s.kana, dids: [...s.dids], offset: cursor, length };
    cursor += length + 1; // and the comma
    return entry;
  });
  const tableLine = JSON.stringify({ publisher: table.publisher, publishedAt: table.publishedAt, clients });
  return Buffer.from(`${tableLine}\n${prefix}${parts.join(',')}${TAIL}`, 'utf8');
}

const mismatch = (problem: string) => invalid(`The bundle's table does not match its payload: ${problem}.`);

/**
 * Parses and checks the table, then checks that the payload is laid out as the table says: a
 * top-level object whose last member is "clients", the client ranges back to back with one comma
 * between them, and "]}" after the last. The top level is parsed and schema-checked (it is a few
 * hundred bytes); the clients are not.
 */
export function readBody(body: Buffer): BundleBody {
  const newline = body.indexOf(NEWLINE);
  if (newline < 0) throw invalid("The bundle has no table: there is no line break after the table's line.");
  const rawTable = parseJson(decodeUtf8(body.subarray(0, newline), "bundle's table", 'keep'), "bundle's table");
  const checked = DirectoryTable.safeParse(rawTable);
  if (!checked.success) throw summarise("The bundle's table is malformed", formatIssues(checked.error.issues, rawTable));
  const table = checked.data;
  const payload = body.subarray(newline + 1);

  const entries = table.clients;
  const last = entries[entries.length - 1];
  const tailStart = last ? last.offset + last.length : payload.length - TAIL.length;
  if (tailStart < 0 || payload.length - tailStart !== TAIL.length || payload.toString('latin1', tailStart) !== TAIL) {
    throw mismatch(`the payload should end with "${TAIL}" right after the last client`);
  }
  for (let i = 1; i < entries.length; i++) {
    const before = entries[i - 1] as (typeof entries)[number];
    const entry = entries[i] as (typeof entries)[number];
    if (entry.offset !== before.offset + before.length + 1 || payload[entry.offset - 1] !== COMMA) {
      throw mismatch(`${clientLabel(i, entry)} should start one comma after ${clientLabel(i - 1, before)}`);
    }
  }

  const prefix = decodeUtf8(payload.subarray(0, entries[0]?.offset ?? tailStart), 'directory', 'keep');
  const top = parseJson(`${prefix}${TAIL}`, 'directory');
  if (typeof top !== 'object' || top === null || Array.isArray(top)) throw invalid('The directory is not a JSON object.');
  // Only the signer's exact serialisation is accepted, so "clients" is certainly the last top-level
  // member and the ranges are its elements (not, say, a string or a nested array that looks alike).
  const { clients: _clients, ...rest } = top as Record<string, unknown>;
  if (payloadPrefix(rest) !== prefix) throw mismatch('the directory\'s top level is not laid out as a signer writes it');
  const parsedTop = Directory.safeParse(top);
  if (!parsedTop.success) throw summarise('The directory does not match the schema', formatIssues(parsedTop.error.issues, top));
  const { clients: _none, ...directoryTop } = parsedTop.data;
  if (directoryTop.publisher !== table.publisher || directoryTop.publishedAt !== table.publishedAt) {
    throw mismatch('the publisher or the publication time differs');
  }
  return { table, payload, top: directoryTop };
}
