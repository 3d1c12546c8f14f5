/**
 * The deletion record (消去記録): made, signed with the desk key (Ed25519), hashed into a chain per
 * desk, kept as one file each under <dataDir>/records/, and checked by `kotozute-admin record verify`.
 *
 * Why a file beside the audit trail rather than inside an audit line: the record carries nested
 * counts, reason codes, a key fingerprint and a signature an auditor checks on its own, away from
 * the desk; an audit line holds flat ids and codes only. The trail still anchors every record: the
 * clearance's `desk-cleared` event carries the record's hash, so a record removed or swapped is seen
 * from the trail, and the record carries the trail's head, so a trail cut short is seen from it.
 */
import { createHash, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DeletionRecord } from '../../../../shared/clearance/schema.js';
import { ApiError } from '../../../../shared/ipc/errors.js';
import { fsyncDirSync, writeFileAtomicSync } from '../fs/atomic-write.js';
import { readBoundedTextSync } from '../fs/bounded-read.js';
import { signBytes, verifyBytes } from '../roster/ed25519.js';

export type { DeletionRecord };
export type UnsignedRecord = Omit<DeletionRecord, 'signature'>;

export const RECORDS_DIR = 'records';
export const GENESIS_RECORD = '0'.repeat(64);
const SIGNING_LABEL = 'kotozute-deletion-record v1\0';
const FILE_RE = /^record-(\d{6,})\.json$/;

/** JSON with object keys sorted at every level and no whitespace: the bytes signed and hashed. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** What the signature covers: every field but the signature, canonical. */
export function signingBytes(record: UnsignedRecord | DeletionRecord): Buffer {
  const { signature: _signature, ...rest } = record as DeletionRecord;
  void _signature;
  return Buffer.from(SIGNING_LABEL + canonical(rest), 'utf8');
}

export function signRecord(unsigned: UnsignedRecord, deskKey: KeyObject): DeletionRecord {
  const signature = signBytes(deskKey, signingBytes(unsigned)).toString('base64url');
  return DeletionRecord.parse({ ...unsigned, signature });
}

export function verifyRecordSignature(record: DeletionRecord, publicKey: KeyObject): boolean {
  return verifyBytes(publicKey, signingBytes(record), Buffer.from(record.signature, 'base64url'));
}

/** The hash the next record's `prev` names: SHA-256 of the whole record (signature included), canonical. */
export function recordHash(record: DeletionRecord): string {
  return createHash('sha256').update(canonical(record)).digest('hex');
}

/** SHA-256 of a shift key's id (kekId): tells keys apart in records, reveals nothing of the key. */
export function keyFingerprint(keyId: string): string {
  return createHash('sha256').update(`kotozute destroyed shift key v1\0${keyId}`).digest('hex');
}

export const recordFileName = (seq: number) => `record-${String(seq).padStart(6, '0')}.json`;

/** Parses a record's text; a message naming the first bad field when it is not one. */
export function parseRecord(text: string): DeletionRecord | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const parsed = DeletionRecord.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return `not a deletion record (${issue ? `${issue.path.map(String).join('.') || '(record)'}: ${issue.code}` : 'schema'})`;
}

/** The records of this desk, oldest first (read through the bounded reader). Throws on one that does not parse. */
export function listRecords(dataDir: string, limit = Number.MAX_SAFE_INTEGER): DeletionRecord[] {
  const dir = path.join(dataDir, RECORDS_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => FILE_RE.test(n));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  names.sort();
  return names.slice(-limit).map((name) => {
    const parsed = parseRecord(readBoundedTextSync(path.join(dir, name), { kind: 'record' }));
    if (typeof parsed === 'string') throw new ApiError('store-corrupt', `The deletion record ${name} is ${parsed}.`);
    return parsed;
  });
}

/** The last record of this desk, or null. */
export function lastRecord(dataDir: string): DeletionRecord | null {
  return listRecords(dataDir, 1)[0] ?? null;
}

/** Writes a record as records/record-NNNNNN.json (atomic, 0600); a record already there is left as it is. */
export function writeRecord(dataDir: string, record: DeletionRecord): string {
  const dir = path.join(dataDir, RECORDS_DIR);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, recordFileName(record.seq));
  if (!fs.existsSync(file)) {
    writeFileAtomicSync(file, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    fsyncDirSync(dir);
  }
  return file;
}
