/**
 * What the operator is told about the line, decided in one place for the top-bar indicator and the
 * Settings outcome: registered / connecting / offline, with the reason in plain words.
 */
import type { LineFailure } from '../line/types.js';
import type { LineStoreProblem, LineStoreSnapshot } from './line-store.js';

/** A reason the UI can name: the line's own failures and the store's reasons for having no line. */
export type LineReason = LineFailure | LineStoreProblem;

export interface LineStatusView {
  state: 'registered' | 'connecting' | 'offline';
  /** Why it is not registered (or why it is retrying), or null. */
  reason: LineReason | null;
  /** The SIP status behind `auth` or `rejected`, else null. */
  statusCode: number | null;
  /** The platform's error code behind `tls` (e.g. CERT_HAS_EXPIRED), else null. */
  detail: string | null;
}

/** The view of a store snapshot. */
export function lineStatusView(snapshot: LineStoreSnapshot): LineStatusView {
  const s = snapshot.state;
  if (!s) return { state: 'offline', reason: snapshot.problem, statusCode: null, detail: null };
  const detail = s.reason === 'tls' ? snapshot.detail : null;
  switch (s.registration) {
    case 'registered':
      return { state: 'registered', reason: null, statusCode: null, detail: null };
    case 'connecting':
      return { state: 'connecting', reason: s.reason, statusCode: s.statusCode, detail };
    case 'failed':
    case 'offline':
      return { state: 'offline', reason: s.reason, statusCode: s.statusCode, detail };
  }
}
