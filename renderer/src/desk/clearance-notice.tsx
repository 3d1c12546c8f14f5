/**
 * What the operator's own desk says of clearance (issue 10 §5, §6): the desk was cleared (when, by
 * whom — a person from the roster, or the daily schedule — and that it starts empty), dismissable;
 * and "needs attention" when a clearance could not run because messages are undelivered, with the
 * counts and what to do. The page also tells main when it is busy (a call, a note being typed) so a
 * scheduled clearance never runs under the operator's hands.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClearanceNotice as Notice } from '../../../shared/clearance/notice.js';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import { BUSY_RENEW_MS } from '../../../shared/ipc/desk-clearance-contract.js';
import type { DeskEventSource } from '../../../shared/ipc/desk-events.js';

/** The notice is read again this often too (a clearance by a shift lead pushes no event). */
export const NOTICE_REFRESH_MS = 60_000;

type NoticeApi = Pick<KotozuteApi, 'getClearanceNotice' | 'dismissClearanceNotice'>;

export function ClearanceNoticeView({ notice, onDismiss }: { notice: Notice; onDismiss: (seq: number) => void }): ReactNode {
  const { t, i18n } = useTranslation();
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  const { cleared, attention } = notice;
  let who = '';
  if (cleared) {
    const at = when(cleared.at);
    if (cleared.by.kind === 'schedule') {
      const due = cleared.due ? when(cleared.due) : '';
      who = cleared.late ? t('deskClearance.lateBySchedule', { at, due }) : t('deskClearance.bySchedule', { at, due });
    } else {
      who = t('deskClearance.byPerson', { at, name: cleared.by.name ?? t('deskClearance.unknownPerson'), role: t(`floor.role.${cleared.by.role}`) });
    }
  }
  return (
    <>
      {attention && (
        <section className="notice notice-warning" role="alert" aria-labelledby="desk-attention-title">
          <h2 id="desk-attention-title">{t('deskClearance.attentionTitle')}</h2>
          <p>
            {t(attention.source === 'schedule' ? 'deskClearance.attentionSchedule' : 'deskClearance.attentionFloor', {
              undelivered: attention.counts.undelivered,
              failed: attention.counts.failed,
            })}
          </p>
          <p>{t(attention.source === 'schedule' ? 'deskClearance.whatToDoSchedule' : 'deskClearance.whatToDoFloor')}</p>
        </section>
      )}
      {cleared && (
        <section className="notice" role="status" aria-labelledby="desk-cleared-title">
          <h2 id="desk-cleared-title">{t('deskClearance.clearedTitle')}</h2>
          <p>{who}</p>
          <p>{t('deskClearance.startsEmpty')}</p>
          <button type="button" className="btn btn-quiet" onClick={() => onDismiss(cleared.seq)}>
            {t('deskClearance.dismiss')}
          </button>
        </section>
      )}
    </>
  );
}

export function ClearanceNotice({ api, events, onError }: { api: NoticeApi; events: DeskEventSource | null; onError: (err: unknown) => void }): ReactNode {
  const [notice, setNotice] = useState<Notice | null>(null);
  const load = useCallback(() => {
    api.getClearanceNotice().then(setNotice, onError);
  }, [api, onError]);
  useEffect(() => {
    load();
    const timer = setInterval(load, NOTICE_REFRESH_MS);
    const stop = events?.onDeskEvent((e) => {
      if (e.type === 'clearance-notice') load();
    });
    return () => {
      clearInterval(timer);
      stop?.();
    };
  }, [load, events]);
  const dismiss = useCallback(
    (seq: number) => {
      api.dismissClearanceNotice({ seq }).then(setNotice, onError);
    },
    [api, onError],
  );
  return notice ? <ClearanceNoticeView notice={notice} onDismiss={dismiss} /> : null;
}

/**
 * Tells main whether the desk is busy: on every change, and again every BUSY_RENEW_MS while busy
 * (main's busy lease lapses on its own should this page die).
 */
export function useDeskBusyReport(api: Pick<KotozuteApi, 'reportDeskBusy'>, busy: { call: boolean; typing: boolean }): void {
  const { call, typing } = busy;
  useEffect(() => {
    const send = () => void api.reportDeskBusy({ call, typing }).catch(() => undefined);
    send();
    if (!call && !typing) return;
    const timer = setInterval(send, BUSY_RENEW_MS);
    return () => clearInterval(timer);
  }, [api, call, typing]);
}
