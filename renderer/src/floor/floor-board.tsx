/**
 * The supervisor's board (issue 9 §5): every roster desk as a row — desk, operator, state with the
 * time in it, client, hold, outbox warnings, line — ordered so ringing and long calls come first,
 * filterable by text and state, live. Keyboard first: the arrow keys move between rows (one tab stop
 * for the whole table), Enter goes into a row's actions, Escape back to the row.
 *
 * Everything shown arrived in a signed state from a roster desk: no caller data exists to show.
 */
import { useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { BoardRow, FloorBoardView } from '../../../shared/ipc/floor-contract.js';
import { BOARD_STATUSES, elapsed, orderBoard, statusOf, type BoardFilter, type BoardStatus } from './board-order.js';
import type { OnMonitor } from './monitor-actions.js';

export interface FloorBoardProps {
  board: FloorBoardView;
  /** The clock the times in state are counted to (ticks each second). */
  now: number;
  onMonitor: OnMonitor;
}

export function FloorBoard({ board, now, onMonitor }: FloorBoardProps): ReactNode {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<BoardFilter>({ text: '', status: 'all' });
  const [focusedDesk, setFocusedDesk] = useState<string | null>(null);
  const rows = useMemo(() => orderBoard(board.rows, filter), [board.rows, filter]);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const dropped = Object.values(board.dropped).reduce((a, b) => a + b, 0);
  const current = rows.findIndex((r) => r.deskId === focusedDesk);
  const tabStop = current >= 0 ? current : 0;

  const focusRow = (index: number): void => {
    const row = rows[index];
    if (!row) return;
    setFocusedDesk(row.deskId);
    bodyRef.current?.querySelectorAll<HTMLTableRowElement>('tr[data-desk]')[index]?.focus();
  };

  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, index: number): void => {
    const inAction = e.target !== e.currentTarget;
    if (e.key === 'Escape' && inAction) {
      e.currentTarget.focus();
      e.preventDefault();
      return;
    }
    if (inAction) {
      // Left and right move between the row's actions; Tab leaves the board as usual.
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      const buttons = [...e.currentTarget.querySelectorAll<HTMLButtonElement>('button')];
      const at = buttons.indexOf(e.target as HTMLButtonElement);
      buttons[Math.max(0, Math.min(buttons.length - 1, at + (e.key === 'ArrowRight' ? 1 : -1)))]?.focus();
      e.preventDefault();
      return;
    }
    let handled = true;
    if (e.key === 'ArrowDown') focusRow(Math.min(rows.length - 1, index + 1));
    else if (e.key === 'ArrowUp') focusRow(Math.max(0, index - 1));
    else if (e.key === 'Home') focusRow(0);
    else if (e.key === 'End') focusRow(rows.length - 1);
    else if (e.key === 'Enter') e.currentTarget.querySelector<HTMLButtonElement>('button')?.focus();
    else handled = false;
    if (handled) e.preventDefault();
  };

  return (
    <section className="floor-board" aria-labelledby="floor-board-title">
      <div className="floor-board-head">
        <h2 id="floor-board-title">{t('floor.title')}</h2>
        <span className="floor-board-count">{t('floor.deskCount', { count: board.rows.length })}</span>
        {dropped > 0 && (
          <span className="floor-board-dropped" role="status" title={t('floor.droppedHint')}>
            {t('floor.dropped', { count: dropped })}
          </span>
        )}
      </div>
      <div className="floor-board-filter">
        <label>
          {t('floor.filterText')}
          <input type="search" value={filter.text} maxLength={100} onChange={(e) => setFilter((f) => ({ ...f, text: e.target.value }))} />
        </label>
        <label>
          {t('floor.filterStatus')}
          <select value={filter.status} onChange={(e) => setFilter((f) => ({ ...f, status: e.target.value as BoardStatus | 'all' }))}>
            <option value="all">{t('floor.statusAll')}</option>
            {BOARD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`floor.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <table className="floor-board-table" aria-labelledby="floor-board-title">
        <thead>
          <tr>
            <th scope="col">{t('floor.col.desk')}</th>
            <th scope="col">{t('floor.col.operator')}</th>
            <th scope="col">{t('floor.col.state')}</th>
            <th scope="col">{t('floor.col.client')}</th>
            <th scope="col">{t('floor.col.outbox')}</th>
            <th scope="col">{t('floor.col.line')}</th>
            <th scope="col">{t('floor.col.actions')}</th>
          </tr>
        </thead>
        <tbody ref={bodyRef}>
          {rows.map((row, index) => (
            <BoardRowView
              key={row.deskId}
              row={row}
              now={now}
              tabIndex={index === tabStop ? 0 : -1}
              onFocus={() => setFocusedDesk(row.deskId)}
              onKeyDown={(e) => onRowKey(e, index)}
              onMonitor={onMonitor}
            />
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p className="floor-board-empty">{t(board.rows.length === 0 ? 'floor.noDesks' : 'floor.noMatch')}</p>}
    </section>
  );
}

interface RowProps {
  row: BoardRow;
  now: number;
  tabIndex: number;
  onFocus: () => void;
  onKeyDown: (e: KeyboardEvent<HTMLTableRowElement>) => void;
  onMonitor: OnMonitor;
}

function BoardRowView({ row, now, tabIndex, onFocus, onKeyDown, onMonitor }: RowProps): ReactNode {
  const { t } = useTranslation();
  const status = statusOf(row);
  const state = row.state;
  const call = state?.call ?? null;
  const stateText = t(`floor.status.${status}`);
  const time = status === 'unreachable' ? (row.heardAt !== null ? t('floor.lastHeard', { time: elapsed(row.heardAt, now) }) : t('floor.neverHeard')) : state ? elapsed(state.since, now) : '';
  const label = [row.deskName, row.operator ?? t('floor.nobody'), `${stateText} ${time}`, call?.client?.name ?? '', call?.onHold ? t('floor.onHold') : '']
    .filter(Boolean)
    .join(t('floor.listSeparator'));
  const canMonitor = status === 'talking' && call !== null;
  return (
    <tr data-desk={row.deskId} data-status={status} tabIndex={tabIndex} aria-label={label} onFocus={onFocus} onKeyDown={onKeyDown}>
      <th scope="row">{row.deskName}</th>
      <td>{row.operator ?? <span className="floor-muted">{t('floor.nobody')}</span>}</td>
      <td>
        <span className={`floor-state floor-state-${status}`}>{stateText}</span> <span className="floor-time">{time}</span>
        {call?.onHold && <span className="floor-badge floor-badge-hold">{t('floor.onHold')}</span>}
        {call?.monitored && <span className="floor-badge">{t('floor.monitored')}</span>}
      </td>
      <td>{call ? (call.client?.name ?? <span className="floor-muted">{t('floor.unknownClient')}</span>) : ''}</td>
      <td>
        {state && state.outbox.failed > 0 && <span className="floor-warn">{t('floor.outboxFailed', { count: state.outbox.failed })}</span>}
        {state && state.outbox.pending > 0 && <span className="floor-note">{t('floor.outboxPending', { count: state.outbox.pending })}</span>}
        {state?.attention && (
          <span className="floor-warn floor-attention" title={t('floor.attentionHint', { source: t(`floor.attentionSource.${state.attention.source}`) })}>
            {t('floor.attention', { count: state.attention.counts.undelivered })}
          </span>
        )}
      </td>
      {/* A desk not heard from has no line state worth showing: its last one may be long gone. */}
      <td>{state && status !== 'unreachable' ? <span className={`floor-line floor-line-${state.line}`}>{t(`floor.line.${state.line}`)}</span> : ''}</td>
      <td className="floor-actions">
        {canMonitor && (
          <>
            <button type="button" className="btn btn-row" tabIndex={-1} aria-label={t('floor.listenOn', { desk: row.deskName })} onClick={() => onMonitor(row.deskId, call.ref, 'listen')}>
              {t('floor.listen')}
            </button>
            <button type="button" className="btn btn-row" tabIndex={-1} aria-label={t('floor.whisperOn', { desk: row.deskName })} onClick={() => onMonitor(row.deskId, call.ref, 'whisper')}>
              {t('floor.whisper')}
            </button>
            <button type="button" className="btn btn-row" tabIndex={-1} aria-label={t('floor.bargeOn', { desk: row.deskName })} onClick={() => onMonitor(row.deskId, call.ref, 'barge')}>
              {t('floor.barge')}
            </button>
            <button type="button" className="btn btn-row" tabIndex={-1} aria-label={t('floor.stopOn', { desk: row.deskName })} onClick={() => onMonitor(row.deskId, call.ref, 'stop')}>
              {t('floor.stop')}
            </button>
          </>
        )}
      </td>
    </tr>
  );
}
