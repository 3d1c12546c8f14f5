/**
 * The outbox for the operator and the shift lead: every hand-off job by state — pending, sending,
 * retrying (why, and when it is tried again), failed (why, and what to do), delivered — polled
 * every 2 s while open, with a manual retry. Content-free: client, channel kind, times and reasons only.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { OutboxJobView } from '../../../shared/ipc/notes-contract.js';
import { ModalDialog } from '../ui/modal-dialog.js';
import { Dir } from '../ui/text.js';
import { messages } from '../i18n/index.js';
import { DeliveryReasonText } from './delivery-reason.js';

export const OUTBOX_POLL_MS = 2_000;
const ORDER: readonly OutboxJobView['state'][] = ['failed', 'retrying', 'sending', 'pending', 'delivered'];

export interface OutboxPanelProps {
  api: KotozuteApi;
  onError(err: unknown): void;
  onClose(): void;
}

export function OutboxPanel({ api, onError, onClose }: OutboxPanelProps): ReactNode {
  const { t } = useTranslation();
  const [jobs, setJobs] = useState<OutboxJobView[] | null>(null);

  const load = useCallback(() => {
    api.listOutbox().then(setJobs, (err: unknown) => {
      setJobs([]);
      onError(err);
    });
  }, [api, onError]);

  useEffect(() => {
    load();
    const timer = setInterval(load, OUTBOX_POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  const retry = (jobId: string) => {
    api.retryOutboxJob({ jobId }).then(setJobs, onError);
  };

  return (
    <ModalDialog title={t('outbox.title')} onClose={onClose} className="modal-wide outbox-panel">
      <p className="muted">{t('outbox.polling')}</p>
      {jobs !== null && jobs.length === 0 ? <p className="empty">{t('outbox.empty')}</p> : <OutboxTable jobs={jobs ?? []} onRetry={retry} />}
      <div className="modal-actions">
        <button type="button" className="btn" onClick={onClose}>
          {t('outbox.close')}
        </button>
      </div>
    </ModalDialog>
  );
}

/** The jobs, the ones needing a person first, each with why it is not delivered and what to do. */
export function OutboxTable({ jobs, onRetry }: { jobs: readonly OutboxJobView[]; onRetry(jobId: string): void }): ReactNode {
  const { t, i18n } = useTranslation();
  const time = (iso: string) => new Date(iso).toLocaleTimeString(i18n.language === 'en' ? 'en-GB' : 'ja-JP', { hour12: false });
  const sorted = [...jobs].sort((a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state) || b.createdAt.localeCompare(a.createdAt));
  return (
    <table className="data-table outbox-table">
      <thead>
        <tr>
          <th scope="col">{t('outbox.col.state')}</th>
          <th scope="col">{t('outbox.col.client')}</th>
          <th scope="col">{t('outbox.col.channel')}</th>
          <th scope="col">{t('outbox.col.attempts')}</th>
          <th scope="col">{t('outbox.col.created')}</th>
          <th scope="col">{t('outbox.col.detail')}</th>
          <th scope="col">
            <span className="visually-hidden">{t('outbox.retry')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((j) => (
          <tr key={j.id} data-state={j.state}>
            <td>
              <span className={`job-state job-${j.state}`}>{t(`outbox.state.${j.state}`)}</span>
            </td>
            <td>
              <Dir>{j.clientName || j.clientId}</Dir>
            </td>
            <td>{j.kind in messages.ja.outbox.kind ? t(`outbox.kind.${j.kind as keyof typeof messages.ja.outbox.kind}`) : j.kind}</td>
            <td className="num">{j.attempts}</td>
            <td>{time(j.createdAt)}</td>
            <td className="job-detail">
              {j.state === 'retrying' && j.nextAttemptAt && j.lastError === null && <span>{t('outbox.nextAttempt', { time: time(j.nextAttemptAt) })} </span>}
              {j.state === 'delivered' && j.deliveredAt && <span>{t('outbox.deliveredAt', { time: time(j.deliveredAt) })}</span>}
              <DeliveryReasonText job={j} time={time} />
            </td>
            <td>
              {(j.state === 'failed' || j.state === 'retrying') && (
                <button type="button" className="btn" onClick={() => onRetry(j.id)}>
                  {t('outbox.retry')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
