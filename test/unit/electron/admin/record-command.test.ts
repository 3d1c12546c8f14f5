import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAuditVerify } from '../../../../electron/admin/audit-command.js';
import { runRecordVerify } from '../../../../electron/admin/record-command.js';
import { openAuditLog } from '../../../../electron/main/services/audit/audit-log.js';
import { recordHash, signRecord, type DeletionRecord } from '../../../../electron/main/services/clearance/deletion-record.js';
import { makeRoster, type RosterFixture } from '../../../support/roster-fixture.js';
import { unsignedRecord } from '../../../support/record-fixture.js';

let roster: RosterFixture;
let dir: string;
let out: string[];
let err: string[];
const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };

beforeAll(async () => {
  roster = await makeRoster({ desks: [{ id: 'desk-01', sipUri: 'sip:desk-01@pbx.test' }, { id: 'desk-02', sipUri: 'sip:desk-02@pbx.test' }], people: [{ id: 'op-001', roles: ['operator'], secret: '2468' }] });
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-record-cli-'));
  out = [];
  err = [];
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const rosterFile = () => {
  const file = path.join(dir, 'roster.json');
  fs.writeFileSync(file, JSON.stringify(roster.roster));
  return file;
};
const write = (name: string, record: unknown) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(record));
  return file;
};
/** A desk's chain of `n` records, signed with its key from the roster fixture. */
function chain(deskId: string, n: number): DeletionRecord[] {
  const out: DeletionRecord[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const prev = out.at(-1);
    out.push(signRecord(unsignedRecord({ deskId, seq, prev: prev ? recordHash(prev) : '0'.repeat(64) }), roster.deskKeys.get(deskId)!));
  }
  return out;
}

describe('kotozute-admin record verify', () => {
  it('accepts two desks’ chains signed by the keys the roster lists', async () => {
    const files = [...chain('desk-01', 3).map((r, i) => write(`a${i}.json`, r)), ...chain('desk-02', 1).map((r) => write('b.json', r))];
    expect(await runRecordVerify(['verify', '--roster', rosterFile(), ...files], io)).toBe(0);
    expect(out).toContain("OK desk desk-01: 3 records signed by the desk's key, chained from the first record to record 3");
  });

  it('says which records the daily schedule made and which ran late, and names one whose "late" was changed as tampered', async () => {
    const key = roster.deskKeys.get('desk-01')!;
    const r1 = signRecord(unsignedRecord({ deskId: 'desk-01', seq: 1, by: { role: 'schedule' }, schedule: { due: '2026-12-04T13:00:00.000Z', late: false } }), key);
    const r2 = signRecord(unsignedRecord({ deskId: 'desk-01', seq: 2, prev: recordHash(r1), by: { role: 'schedule' }, schedule: { due: '2026-12-05T13:00:00.000Z', late: true } }), key);
    expect(await runRecordVerify(['verify', '--roster', rosterFile(), write('1.json', r1), write('2.json', r2)], io)).toBe(0);
    expect(out[0]).toMatch(/^OK desk desk-01: 2 records .* to record 2; 2 by the daily schedule, late: record 2 \(the desk was off/);
    const hidden = write('2b.json', { ...r2, schedule: { ...r2.schedule, late: false } });
    expect(await runRecordVerify(['verify', '--roster', rosterFile(), write('1.json', r1), hidden], io)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^TAMPERED .*2b\.json: record 2/)]);
  });

  it('names a tampered record', async () => {
    const [r1, r2] = chain('desk-01', 2);
    const files = [write('1.json', r1), write('2.json', { ...r2, destroyed: { ...r2!.destroyed, outboxJobs: 0 } })];
    expect(await runRecordVerify(['--roster', rosterFile(), ...files], io)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^TAMPERED .*2\.json: record 2 of desk desk-01/)]);
  });

  it('names a record of a desk the roster does not list', async () => {
    const { generateEd25519 } = await import('../../../../electron/main/services/roster/ed25519.js');
    const stranger = signRecord(unsignedRecord({ deskId: 'desk-99' }), generateEd25519().privateKey);
    expect(await runRecordVerify(['--roster', rosterFile(), write('x.json', stranger)], io)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^UNKNOWN DESK .*x\.json: record 1 is of desk "desk-99"/)]);
  });

  it('names a broken chain: a record missing, and a record that does not follow the one before', async () => {
    const [r1, , r3] = chain('desk-01', 3);
    expect(await runRecordVerify(['--roster', rosterFile(), write('1.json', r1), write('3.json', r3)], io)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^BROKEN CHAIN .*3\.json: desk desk-01 goes from record 1 to 3 \(records missing/)]);
    err = [];
    // A properly signed record 2 of another chain (its record 1 was made at another time).
    const key = roster.deskKeys.get('desk-01')!;
    const otherFirst = signRecord(unsignedRecord({ at: '2026-12-04T13:00:00.000Z' }), key);
    const other = signRecord(unsignedRecord({ seq: 2, prev: recordHash(otherFirst) }), key);
    expect(await runRecordVerify(['--roster', rosterFile(), write('1.json', r1), write('2.json', other)], io)).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^BROKEN CHAIN .*2\.json: record 2 of desk desk-01 does not follow/)]);
  });

  it('checks the floor report’s records file (a JSON array) record by record, naming a bad one as FILE#n', async () => {
    const floor = [...chain('desk-01', 2), ...chain('desk-02', 1)];
    const file = write('floor-records.json', floor);
    expect(await runRecordVerify(['verify', '--roster', rosterFile(), file], io)).toBe(0);
    expect(out.join('\n')).toMatch(/desk-01: 2 records/);
    const tampered = structuredClone(floor);
    tampered[1]!.destroyed.outboxJobs += 1;
    err = [];
    expect(await runRecordVerify(['verify', '--roster', rosterFile(), write('bad-floor.json', tampered)], io)).toBe(1);
    expect(err[0]).toMatch(/^TAMPERED .*bad-floor\.json#2: record 2 of desk desk-01/);
    err = [];
    expect(await runRecordVerify(['verify', '--roster', rosterFile(), write('odd.json', [{ hello: 1 }])], io)).toBe(1);
    expect(err[0]).toMatch(/^INVALID .*odd\.json#1: not a deletion record/);
  });

  it('refuses a file that is not a record, one record over 64 KB, and any file over 8 MB unread (exit 2)', async () => {
    expect(await runRecordVerify(['--roster', rosterFile(), write('n.json', { hello: 1 })], io)).toBe(1);
    expect(err[0]).toMatch(/^INVALID .*n\.json: not a deletion record/);
    err = [];
    const big = path.join(dir, 'big.json');
    fs.writeFileSync(big, 'x'.repeat(64 * 1024 + 1));
    expect(await runRecordVerify(['--roster', rosterFile(), big], io)).toBe(2);
    expect(err[0]).toMatch(/big\.json/);
    const exact = path.join(dir, 'exact.json');
    fs.writeFileSync(exact, 'x'.repeat(64 * 1024));
    err = [];
    expect(await runRecordVerify(['--roster', rosterFile(), exact], io)).toBe(1);
    expect(err[0]).toMatch(/^INVALID .*exact\.json: not JSON/);
    const huge = path.join(dir, 'huge.json');
    fs.writeFileSync(huge, `[${'1,'.repeat(4 * 1024 * 1024)}1]`);
    err = [];
    expect(await runRecordVerify(['--roster', rosterFile(), huge], io)).toBe(2);
    expect(err[0]).toMatch(/huge\.json.*8\.0 MB/);
  });

  it("audit verify --head RECORD checks the trail against the head the record carries", async () => {
    const log = openAuditLog({ dir });
    for (let i = 0; i < 3; i++) log.append({ type: 'kek-destroyed', count: i });
    const head = log.head()!;
    log.append({ type: 'kek-destroyed', count: 9 });
    log.close();
    const record = write('r.json', signRecord(unsignedRecord({ auditHead: head }), roster.deskKeys.get('desk-01')!));
    expect(await runAuditVerify([log.path, '--head', record], io)).toBe(0);
    expect(out.at(-1)).toMatch(/^OK \(anchored at line 3\)/);
    // A trail cut short before the record's head is named.
    const lines = fs.readFileSync(log.path, 'utf8').split('\n');
    fs.writeFileSync(log.path, `${lines.slice(0, 2).join('\n')}\n`);
    expect(await runAuditVerify([log.path, '--head', record], io)).toBe(1);
    expect(err.at(-1)).toMatch(/^SHORT /);
  });
});
