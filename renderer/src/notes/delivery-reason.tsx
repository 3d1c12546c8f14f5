/**
 * Why a hand-off is not delivered yet, in the operator's language: what happened and what they can
 * do (wait for the automatic retry, press Retry, or ask the administrator). The sender's own English
 * phrase stays available behind a disclosure for whoever fixes the channel — never the only text.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DeliveryReason, type OutboxJobView } from '../../../shared/ipc/notes-contract.js';
import { Dir } from '../ui/text.js';

/** The reason code a page received, or null for one this build does not know (a newer main process). */
export function deliveryReasonOf(code: string | null | undefined): DeliveryReason | null {
  const parsed = DeliveryReason.safeParse(code);
  return parsed.success ? parsed.data : null;
}

export interface DeliveryReasonTextProps {
  job: Pick<OutboxJobView, 'state' | 'reason' | 'lastError' | 'nextAttemptAt'>;
  /** Formats a time of day the way the rest of the view does. */
  time(iso: string): string;
}

/** The reason of a retrying or failed job, with what to do; nothing for any other job. */
export function DeliveryReasonText({ job, time }: DeliveryReasonTextProps): ReactNode {
  const { t } = useTranslation();
  if (job.state !== 'retrying' && job.state !== 'failed') return null;
  const code = deliveryReasonOf(job.reason);
  const retrying = job.state === 'retrying' && job.nextAttemptAt !== null;
  const todo = retrying ? t('outbox.todo.retrying', { time: time(job.nextAttemptAt ?? '') }) : code ? t(`outbox.todo.${code}`) : '';
  return (
    <span className="job-reason">
      {code && <span className="job-why">{t(`outbox.why.${code}`)} </span>}
      {todo && <span className="job-todo">{todo}</span>}
      {job.lastError && (
        <details className="job-technical">
          <summary>{t('outbox.technical')}</summary>
          <Dir>{job.lastError}</Dir>
        </details>
      )}
    </span>
  );
}
