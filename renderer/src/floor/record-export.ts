/**
 * A deletion record (消去記録) exported for an auditor (issue 10 §3): the signed JSON exactly as the
 * desk keeps it (the signature covers the canonical form, so `kotozute-admin record verify` checks the
 * export), and a readable sheet — one self-contained, printable HTML page in Japanese or English.
 *
 * The sheet holds what the record holds and nothing else: ids, counts, codes, times, hashes. Every
 * value is escaped; the page has no script, no link and no remote resource.
 */
import type { TFunction } from 'i18next';
import { DiscardReason, type DeletionRecord, type NoteCounts } from '../../../shared/clearance/schema.js';

/** `deletion-record-<desk>-<seq>.json` / `.html`: the name the export is offered under. */
export function recordFileName(record: Pick<DeletionRecord, 'deskId' | 'seq'>, ext: 'json' | 'html'): string {
  return `deletion-record-${record.deskId}-${String(record.seq).padStart(6, '0')}.${ext}`;
}

/** The record as the desk wrote it (records/record-NNNNNN.json): two-space JSON and a final newline. */
export function recordJson(record: DeletionRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const sumNotes = (n: NoteCounts) => n.draft + n.ready + n.handingOff + n.failed + n.delivered + n.training;

/** The readable sheet of `record` in the language `t` speaks (`lang` its code). */
export function recordSheetHtml(record: DeletionRecord, t: TFunction, lang: string): string {
  const d = record.destroyed;
  const reasons = DiscardReason.options
    .filter((code) => record.discarded.reasons[code] !== undefined)
    .map((code) => `${t(`clearance.discardReasons.${code}`)} ${record.discarded.reasons[code] ?? 0}`)
    .join(t('floor.listSeparator'));
  const rows: [string, string][] = [
    [t('clearance.record.seq'), String(record.seq)],
    [t('clearance.record.desk'), record.deskId],
    [t('clearance.record.at'), `${new Date(record.at).toLocaleString(lang)} (${record.at})`],
    [t('clearance.record.by'), byText(record, t, lang)],
    [
      t('clearance.record.destroyed'),
      t('clearance.record.destroyedCounts', { notes: sumNotes(d.notes), training: d.notes.training, jobs: d.outboxJobs, quarantined: d.quarantined, leftovers: d.leftovers }),
    ],
    [t('clearance.record.besides'), t('clearance.record.besidesCounts', { storage: d.rendererStorage ?? 0, clipboard: d.clipboard ?? 0 })],
    [t('clearance.record.carriedOver'), t('clearance.record.carriedOverCounts', { notes: record.carriedOver.notes, jobs: record.carriedOver.outboxJobs })],
    [
      t('clearance.record.discarded'),
      reasons ? t('clearance.record.discardedWhy', { count: record.discarded.notes, reasons }) : t('clearance.record.discardedCount', { count: record.discarded.notes }),
    ],
    [t('clearance.record.method'), [...new Set([t('clearance.record.methodText'), record.method].map((m) => m.toLowerCase()))].length === 1 ? `${record.method} — ${record.standard}` : `${t('clearance.record.methodText')} (${record.method}) — ${record.standard}`],
    [t('clearance.record.key'), record.destroyedKey ?? t('clearance.record.noKey')],
    [t('clearance.record.prev'), /^0{64}$/.test(record.prev) ? t('clearance.record.first') : record.prev],
    [t('clearance.record.auditHead'), record.auditHead ? `${record.auditHead.trail} #${record.auditHead.seq} ${record.auditHead.hash}` : '—'],
    [t('clearance.record.signature'), record.signature],
  ];
  const title = `${t('clearance.recordTitle')} — ${record.deskId} #${record.seq}`;
  const body = rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #000; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #444; padding: .4rem .6rem; text-align: left; vertical-align: top; }
th { width: 14rem; background: #eee; }
td { word-break: break-all; }
p { font-size: .9rem; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<table>
${body}
</table>
<p>${escapeHtml(t('clearance.record.sheetNote'))}</p>
</body>
</html>
`;
}

/** Who cleared, in words: a person (id and role) or the daily schedule (on time or late). */
export function byText(record: DeletionRecord, t: TFunction, language: string): string {
  const by = record.by;
  if ('personId' in by) return t('clearance.record.byText', { person: by.personId, role: t(`floor.role.${by.role}`) });
  const due = record.schedule ? new Date(record.schedule.due).toLocaleString(language) : '';
  return record.schedule?.late ? t('clearance.record.byScheduleLate', { due }) : t('clearance.record.bySchedule', { due });
}
