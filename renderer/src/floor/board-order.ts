/**
 * The board's order and filter (issue 9 §5): what needs the supervisor first — ringing desks (the
 * longest ringing first), then calls (the longest first), then wrap-up, idle, signed out, and desks
 * not heard from last. Ties by desk name, so rows do not jump about.
 */
import type { BoardRow } from '../../../shared/ipc/floor-contract.js';
import { foldForSearch as fold } from '../../../shared/text/fold.js';

export type BoardStatus = 'ringing' | 'talking' | 'wrap-up' | 'idle' | 'signed-out' | 'unreachable';

export const BOARD_STATUSES: readonly BoardStatus[] = ['ringing', 'talking', 'wrap-up', 'idle', 'signed-out', 'unreachable'];

export function statusOf(row: BoardRow): BoardStatus {
  if (!row.reachable || !row.state) return 'unreachable';
  return row.state.activity;
}

export interface BoardFilter {
  text: string;
  status: BoardStatus | 'all';
}

export function orderBoard(rows: readonly BoardRow[], filter: BoardFilter): BoardRow[] {
  const needle = fold(filter.text.trim());
  return rows
    .filter((row) => filter.status === 'all' || statusOf(row) === filter.status)
    .filter((row) => {
      if (!needle) return true;
      const hay = [row.deskName, row.deskId, row.operator ?? '', row.state?.call?.client?.name ?? ''].map((s) => fold(s));
      return hay.some((s) => s.includes(needle));
    })
    .sort((a, b) => {
      const rank = BOARD_STATUSES.indexOf(statusOf(a)) - BOARD_STATUSES.indexOf(statusOf(b));
      if (rank !== 0) return rank;
      const since = (a.state?.since ?? 0) - (b.state?.since ?? 0);
      if (since !== 0 && (statusOf(a) === 'ringing' || statusOf(a) === 'talking')) return since;
      return a.deskName.localeCompare(b.deskName, 'ja') || a.deskId.localeCompare(b.deskId);
    });
}

/** "3:07", "1:02:03": time in a state, from whole seconds. */
export function elapsed(fromMs: number, nowMs: number): string {
  const total = Math.max(0, Math.floor((nowMs - fromMs) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}
