/** A deletion record's fields as a test needs them (sign it with signRecord). */
import { RECORD_FORMAT, RECORD_METHOD, RECORD_STANDARD } from '../../shared/clearance/schema.js';
import { GENESIS_RECORD, type UnsignedRecord } from '../../electron/main/services/clearance/deletion-record.js';

export function unsignedRecord(over: Partial<UnsignedRecord> = {}): UnsignedRecord {
  return {
    format: RECORD_FORMAT,
    v: 1,
    seq: 1,
    deskId: 'desk-01',
    at: '2026-12-05T13:00:00.000Z',
    by: { personId: 'sl-001', role: 'shift-lead' },
    destroyed: { notes: { draft: 1, ready: 0, handingOff: 0, failed: 0, delivered: 0, training: 2 }, outboxJobs: 1, quarantined: 0, leftovers: 0 },
    carriedOver: { notes: 1, outboxJobs: 1 },
    discarded: { notes: 1, reasons: { duplicate: 1 } },
    method: RECORD_METHOD,
    standard: RECORD_STANDARD,
    destroyedKey: 'a'.repeat(64),
    prev: GENESIS_RECORD,
    auditHead: { trail: '0123456789abcdef', seq: 12, hash: 'b'.repeat(64) },
    ...over,
  };
}

