/**
 * The outbox: every hand-off is a durable job that is tried, retried and finally confirmed — never
 * lost, never silently dropped, never sent twice on purpose.
 *
 * - Every state change is sealed to disk (job-store.ts) before anything acts on it. A job found
 *   'sending' at start was cut off by a crash: it becomes 'retrying' with the same idempotency key,
 *   so a receiver that did get the first attempt drops the second.
 * - A retryable outcome (network, timeout, 5xx, 429) waits per backoff.ts, never less than the
 *   receiver's Retry-After; anything else is 'failed' with the reason shown, until a person retries.
 * - A delivery proves its receiver is back: the other retries waiting on the same channel go now
 *   (a few at a time), not after their grown back-off — except those a Retry-After holds.
 * - One attempt in flight per job, a few overall; a single timer sleeps until the next job is due.
 * - stop() aborts what is in flight and waits for it, so a closing desk leaves no half-written state.
 *
 * The outbox does not know what a note is: `attempt` sends one job, `onSettled` is told when a job
 * is delivered or failed. The hand-off service (handoff/hand-off-service.ts) supplies both.
 */
import type { Logger } from '../log.js';
import type { EncryptedStore } from '../secure-store.js';
import type { DeliveryOutcome } from '../handoff/types.js';
import { DEFAULT_BACKOFF, retryDelayMs, type Backoff } from './backoff.js';
import { idempotencyKeyFor, jobIdFor, type JobState, type OutboxJob } from './job.js';
import { loadJobs, saveJobs } from './job-store.js';
import { deliveryReasonOf, INTERRUPTED } from './reason-code.js';

export type { JobState, OutboxJob };

/** What the operator's and the shift lead's outbox view can do. */
export interface Outbox {
  /** Every job, oldest first (copies: changing them changes nothing). */
  list(): OutboxJob[];
  /** Sends a failed (or waiting) job again now. Throws OutboxError for an unknown or delivered job. */
  retry(jobId: string): void;
  /** Called with the whole list after every change; returns the unsubscribe function. */
  onChange(listener: (jobs: OutboxJob[]) => void): () => void;
  /** Resumes persisted jobs and starts sending. */
  start(): void;
  /** Aborts attempts in flight, waits for them to settle and stops the timer. */
  stop(): Promise<void>;
}

/** A job to add: which note goes to which channel. */
export interface NewJob {
  noteId: string;
  clientId: string;
  channelId: string;
  kind: OutboxJob['kind'];
  /** The client's fallback channel, chosen at End of day: an existing job of the same channel becomes one too. */
  fallback?: boolean;
}

/** The outbox as its owner (the hand-off service) sees it. */
export interface OutboxEngine extends Outbox {
  /**
   * Adds a job per entry and returns them. An entry whose job already exists (same note and channel)
   * returns the existing job unchanged: a re-created hand-off never resets a delivered job.
   */
  enqueue(jobs: readonly NewJob[]): OutboxJob[];
  /** The jobs of one note. */
  jobsOf(noteId: string): OutboxJob[];
  /** Removes a note's undelivered jobs that are not in flight; returns how many. */
  forget(noteId: string): number;
}

export type OutboxErrorReason = 'not-found' | 'delivered';

export class OutboxError extends Error {
  constructor(
    readonly reason: OutboxErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'OutboxError';
  }
}

export interface OutboxOptions {
  store: EncryptedStore;
  /** Tries one job once. Must settle soon after `signal` aborts. */
  attempt: (job: OutboxJob, signal: AbortSignal) => Promise<DeliveryOutcome>;
  /** Told, after the change is persisted, that a job was delivered or failed. */
  onSettled?: (job: OutboxJob) => void;
  /** Told, after the change is persisted, that a person sent a failed job back to the queue. */
  onRequeued?: (job: OutboxJob) => void;
  log: Logger;
  now?: () => Date;
  random?: () => number;
  backoff?: Backoff;
  /** Attempts in flight at once, over all jobs. */
  concurrency?: number;
  /**
   * An attempt still unsettled after this long is abandoned (aborted) and retried later. Senders
   * have their own, shorter timeout; this guards the outbox against one that never answers.
   */
  attemptTimeoutMs?: number;
  /** Delivered jobs stay visible this long, then are forgotten. */
  keepDeliveredMs?: number;
}

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_ATTEMPT_TIMEOUT_MS = 60_000;
const DEFAULT_KEEP_DELIVERED_MS = 24 * 60 * 60_000;
/** How long a stopping outbox lets an aborted attempt report (a delivery confirmed at the last moment counts). */
const STOP_GRACE_MS = 1_000;
/** setTimeout's largest delay; a later due time is reached in several sleeps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface InFlight {
  controller: AbortController;
  done: Promise<void>;
}

/** Creates the outbox over `store`, loading the jobs persisted there. Call start() to send. */
export function createOutbox(opts: OutboxOptions): OutboxEngine {
  const now = opts.now ?? (() => new Date());
  const random = opts.random ?? Math.random;
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
  const attemptTimeoutMs = opts.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const keepDeliveredMs = opts.keepDeliveredMs ?? DEFAULT_KEEP_DELIVERED_MS;
  const { log } = opts;

  const jobs = new Map<string, OutboxJob>();
  for (const job of loadJobs(opts.store)) jobs.set(job.id, job);
  const inFlight = new Map<string, InFlight>();
  const listeners = new Set<(jobs: OutboxJob[]) => void>();
  let running = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;

  const iso = () => now().toISOString();
  const copy = (job: OutboxJob): OutboxJob => ({ ...job });
  const ordered = () => [...jobs.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const dueAt = (job: OutboxJob) => Date.parse(job.nextAttemptAt ?? job.createdAt);
  /** When each retry planned by this process falls due on the monotonic clock (not persisted). */
  const dueMono = new Map<string, number>();

  function persist(): void {
    try {
      saveJobs(opts.store, ordered());
    } catch (err) {
      // The attempt goes on: a confirmed delivery is still a delivery. A restart resumes from the
      // last list that was written, and the idempotency key keeps a resend from duplicating.
      log.error('outbox-persist-failed', { error: err instanceof Error ? err.name : 'unknown' });
    }
  }

  function emit(): void {
    if (listeners.size === 0) return;
    const snapshot = ordered().map(copy);
    for (const listener of listeners) {
      try {
        listener(snapshot.map(copy));
      } catch (err) {
        log.error('outbox-listener-failed', { error: err instanceof Error ? err.name : 'unknown' });
      }
    }
  }

  /** Applies `change`; a new `lastError` brings its reason code (what the operator's view words). */
  function update(job: OutboxJob, change: Partial<OutboxJob>): OutboxJob {
    const next = { ...job, ...change };
    if (change.lastError !== undefined) {
      next.reason = change.lastError === null ? null : deliveryReasonOf(change.lastError, next.state === 'retrying');
    }
    jobs.set(job.id, next);
    return next;
  }

  function prune(): boolean {
    const cutoff = now().getTime() - keepDeliveredMs;
    let pruned = false;
    for (const job of jobs.values()) {
      if (job.state === 'delivered' && job.deliveredAt !== null && Date.parse(job.deliveredAt) < cutoff) {
        jobs.delete(job.id);
        pruned = true;
      }
    }
    return pruned;
  }

  function clearTimer(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
  }

  /** Starts every due job there is room for, then sleeps until the next one is due. */
  function pump(): void {
    clearTimer();
    if (!running) return;
    const t = now().getTime();
    const m = performance.now();
    // Due by the wall clock (what is persisted, and what a restart goes by) or by the monotonic one,
    // whichever comes first: a clock stepped back an hour must not hold a 2-second retry for an hour.
    const wait = (j: OutboxJob) => Math.min(dueAt(j) - t, (dueMono.get(j.id) ?? Number.POSITIVE_INFINITY) - m);
    const waiting = [...jobs.values()]
      .filter((j) => (j.state === 'pending' || j.state === 'retrying') && !inFlight.has(j.id))
      .sort((a, b) => wait(a) - wait(b) || a.createdAt.localeCompare(b.createdAt));
    for (const job of waiting) {
      if (inFlight.size >= concurrency) return; // a finishing attempt pumps again
      const w = wait(job);
      if (w > 0) {
        timer = setTimeout(pump, Math.min(MAX_TIMER_MS, w));
        // The outbox alone must not keep a process alive (tests, a closing desk).
        timer.unref();
        return;
      }
      launch(job);
    }
  }

  function launch(waiting: OutboxJob): void {
    dueMono.delete(waiting.id);
    const job = update(waiting, { state: 'sending', attempts: waiting.attempts + 1, nextAttemptAt: null });
    persist();
    emit();
    const controller = new AbortController();
    const done = settle(job, controller).finally(() => {
      inFlight.delete(job.id);
      if (running) pump();
    });
    inFlight.set(job.id, { controller, done });
  }

  /** Runs one attempt and records what it achieved. Never rejects. */
  async function settle(job: OutboxJob, controller: AbortController): Promise<void> {
    const outcome = await guarded(job, controller);
    const current = jobs.get(job.id) ?? job;
    let next: OutboxJob;
    if (outcome.ok) {
      next = update(current, { state: 'delivered', deliveredAt: iso(), nextAttemptAt: null, lastError: null });
      prune();
      receiverBack(next);
    } else if (stopping) {
      // Cut short by stop(): not the receiver's verdict. Resumed first thing at the next start.
      next = update(current, { state: 'retrying', nextAttemptAt: iso(), lastError: INTERRUPTED });
    } else if (outcome.retry) {
      const delay = retryDelayMs(current.attempts, backoff, random, outcome.retryAfterMs);
      dueMono.set(current.id, performance.now() + delay);
      next = update(current, {
        state: 'retrying',
        nextAttemptAt: new Date(now().getTime() + delay).toISOString(),
        lastError: reasonText(outcome.reason),
      });
    } else {
      next = update(current, { state: 'failed', nextAttemptAt: null, lastError: reasonText(outcome.reason) });
    }
    persist();
    log.info('outbox-attempt', { job: next.id, kind: next.kind, state: next.state, attempts: next.attempts, reason: next.lastError });
    emit();
    if (next.state === 'delivered' || next.state === 'failed') {
      try {
        opts.onSettled?.(copy(next));
      } catch (err) {
        log.error('outbox-settled-handler-failed', { error: err instanceof Error ? err.name : 'unknown' });
      }
    }
  }

  /**
   * `delivered` reached its receiver: the receiver is back. Retries waiting on the same channel of
   * the same client are due now instead of after their back-off, which grows to minutes while a
   * receiver is down: after an outage the backlog goes within seconds of the first delivery (the
   * receiver-flapping drill measured up to ~10 minutes without this). The concurrency limit paces
   * them; each that fails again backs off as before. A rate-limited retry keeps its time: the
   * receiver named it.
   */
  function receiverBack(delivered: OutboxJob): void {
    const at = now();
    let woken = 0;
    for (const j of jobs.values()) {
      if (j.state !== 'retrying' || j.id === delivered.id || inFlight.has(j.id)) continue;
      if (j.clientId !== delivered.clientId || j.channelId !== delivered.channelId || j.reason === 'rate-limited') continue;
      if (dueAt(j) <= at.getTime()) continue;
      update(j, { nextAttemptAt: at.toISOString() });
      dueMono.delete(j.id);
      woken += 1;
    }
    if (woken > 0) log.info('outbox-receiver-back', { kind: delivered.kind, woken });
  }

  /**
   * The attempt, bounded: it settles by the attempt timeout, or shortly after stop() aborts it,
   * whatever the sender does. A sender that throws has a bug, not a verdict: the job is retried.
   */
  async function guarded(job: OutboxJob, controller: AbortController): Promise<DeliveryOutcome> {
    let release: (outcome: DeliveryOutcome) => void = () => {};
    const abandoned = new Promise<DeliveryOutcome>((resolve) => (release = resolve));
    const hardStop = setTimeout(() => {
      controller.abort(new Error('attempt timed out'));
      release({ ok: false, retry: true, reason: 'timeout' });
    }, attemptTimeoutMs);
    const onAbort = () => {
      if (!stopping) return;
      setTimeout(() => release({ ok: false, retry: true, reason: INTERRUPTED }), STOP_GRACE_MS).unref();
    };
    controller.signal.addEventListener('abort', onAbort, { once: true });
    const attempt = (async (): Promise<DeliveryOutcome> => {
      try {
        return await opts.attempt(copy(job), controller.signal);
      } catch (err) {
        if (controller.signal.aborted && stopping) return { ok: false, retry: true, reason: INTERRUPTED };
        log.error('outbox-sender-threw', { job: job.id, kind: job.kind, error: err instanceof Error ? err.name : 'unknown' });
        return { ok: false, retry: true, reason: 'sender-error' };
      }
    })();
    try {
      return await Promise.race([attempt, abandoned]);
    } finally {
      clearTimeout(hardStop);
      controller.signal.removeEventListener('abort', onAbort);
    }
  }

  const engine: OutboxEngine = {
    list: () => ordered().map(copy),

    jobsOf: (noteId) => ordered().filter((j) => j.noteId === noteId).map(copy),

    enqueue(entries) {
      const created: OutboxJob[] = [];
      const at = iso();
      for (const e of entries) {
        const id = jobIdFor(e.noteId, e.channelId);
        const existing = jobs.get(id);
        if (existing) {
          created.push(copy(e.fallback && !existing.fallback ? update(existing, { fallback: true }) : existing));
          continue;
        }
        const job: OutboxJob = {
          id,
          noteId: e.noteId,
          clientId: e.clientId,
          channelId: e.channelId,
          kind: e.kind,
          idempotencyKey: idempotencyKeyFor(e.noteId, e.channelId),
          state: 'pending',
          attempts: 0,
          nextAttemptAt: at,
          lastError: null,
          reason: null,
          createdAt: at,
          deliveredAt: null,
          ...(e.fallback ? { fallback: true } : {}),
        };
        jobs.set(id, job);
        created.push(copy(job));
      }
      persist();
      emit();
      // Sending starts after the caller has seen the jobs (and recorded the hand-off), not inside this call.
      if (running) queueMicrotask(pump);
      return created;
    },

    forget(noteId) {
      let dropped = 0;
      for (const job of [...jobs.values()]) {
        if (job.noteId === noteId && job.state !== 'delivered' && !inFlight.has(job.id)) {
          jobs.delete(job.id);
          dropped++;
        }
      }
      if (dropped > 0) {
        persist();
        emit();
        pump();
      }
      return dropped;
    },

    retry(jobId) {
      const job = jobs.get(jobId);
      if (!job) throw new OutboxError('not-found', `there is no outbox job "${jobId}"`);
      if (job.state === 'delivered') throw new OutboxError('delivered', `the job "${jobId}" was already delivered`);
      if (job.state === 'pending' || job.state === 'sending') return;
      const wasFailed = job.state === 'failed';
      // A fresh start after someone fixed the cause: the back-off begins again from its base.
      const next = update(job, { state: 'pending', attempts: 0, nextAttemptAt: iso(), lastError: null });
      persist();
      emit();
      if (wasFailed) {
        try {
          opts.onRequeued?.(copy(next));
        } catch (err) {
          log.error('outbox-requeued-handler-failed', { error: err instanceof Error ? err.name : 'unknown' });
        }
      }
      pump();
    },

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    start() {
      if (running) return;
      running = true;
      stopping = false;
      let changed = prune();
      const at = iso();
      for (const job of jobs.values()) {
        // Cut off mid-attempt by a crash: the receiver may or may not have it; the same key lets it tell.
        if (job.state === 'sending' && !inFlight.has(job.id)) {
          update(job, { state: 'retrying', nextAttemptAt: at, lastError: INTERRUPTED });
          changed = true;
        }
      }
      if (changed) {
        persist();
        emit();
      }
      pump();
    },

    async stop() {
      running = false;
      stopping = true;
      clearTimer();
      const pending = [...inFlight.values()];
      for (const f of pending) f.controller.abort(new Error('the outbox is stopping'));
      await Promise.all(pending.map((f) => f.done));
      stopping = false;
    },
  };
  return engine;
}

/**
 * What is kept and shown of a failure reason: one line, bounded. Senders give codes and short
 * phrases (e.g. "http-400", "smtp 550 recipient rejected"); this keeps a malformed one from growing
 * the store or breaking the view.
 */
function reasonText(reason: string): string {
  const line = reason.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim();
  return (line || 'unknown').slice(0, 500);
}
