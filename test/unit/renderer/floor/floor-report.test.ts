import { describe, expect, it } from 'vitest';
import type { FloorClearanceView } from '../../../../shared/ipc/floor-clearance-contract.js';
import { floorRecords, floorReportCsv, floorReportName } from '../../../../renderer/src/floor/floor-report.js';
import { unsignedRecord } from '../../../support/record-fixture.js';

const T0 = Date.parse('2026-12-05T13:00:00Z');
const record = { ...unsignedRecord({ deskId: 'desk-01' }), signature: 'A'.repeat(86) };

const view: FloorClearanceView = {
  round: { by: 'sl-001', leadDesk: 'lead-01', startedAt: T0 },
  rows: [
    { deskId: 'desk-01', deskName: '1番席', status: 'cleared', at: T0 + 1_000, counts: null, record, recordHash: 'c'.repeat(64) },
    { deskId: 'desk-02', deskName: '2番席', status: 'needs-attention', at: T0 + 2_000, counts: { draft: 1, ready: 0, handingOff: 2, failed: 3 }, record: null, recordHash: null },
    { deskId: 'desk-03', deskName: '3番席', status: 'offline', at: T0 + 30_000, counts: null, record: null, recordHash: null },
  ],
};

describe('the floor report', () => {
  it('has one CSV row per desk: desk id, status, time, undelivered counts and record hash, and no desk names or people', () => {
    const csv = floorReportCsv(view);
    expect(csv.split('\r\n')).toEqual([
      'desk,status,time,draft,ready,handingOff,failed,recordHash',
      `desk-01,cleared,2026-12-05T13:00:01.000Z,,,,,${'c'.repeat(64)}`,
      'desk-02,needs-attention,2026-12-05T13:00:02.000Z,1,0,2,3,',
      'desk-03,offline,2026-12-05T13:00:30.000Z,,,,,',
      '',
    ]);
    expect(csv).not.toContain('sl-001');
    expect(csv).not.toContain('番席');
  });

  it('exports only the cleared desks records, as signed, under a dated file name', () => {
    expect(floorRecords(view)).toEqual([record]);
    expect(floorReportName(view, 'csv')).toBe('floor-report-20261205-1300.csv');
    expect(floorReportName(view, 'json')).toBe('floor-records-20261205-1300.json');
  });
});
