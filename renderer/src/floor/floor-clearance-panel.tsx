/**
 * 全席の終業処理 / Clear all desks (issue 10 §4) on the shift lead's screen. The typed confirmation is
 * the number of desks to clear; main signs one command per desk with the shift lead's key, this
 * desk's line sends each (a send the desk did not take = offline), and the live status arrives as
 * `floor-clearance` desk events as the desks' signed reports come back through the same line. The
 * floor report exports as CSV and the records as JSON (Blob downloads: ids, codes, counts, hashes).
 */
import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { DeskEventSource } from '../../../shared/ipc/desk-events.js';
import type { FloorClearanceRow, FloorClearanceView } from '../../../shared/ipc/floor-clearance-contract.js';
import { getLineStore } from '../pairing/line-store.js';
import { startLine } from '../pairing/start-line.js';
import { floorReportCsv, floorReportName, floorRecordsJson } from './floor-report.js';
import { useFloorLink } from './use-floor-link.js';

export type FloorClearanceApi = Pick<
  KotozuteApi,
  'floorClearAll' | 'floorClearanceUnsent' | 'getFloorClearance' | 'floorReport' | 'floorDeliver' | 'floorWatch' | 'rosterState' | 'deskIdentity'
>;

export interface FloorClearancePanelProps {
  api: FloorClearanceApi;
  events: DeskEventSource;
  onError: (err: unknown) => void;
}

const NO_CLIENT = (): null => null;

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function FloorClearancePanel({ api, events, onError }: FloorClearancePanelProps): ReactNode {
  const { t } = useTranslation();
  const titleId = useId();
  const [lineSource] = useState(() => getLineStore());
  const [view, setView] = useState<FloorClearanceView | null>(null);
  const [targets, setTargets] = useState<number | null>(null);
  const [typed, setTyped] = useState('');
  const [sending, setSending] = useState(false);

  // This desk's line carries the commands out and the reports back (main checks every one).
  useFloorLink(api, lineSource, { clientOf: NO_CLIENT, noteOpen: false });
  useEffect(() => startLine(lineSource), [lineSource]);

  useEffect(() => {
    let live = true;
    const stop = events.onDeskEvent((event) => {
      if (event.type === 'floor-clearance') setView(event.status);
    });
    api.getFloorClearance().then((first) => {
      if (live) setView((v) => v ?? first);
    }, onError);
    Promise.all([api.rosterState(), api.deskIdentity()]).then(([state, identity]) => {
      if (!live) return;
      const enrolled = identity.ok && identity.enrolledAs ? 1 : 0;
      setTargets(state.roster ? Math.max(0, state.roster.desks - enrolled) : 0);
    }, onError);
    return () => {
      live = false;
      stop();
    };
  }, [api, events, onError]);

  const start = useCallback(async () => {
    setSending(true);
    try {
      const { messages, status } = await api.floorClearAll({ confirm: typed.trim() });
      setView(status);
      setTyped('');
      const line = lineSource.line;
      await Promise.all(
        messages.map(async (m) => {
          try {
            if (!line) throw new Error('no line');
            await line.sendFloorMessage(m.to, m.token, { answered: true });
          } catch {
            setView(await api.floorClearanceUnsent({ deskId: m.deskId, nonce: m.nonce }));
          }
        }),
      );
    } catch (err) {
      onError(err);
    } finally {
      setSending(false);
    }
  }, [api, typed, lineSource, onError]);

  const rows = view?.rows ?? [];
  const cleared = rows.filter((r) => r.status === 'cleared').length;
  const ready = targets !== null && targets > 0 && typed.trim() === String(targets) && !sending;
  return (
    <section className="eod-section floor-clearance" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('floorClearance.title')}</h2>
      <p className="muted">{t('floorClearance.intro')}</p>
      {targets === 0 ? (
        <p role="status">{t('floorClearance.noDesks')}</p>
      ) : (
        <>
          <label className="field">
            <span>{t('floorClearance.confirmLabel', { count: targets ?? 0 })}</span>
            <input type="text" inputMode="numeric" autoComplete="off" spellCheck={false} maxLength={16} value={typed} onChange={(e) => setTyped(e.target.value)} />
          </label>
          <button type="button" className="btn btn-danger" disabled={!ready} onClick={() => void start()}>
            {sending ? t('floorClearance.starting') : t('floorClearance.start')}
          </button>
        </>
      )}
      {view?.round && (
        <>
          <p role="status">{t('floorClearance.summary', { cleared, total: rows.length })}</p>
          <table className="data-table floor-clearance-table" aria-label={t('floorClearance.statusTitle')}>
            <thead>
              <tr>
                <th scope="col">{t('floorClearance.col.desk')}</th>
                <th scope="col">{t('floorClearance.col.status')}</th>
                <th scope="col">{t('floorClearance.col.time')}</th>
                <th scope="col">{t('floorClearance.col.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <StatusRow key={row.deskId} row={row} />
              ))}
            </tbody>
          </table>
          <p className="floor-clearance-export">
            <button type="button" className="btn" onClick={() => download(floorReportName(view, 'csv'), 'text/csv;charset=utf-8', floorReportCsv(view))}>
              {t('floorClearance.exportCsv')}
            </button>{' '}
            <button type="button" className="btn" disabled={cleared === 0} onClick={() => download(floorReportName(view, 'json'), 'application/json', floorRecordsJson(view))}>
              {t('floorClearance.exportJson')}
            </button>
          </p>
        </>
      )}
    </section>
  );
}

function StatusRow({ row }: { row: FloorClearanceRow }): ReactNode {
  const { t, i18n } = useTranslation();
  const detail =
    row.status === 'needs-attention' && row.counts
      ? t('floorClearance.needsDetail', row.counts)
      : row.status === 'cleared' && row.record && row.recordHash
        ? t('floorClearance.recordDetail', { seq: row.record.seq, hash: row.recordHash.slice(0, 16) })
        : '';
  return (
    <tr data-status={row.status}>
      <th scope="row">{row.deskName}</th>
      <td>{t(`floorClearance.status.${row.status}`)}</td>
      <td>
        <time dateTime={new Date(row.at).toISOString()}>{new Date(row.at).toLocaleTimeString(i18n.language)}</time>
      </td>
      <td>{detail}</td>
    </tr>
  );
}
