import { describe, expect, it } from 'vitest';
import { OutboxJob } from '../../../../../../electron/main/services/outbox/job.js';
import { outboxJobView } from '../../../../../../electron/main/services/outbox/job-view.js';

const stored = {
  id: 'job-1',
  noteId: 'n1',
  clientId: 'sato-law',
  channelId: 'hook',
  kind: 'webhook',
  idempotencyKey: 'kz1-x',
  state: 'retrying',
  attempts: 2,
  nextAttemptAt: '2026-12-05T01:02:00.000Z',
  lastError: 'webhook is rate limiting (429)',
  createdAt: '2026-12-05T01:00:00.000Z',
  deliveredAt: null,
};

describe('the outbox view of a job', () => {
  it('derives the reason code of a job stored before jobs carried one', () => {
    const job = OutboxJob.parse(stored);
    expect(job.reason).toBeUndefined();
    expect(outboxJobView(job, '佐藤総合法律事務所')).toMatchObject({ reason: 'rate-limited', lastError: stored.lastError, clientName: '佐藤総合法律事務所' });
  });

  it('keeps the code the outbox stored, and has none without a phrase', () => {
    expect(outboxJobView(OutboxJob.parse({ ...stored, reason: 'server-error' }), 'x').reason).toBe('server-error');
    expect(outboxJobView(OutboxJob.parse({ ...stored, state: 'delivered', lastError: null, reason: null }), 'x').reason).toBeNull();
  });
});
