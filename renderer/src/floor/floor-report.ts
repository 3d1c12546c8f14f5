/**
 * The floor report a shift lead exports after clearing the floor (issue 10 §4): one CSV row per desk
 * (desk id, status, time, undelivered counts, record hash) and the desks' signed deletion records as
 * JSON, to hand to an auditor with `kotozute-admin record verify`. Desk ids, codes, counts, times and
 * hashes only: nothing in it names a person, a caller or a message.
 */
import type { DeletionRecord } from '../../../shared/clearance/schema.js';
import type { FloorClearanceView } from '../../../shared/ipc/floor-clearance-contract.js';

export const CSV_HEADER = ['desk', 'status', 'time', 'draft', 'ready', 'handingOff', 'failed', 'recordHash'] as const;

/** A CSV field: quoted when it holds a separator, a quote or a line break; a leading formula sign is neutralised. */
function field(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function floorReportCsv(view: FloorClearanceView): string {
  const lines = [CSV_HEADER.join(',')];
  for (const row of view.rows) {
    const c = row.counts;
    lines.push(
      [row.deskId, row.status, new Date(row.at).toISOString(), c ? String(c.draft) : '', c ? String(c.ready) : '', c ? String(c.handingOff) : '', c ? String(c.failed) : '', row.recordHash ?? '']
        .map(field)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The cleared desks' deletion records, each exactly as the desk signed it. */
export function floorRecords(view: FloorClearanceView): DeletionRecord[] {
  return view.rows.flatMap((row) => (row.record ? [row.record] : []));
}

export function floorRecordsJson(view: FloorClearanceView): string {
  return `${JSON.stringify(floorRecords(view), null, 2)}\n`;
}

/** A file name for the export: floor-report-YYYYMMDD-HHMM (the round's start, UTC). */
export function floorReportName(view: FloorClearanceView, ext: 'csv' | 'json'): string {
  const at = new Date(view.round?.startedAt ?? 0).toISOString();
  return `floor-${ext === 'csv' ? 'report' : 'records'}-${at.slice(0, 10).replaceAll('-', '')}-${at.slice(11, 16).replace(':', '')}.${ext}`;
}
