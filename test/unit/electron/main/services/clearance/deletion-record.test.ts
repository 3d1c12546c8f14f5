import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSettlements, undeliveredItems } from '../../../../../../electron/main/services/clearance/clearance.js';
import { recordHash, signingBytes, signRecord, verifyRecordSignature, type UnsignedRecord } from '../../../../../../electron/main/services/clearance/deletion-record.js';
import { generateEd25519 } from '../../../../../../electron/main/services/roster/ed25519.js';
import { unsignedRecord } from '../../../../../support/record-fixture.js';
import type { NoteMeta } from '../../../../../../electron/main/services/vault/vault.js';

const meta = (id: string, state: NoteMeta['state'], training = false): NoteMeta => ({
  id,
  callId: 'call-1',
  clientId: 'aoba-clinic',
  training,
  state,
  createdAt: '2026-12-05T01:00:00.000Z',
  updatedAt: '2026-12-05T01:00:00.000Z',
  saves: 1,
});
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const T = '33333333-3333-4333-8333-333333333333';

describe('the deletion record', () => {
  it('verifies with the desk key that signed it, and not after any field is changed', () => {
    const { privateKey } = generateEd25519();
    const record = signRecord(unsignedRecord(), privateKey);
    const pub = createPublicKey(privateKey);
    expect(verifyRecordSignature(record, pub)).toBe(true);
    expect(verifyRecordSignature({ ...record, carriedOver: { notes: 0, outboxJobs: 1 } }, pub)).toBe(false);
    expect(verifyRecordSignature({ ...record, discarded: { notes: 1, reasons: { 'test-call': 1 } } }, pub)).toBe(false);
    expect(verifyRecordSignature(record, createPublicKey(generateEd25519().privateKey))).toBe(false);
  });

  it('of a scheduled clearance names no person, says when it was due and whether it ran late, and signs both', () => {
    const { privateKey } = generateEd25519();
    const schedule = { due: '2026-12-05T13:00:00.000Z', late: true };
    const record = signRecord(unsignedRecord({ by: { role: 'schedule' }, schedule }), privateKey);
    const pub = createPublicKey(privateKey);
    expect(record.by).toEqual({ role: 'schedule' });
    expect(JSON.stringify(record)).not.toContain('personId');
    expect(verifyRecordSignature(record, pub)).toBe(true);
    // "late" and the due time are signed: an auditor cannot be told a late clearance was on time.
    expect(verifyRecordSignature({ ...record, schedule: { ...schedule, late: false } }, pub)).toBe(false);
    expect(verifyRecordSignature({ ...record, schedule: { ...schedule, due: '2026-12-05T14:00:00.000Z' } }, pub)).toBe(false);
    // A schedule only on a scheduled clearance, and a scheduled clearance always with one.
    expect(() => signRecord(unsignedRecord({ by: { role: 'schedule' } }), privateKey)).toThrow();
    expect(() => signRecord(unsignedRecord({ schedule }), privateKey)).toThrow();
  });

  it('hashes the same whatever order its fields were written in', () => {
    const { privateKey } = generateEd25519();
    const record = signRecord(unsignedRecord(), privateKey);
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(record).reverse()))) as typeof record;
    expect(recordHash(reordered)).toBe(recordHash(record));
    expect(signingBytes(reordered).equals(signingBytes(record))).toBe(true);
  });

  it('has no field a name, a number or a sentence fits into (the schema refuses one riding along)', () => {
    const { privateKey } = generateEd25519();
    expect(() => signRecord({ ...unsignedRecord(), note: '鈴木カナリア 09087654321' } as UnsignedRecord, privateKey)).toThrow();
    expect(() => signRecord(unsignedRecord({ deskId: '鈴木カナリア' }), privateKey)).toThrow();
    expect(() => signRecord(unsignedRecord({ discarded: { notes: 1, reasons: { 'caller was rude': 1 } as never } }), privateKey)).toThrow();
  });
});

describe('settling undelivered messages', () => {
  const notes = [meta(A, 'failed'), meta(B, 'ready'), meta(T, 'draft', true)];
  const items = undeliveredItems(notes, []);

  it('lists every undelivered note but training ones', () => {
    expect(items.map((i) => i.noteId)).toEqual([A, B]);
  });

  it('refuses a clearance with one message unsettled, naming it', () => {
    expect(() => checkSettlements(items, [{ noteId: A, action: 'carry-over' }])).toThrow(/1 undelivered message\(s\) have no settlement/);
  });

  it('refuses a note settled twice, a note that is not undelivered, and retry or fallback as settlements (a message sent again is settled by its delivery)', () => {
    expect(() => checkSettlements(items, [{ noteId: A, action: 'carry-over' }, { noteId: A, action: 'carry-over' }, { noteId: B, action: 'carry-over' }])).toThrow(/settled twice/);
    expect(() => checkSettlements(items, [{ noteId: T, action: 'carry-over' }])).toThrow(/not undelivered/);
    expect(() => checkSettlements(items, [{ noteId: A, action: 'retry' }, { noteId: B, action: 'carry-over' }])).toThrow(/settled once it is delivered/);
    expect(() => checkSettlements(items, [{ noteId: A, action: 'fallback' }, { noteId: B, action: 'carry-over' }])).toThrow(/settled once it is delivered/);
  });

  it('accepts carry-over and discard with a reason code for every message', () => {
    const settled = checkSettlements(items, [{ noteId: A, action: 'carry-over' }, { noteId: B, action: 'discard', reason: 'duplicate' }]);
    expect([...settled.keys()]).toEqual([A, B]);
  });
});
