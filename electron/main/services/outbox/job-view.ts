/**
 * A job as the outbox view shows it: content-free, with the client's name and why it is not
 * delivered yet as a code the page words in the operator's language.
 */
import type { OutboxJobView } from '../../../../shared/ipc/notes-contract.js';
import type { OutboxJob } from './job.js';
import { deliveryReasonOf } from './reason-code.js';

/**
 * The view of `job`. A job stored before jobs carried their reason code gets it from its phrase here,
 * so a desk updated with failed jobs in its outbox shows them in the operator's words too.
 */
export function outboxJobView(job: OutboxJob, clientName: string): OutboxJobView {
  return {
    id: job.id,
    noteId: job.noteId,
    clientId: job.clientId,
    clientName,
    channelId: job.channelId,
    kind: job.kind,
    state: job.state,
    attempts: job.attempts,
    nextAttemptAt: job.nextAttemptAt,
    lastError: job.lastError,
    reason: job.lastError === null ? null : (job.reason ?? deliveryReasonOf(job.lastError, job.state === 'retrying')),
    createdAt: job.createdAt,
    deliveredAt: job.deliveredAt,
  };
}
