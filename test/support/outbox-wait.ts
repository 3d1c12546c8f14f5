/**
 * Waiting on the outbox in tests: resolves when the jobs satisfy a predicate, with the jobs in the
 * error when they never do.
 */
import type { Outbox, OutboxJob } from '../../electron/main/services/outbox/outbox.js';

export function outboxUntil(outbox: Outbox, predicate: (jobs: OutboxJob[]) => boolean, timeoutMs = 3_000): Promise<OutboxJob[]> {
  return new Promise((resolve, reject) => {
    if (predicate(outbox.list())) return resolve(outbox.list());
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out; jobs: ${JSON.stringify(outbox.list())}`));
    }, timeoutMs);
    const off = outbox.onChange((jobs) => {
      if (!predicate(jobs)) return;
      clearTimeout(timer);
      off();
      resolve(jobs);
    });
  });
}

/** Every job (and at least one) is in `state`. */
export const allJobs = (state: OutboxJob['state']) => (jobs: OutboxJob[]) => jobs.length > 0 && jobs.every((j) => j.state === state);
