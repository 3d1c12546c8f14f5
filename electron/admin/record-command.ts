/**
 * `kotozute-admin record verify --roster ROSTER [--pub ADMIN.pub] FILE…`: checks deletion records
 * (消去記録) the way an auditor would — each is a record, signed by the key the roster lists for its
 * desk, and each desk's records form one chain (seq 1, 2, 3 …, each `prev` the hash of the one
 * before) — and names the first bad one: TAMPERED (signature), UNKNOWN DESK (not in the roster),
 * BROKEN CHAIN (a record missing, swapped or out of order), INVALID (not a record).
 *
 * A FILE is one record, or the floor report's records file (End of day › Clear all desks: a JSON
 * array of the cleared desks' records, each checked as if it were its own file, named FILE#n).
 *
 * Every file is read through the bounded reader (a record 64 KB, a records file 8 MB, the roster 5 MB). The roster may be
 * the signed bundle or its JSON; with --pub the bundle's own signature is checked too.
 *
 * Exit codes: 0 every record verifies, 1 one does not, 2 bad usage or a file refused unread.
 */
import { parseArgs } from 'node:util';
import type { Roster } from '../../shared/roster/schema.js';
import { GENESIS_RECORD, parseRecord, recordHash, verifyRecordSignature, type DeletionRecord } from '../main/services/clearance/deletion-record.js';
import { FILE_LIMITS, FileRefused, formatBytes, readBoundedText } from '../main/services/fs/bounded-read.js';
import { openRoster, parseRoster, readRosterFile, ROSTER_MAGIC } from '../main/services/roster/roster-bundle.js';
import { publicKeyFromText } from '../main/services/roster/ed25519.js';

export interface RecordCommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const RECORD_USAGE = `Usage:
  kotozute-admin record verify --roster ROSTER [--pub ADMIN.pub] FILE…
      Checks deletion records: each signed by its desk's key as the roster lists it, each desk's
      records one unbroken chain. Names the first bad one (TAMPERED, UNKNOWN DESK, BROKEN CHAIN,
      INVALID). ROSTER is the signed roster (or its JSON); with --pub its signature is checked too.`;

/** At most this many record files in one run, and this many records in all. */
export const MAX_RECORD_FILES = 10_000;
export const MAX_RECORDS = 100_000;

/**
 * The entries of a floor report's records file (a JSON array), each as its own text, labelled
 * FILE#1, FILE#2 …; null when the text is not an array (then it is one record).
 */
function recordsFileEntries(text: string, file = ''): { label: string; text: string }[] | null {
  if (!text.trimStart().startsWith('[')) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(json)) return null;
  return json.map((entry, i) => ({ label: `${file}#${i + 1}`, text: JSON.stringify(entry) }));
}
const PREFIX = 'kotozute-admin record verify';

async function loadRoster(file: string, pub: string | undefined): Promise<Roster> {
  const bytes = await readRosterFile(file);
  const signed = bytes.subarray(0, ROSTER_MAGIC.length).toString('latin1') === ROSTER_MAGIC;
  if (signed && pub !== undefined) return openRoster(bytes, await readBoundedText(pub, { kind: 'key' }), { keySource: pub });
  if (signed) return parseRoster(bytes.subarray(bytes.indexOf(0x0a) + 1));
  return parseRoster(bytes);
}

export async function runRecordVerify(argv: readonly string[], io: RecordCommandIo): Promise<number> {
  let values: { roster?: string; pub?: string; help?: boolean };
  let files: string[];
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: { roster: { type: 'string' }, pub: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    values = parsed.values;
    files = parsed.positionals[0] === 'verify' ? parsed.positionals.slice(1) : parsed.positionals;
  } catch (err) {
    io.err(`${PREFIX}: ${(err as Error).message}`);
    io.err(RECORD_USAGE);
    return 2;
  }
  if (values.help) {
    io.out(RECORD_USAGE);
    return 0;
  }
  if (values.roster === undefined || files.length === 0 || files.length > MAX_RECORD_FILES) {
    io.err(`${PREFIX}: ${values.roster === undefined ? 'give the roster with --roster' : files.length === 0 ? 'give at least one record file' : `at most ${MAX_RECORD_FILES} record files at once`}`);
    io.err(RECORD_USAGE);
    return 2;
  }
  let roster: Roster;
  try {
    roster = await loadRoster(values.roster, values.pub);
  } catch (err) {
    io.err(`${PREFIX}: ${values.roster}: ${(err as Error).message}`);
    return err instanceof FileRefused && err.reason !== 'missing' && err.reason !== 'unreadable' ? 2 : 1;
  }

  const records: { file: string; record: DeletionRecord }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readBoundedText(file, { kind: 'records' });
    } catch (err) {
      if (!(err instanceof FileRefused)) throw err;
      io.err(`${PREFIX}: ${err.message}`);
      return err.reason === 'missing' || err.reason === 'unreadable' ? 1 : 2;
    }
    const many = recordsFileEntries(text, file);
    if (many === null && Buffer.byteLength(text) > FILE_LIMITS.record) {
      io.err(`${PREFIX}: refused ${file}: a deletion record may be at most ${formatBytes(FILE_LIMITS.record)} (a floor report's records file is a JSON array)`);
      return 2;
    }
    const entries = many ?? [{ label: file, text }];
    if (records.length + entries.length > MAX_RECORDS) {
      io.err(`${PREFIX}: at most ${MAX_RECORDS} records at once`);
      return 2;
    }
    for (const entry of entries) {
      const parsed = parseRecord(entry.text);
      if (typeof parsed === 'string') {
        io.err(`INVALID ${entry.label}: ${parsed}`);
        return 1;
      }
      records.push({ file: entry.label, record: parsed });
    }
  }

  // Signatures first, in the order given; then each desk's chain, in seq order.
  for (const { file, record } of records) {
    const desk = roster.desks.find((d) => d.id === record.deskId);
    if (!desk) {
      io.err(`UNKNOWN DESK ${file}: record ${record.seq} is of desk "${record.deskId}", which the roster (serial ${roster.serial}) does not list`);
      return 1;
    }
    if (!verifyRecordSignature(record, publicKeyFromText(desk.publicKey))) {
      io.err(`TAMPERED ${file}: record ${record.seq} of desk ${record.deskId}: the signature does not match its content and the desk's key`);
      return 1;
    }
  }
  const byDesk = new Map<string, { file: string; record: DeletionRecord }[]>();
  for (const r of records) byDesk.set(r.record.deskId, [...(byDesk.get(r.record.deskId) ?? []), r]);
  for (const [deskId, list] of byDesk) {
    list.sort((a, b) => a.record.seq - b.record.seq);
    const first = list[0]!;
    if (first.record.seq === 1 && first.record.prev !== GENESIS_RECORD) {
      io.err(`BROKEN CHAIN ${first.file}: record 1 of desk ${deskId} names a previous record`);
      return 1;
    }
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1]!;
      const cur = list[i]!;
      if (cur.record.seq !== prev.record.seq + 1) {
        io.err(`BROKEN CHAIN ${cur.file}: desk ${deskId} goes from record ${prev.record.seq} to ${cur.record.seq}${cur.record.seq === prev.record.seq ? ' (the same number twice)' : ' (records missing between them)'}`);
        return 1;
      }
      if (cur.record.prev !== recordHash(prev.record)) {
        io.err(`BROKEN CHAIN ${cur.file}: record ${cur.record.seq} of desk ${deskId} does not follow ${prev.file} (its prev is not that record's hash)`);
        return 1;
      }
    }
    const from = first.record.seq === 1 ? 'from the first record' : `from record ${first.record.seq} (earlier ones not given)`;
    // Scheduled clearances (issue 10 §5) name no person; a late one ran at the desk's next start.
    const scheduled = list.filter((r) => r.record.by.role === 'schedule');
    const late = scheduled.filter((r) => r.record.schedule?.late === true).map((r) => r.record.seq);
    const bySchedule = scheduled.length === 0 ? '' : `; ${scheduled.length} by the daily schedule${late.length === 0 ? '' : `, late: record ${late.join(', ')} (the desk was off at the time and cleared at its next start)`}`;
    io.out(`OK desk ${deskId}: ${list.length} record${list.length === 1 ? '' : 's'} signed by the desk's key, chained ${from} to record ${list.at(-1)!.record.seq}${bySchedule}`);
  }
  if (values.pub === undefined) io.out("note: the roster's own signature was not checked (give --pub ADMIN.pub)");
  return 0;
}
