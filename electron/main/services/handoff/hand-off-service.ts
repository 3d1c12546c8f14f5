/**
 * Hand-off: from a ready note to a destroyed one, through the client's channels (DESIGN.md §4).
 *
 *   ready → handing-off ─ every job delivered ─→ delivered → wiped (at once)
 *                       ─ any job failed ──────→ failed ── manual retry ──→ handing-off
 *
 * The note's state is written first, then one outbox job per channel; a crash between the two is
 * mended at the next start (a handing-off note without jobs gets them again, with the same
 * idempotency keys). The message is built from the vault at each attempt and never stored in the
 * outbox. A note is wiped only once every one of its jobs has the receiver's confirmation.
 */
import { fallbackChannel, type Client, type HandOffChannel } from '../../../../shared/directory/schema.js';
import { ApiError } from '../../../../shared/ipc/errors.js';
import type { AuditInput, AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../log.js';
import type { EncryptedStore } from '../secure-store.js';
import type { Backoff } from '../outbox/backoff.js';
import { channelsFor } from '../outbox/channel-choice.js';
import { buildHandOffMessage, isUrgent } from '../outbox/hand-off-message.js';
import { createOutbox, type NewJob, type Outbox, type OutboxJob } from '../outbox/outbox.js';
import { auditReasonOf, NOTE_GONE } from '../outbox/reason-code.js';
import type { NoteMeta, Vault } from '../vault/vault.js';
import type { ChannelSender, DeliveryOutcome, SecretLookup } from './types.js';

export interface HandOffService {
  /**
   * Hands a note to its client's channels: the note must be 'ready' (or 'failed', to send its
   * failed jobs again); training notes are refused. Returns the note's jobs; sending starts once
   * the outbox has been started.
   */
  handOff(noteId: string): OutboxJob[];
  /** The outbox view; its start() also mends what a crash left half done. */
  outbox: Outbox;
  /**
   * Drops the undelivered jobs of a note that was destroyed without delivery (expired by
   * retention, cleared at the end of the day), so they do not linger as failures nobody can fix.
   */
  forget(noteId: string): void;
  /**
   * End of day (issue 10 §2), "retry now": a draft or ready note is handed off, and every job of the
   * note still waiting or failed is sent again at once. Returns the note's jobs.
   */
  sendAgain(noteId: string): OutboxJob[];
  /**
   * End of day, "send by the fallback channel": one more job, to the client's fallback channel
   * (directory `handOff.fallback`). Once it is delivered the note is delivered and wiped, and its
   * other undelivered jobs are dropped. Refused when the client has no fallback channel.
   */
  sendByFallback(noteId: string): OutboxJob[];
}

export interface HandOffServiceOptions {
  vault: Vault;
  audit: AuditLog;
  /** The outbox's own encrypted store. */
  store: EncryptedStore;
  senders: Record<HandOffChannel['kind'], ChannelSender>;
  directory: { byId(id: string): Client | undefined };
  secrets: SecretLookup;
  log: Logger;
  now?: () => Date;
  random?: () => number;
  /** Per attempt: connect, request and reply. */
  timeoutMs?: number;
  /** An extra CA to trust (tests' loopback CA). */
  ca?: string | Buffer;
  backoff?: Backoff;
  concurrency?: number;
  /**
   * How soon a note whose delivery was confirmed but whose own move on failed (a full disk, say) is
   * tried again; without it the note would wait, undestroyed and shown as handing off, for a restart.
   */
  mendEveryMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** The outbox's own deadline sits beyond the sender's, so the sender's timeout is what normally fires. */
const OUTBOX_GRACE_MS = 5_000;
const DEFAULT_MEND_EVERY_MS = 2_000;

const isNotFound = (err: unknown) => err instanceof ApiError && err.code === 'not-found';

/** Creates the hand-off service and its outbox (not yet started). */
export function createHandOffService(o: HandOffServiceOptions): HandOffService {
  const now = o.now ?? (() => new Date());
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { vault, log } = o;

  function audit(event: AuditInput): void {
    try {
      o.audit.append(event);
    } catch (err) {
      // The audit trail must not stop a delivery or a wipe; a failure to record is loud in the log.
      log.error('handoff.audit-failed', { type: event.type, error: err instanceof Error ? err.name : 'unknown' });
    }
  }

  const metaOf = (noteId: string): NoteMeta | undefined => vault.list().find((m) => m.id === noteId);

  async function attempt(job: OutboxJob, signal: AbortSignal): Promise<DeliveryOutcome> {
    let note: ReturnType<Vault['read']>;
    try {
      note = vault.read(job.noteId);
    } catch (err) {
      if (isNotFound(err)) return { ok: false, retry: false, reason: NOTE_GONE };
      throw err;
    }
    const client = o.directory.byId(job.clientId);
    if (!client) return { ok: false, retry: false, reason: `the client "${job.clientId}" is not in the directory` };
    const channel = channelOf(client, job);
    if (!channel || channel.kind !== job.kind) {
      return { ok: false, retry: false, reason: `the channel "${job.channelId}" is not configured for this client any more` };
    }
    const sender = o.senders[channel.kind];
    const message = buildHandOffMessage(
      client,
      { id: note.meta.id, fields: note.content.fields, call: note.content.call, takenAt: note.meta.updatedAt },
      job.idempotencyKey,
    );
    return sender.send(message, channel, {
      secrets: o.secrets,
      signal,
      timeoutMs,
      ...(o.ca === undefined ? {} : { ca: o.ca }),
      now,
    });
  }

  /** Moves the note to `state` if it is live and not there yet; returns false when it is gone. */
  function moveNote(noteId: string, state: NoteMeta['state']): boolean {
    try {
      vault.setState(noteId, state);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** Every job confirmed: the note becomes delivered and is destroyed at once. */
  function finish(noteId: string): void {
    let moved: boolean;
    try {
      // The usual path (handing-off → delivered) first: it is on the clock between confirmation and wipe.
      moved = moveNote(noteId, 'delivered');
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'not-allowed')) throw err;
      // A note left 'failed' (or 'ready') by a crash between a retry and its delivery goes the way the vault allows.
      moveNote(noteId, 'handing-off');
      moved = moveNote(noteId, 'delivered');
    }
    if (!moved) return;
    vault.wipe(noteId, 'delivered');
    log.info('handoff.note-wiped', { note: noteId });
  }

  /** What a note's state should be after one of its jobs changed. */
  function follow(noteId: string): void {
    const jobs = outbox.jobsOf(noteId);
    if (jobs.length === 0) return;
    if (jobs.every((j) => j.state === 'delivered')) {
      finish(noteId);
      return;
    }
    if (jobs.some((j) => j.fallback === true && j.state === 'delivered')) {
      // The fallback channel has it: the message is delivered; the channels that failed have nothing left to do.
      finish(noteId);
      forget(noteId);
      return;
    }
    const meta = metaOf(noteId);
    if (!meta) return;
    // Once a fallback job exists, the message's fate is that job's: the usual channels failed already.
    const fallback = jobs.find((j) => j.fallback === true);
    const anyFailed = fallback ? fallback.state === 'failed' : jobs.some((j) => j.state === 'failed');
    if (anyFailed && meta.state === 'handing-off') moveNote(noteId, 'failed');
    if (!anyFailed && meta.state === 'failed') moveNote(noteId, 'handing-off');
  }

  /** Notes whose follow-up failed after a job settled: tried again until it goes through. */
  const unfinished = new Set<string>();
  let mendTimer: ReturnType<typeof setTimeout> | undefined;

  function followOrLater(noteId: string): void {
    try {
      follow(noteId);
      unfinished.delete(noteId);
    } catch (err) {
      log.error('handoff.note-update-failed', { note: noteId, error: err instanceof Error ? err.message : 'unknown' });
      unfinished.add(noteId);
      if (!mendTimer) {
        mendTimer = setTimeout(mend, o.mendEveryMs ?? DEFAULT_MEND_EVERY_MS);
        mendTimer.unref?.();
      }
    }
  }

  function mend(): void {
    mendTimer = undefined;
    for (const noteId of [...unfinished]) followOrLater(noteId);
  }

  function onSettled(job: OutboxJob): void {
    const base = { noteId: job.noteId, clientId: job.clientId, channel: job.kind } as const;
    if (job.state === 'delivered') {
      audit({ type: 'delivered', ...base });
    } else if (job.lastError !== NOTE_GONE) {
      // A note destroyed by retention was recorded as expired by the vault; its job has nothing to add.
      audit({ type: 'failed', ...base, reason: auditReasonOf(job.lastError ?? '', false) });
    } else {
      // Its note is gone (expired, cleared, or delivered by the fallback channel meanwhile).
      forget(job.noteId);
      return;
    }
    followOrLater(job.noteId);
  }

  function onRequeued(job: OutboxJob): void {
    audit({ type: 'handed-off', noteId: job.noteId, clientId: job.clientId, channel: job.kind, reason: 'manual-retry' });
    try {
      follow(job.noteId);
    } catch (err) {
      log.error('handoff.note-update-failed', { note: job.noteId, error: err instanceof Error ? err.message : 'unknown' });
    }
  }

  const outbox = createOutbox({
    store: o.store,
    attempt,
    onSettled,
    onRequeued,
    log,
    now,
    ...(o.random ? { random: o.random } : {}),
    ...(o.backoff ? { backoff: o.backoff } : {}),
    ...(o.concurrency ? { concurrency: o.concurrency } : {}),
    attemptTimeoutMs: timeoutMs + OUTBOX_GRACE_MS,
  });

  /** The jobs a note needs, from its client's channels and its urgency. Throws when there are none. */
  function planFor(noteId: string): NewJob[] {
    const { meta, content } = vault.read(noteId);
    if (meta.training) throw new ApiError('not-allowed', 'Training notes are never handed off.');
    const client = meta.clientId === null ? undefined : o.directory.byId(meta.clientId);
    if (!client) {
      throw new ApiError('not-allowed', 'This note has no client in the directory, so there is no channel to hand it to.');
    }
    const channels = channelsFor(client.handOff, isUrgent(client, content.fields));
    if (channels.length === 0) {
      throw new ApiError('not-allowed', `The client "${client.id}" has no message channel for this message.`);
    }
    return channels.map((c) => ({ noteId, clientId: client.id, channelId: c.id, kind: c.kind }));
  }

  function handOff(noteId: string): OutboxJob[] {
    const { meta } = vault.read(noteId);
    if (meta.training) throw new ApiError('not-allowed', 'Training notes are never handed off.');
    if (meta.state === 'failed') {
      for (const job of outbox.jobsOf(noteId)) if (job.state === 'failed') outbox.retry(job.id);
      return outbox.jobsOf(noteId);
    }
    if (meta.state !== 'ready') {
      throw new ApiError('not-allowed', `Only a note that is ready can be handed off (this one is ${meta.state}).`);
    }
    // Planned before the state changes, so a note with nowhere to go stays 'ready' and editable.
    const plan = planFor(noteId);
    vault.setState(noteId, 'handing-off');
    const jobs = outbox.enqueue(plan);
    for (const job of jobs) audit({ type: 'handed-off', noteId, clientId: job.clientId, channel: job.kind });
    log.info('handoff.started', { note: noteId, jobs: jobs.length });
    return jobs;
  }

  /** Moves a draft, ready or failed note on to handing-off (the way the vault allows). */
  function toHandingOff(meta: NoteMeta): void {
    if (meta.state === 'draft') vault.setState(meta.id, 'ready');
    if (meta.state !== 'handing-off') vault.setState(meta.id, 'handing-off');
  }

  function liveNote(noteId: string): NoteMeta {
    const meta = metaOf(noteId);
    if (!meta) throw new ApiError('not-found', 'There is no such note (it may have been delivered and wiped already).');
    if (meta.training) throw new ApiError('not-allowed', 'Training notes are never handed off.');
    if (meta.state === 'delivered') throw new ApiError('not-allowed', 'This message was delivered already.');
    return meta;
  }

  function sendAgain(noteId: string): OutboxJob[] {
    const meta = liveNote(noteId);
    if (meta.state === 'draft' || meta.state === 'ready') {
      // Planned before the state changes, so a note with nowhere to go stays as it was.
      const plan = planFor(noteId);
      toHandingOff(meta);
      for (const job of outbox.enqueue(plan)) audit({ type: 'handed-off', noteId, clientId: job.clientId, channel: job.kind });
    } else if (outbox.jobsOf(noteId).length === 0) {
      // Handing off without jobs (a crash between the two): the jobs again, with their keys.
      outbox.enqueue(planFor(noteId));
    }
    for (const job of outbox.jobsOf(noteId)) {
      if (job.state === 'failed' || job.state === 'retrying') outbox.retry(job.id);
    }
    log.info('handoff.sent-again', { note: noteId });
    return outbox.jobsOf(noteId);
  }

  function sendByFallback(noteId: string): OutboxJob[] {
    const meta = liveNote(noteId);
    const client = meta.clientId === null ? undefined : o.directory.byId(meta.clientId);
    if (!client) throw new ApiError('not-allowed', 'This note has no client in the directory, so it has no fallback channel.');
    const channel = fallbackChannel(client.handOff);
    if (!channel) throw new ApiError('not-allowed', `The client "${client.id}" has no fallback channel in the directory (handOff.fallback).`);
    toHandingOff(meta);
    const [job] = outbox.enqueue([{ noteId, clientId: client.id, channelId: channel.id, kind: channel.kind, fallback: true }]);
    if (job && (job.state === 'failed' || job.state === 'retrying')) outbox.retry(job.id);
    audit({ type: 'handed-off', noteId, clientId: client.id, channel: channel.kind, reason: 'fallback' });
    log.info('handoff.fallback', { note: noteId, kind: channel.kind });
    // A fallback channel that had the message already (one of the usual channels) settles it now.
    follow(noteId);
    return outbox.jobsOf(noteId);
  }

  /** Mends what a crash left half done, before the outbox sends anything. */
  function reconcile(): void {
    const live = new Map(vault.list().map((m) => [m.id, m]));
    const withJobs = new Set(outbox.list().map((j) => j.noteId));
    for (const noteId of withJobs) {
      if (!live.has(noteId) && outbox.jobsOf(noteId).some((j) => j.state !== 'delivered')) forget(noteId);
    }
    for (const meta of live.values()) {
      try {
        if (meta.state === 'handing-off' && !withJobs.has(meta.id)) {
          const jobs = outbox.enqueue(planFor(meta.id));
          log.warn('handoff.jobs-recreated', { note: meta.id, jobs: jobs.length });
        } else if (withJobs.has(meta.id)) {
          follow(meta.id);
        }
      } catch (err) {
        log.error('handoff.reconcile-failed', { note: meta.id, error: err instanceof Error ? err.message : 'unknown' });
      }
    }
  }

  function forget(noteId: string): void {
    const dropped = outbox.forget(noteId);
    if (dropped > 0) log.info('handoff.jobs-forgotten', { note: noteId, jobs: dropped });
  }

  const view: Outbox = {
    list: () => outbox.list(),
    retry: (jobId) => outbox.retry(jobId),
    onChange: (listener) => outbox.onChange(listener),
    start() {
      reconcile();
      outbox.start();
    },
    stop() {
      clearTimeout(mendTimer);
      mendTimer = undefined;
      return outbox.stop();
    },
  };

  return { handOff, outbox: view, forget, sendAgain, sendByFallback };
}

/** The channel a job goes to: one of the client's channels, or its fallback channel for a fallback job. */
function channelOf(client: Client, job: OutboxJob): HandOffChannel | undefined {
  const usual = client.handOff.channels.find((c) => c.id === job.channelId);
  if (usual) return usual;
  const fallback = job.fallback === true ? fallbackChannel(client.handOff) : undefined;
  return fallback?.id === job.channelId ? fallback : undefined;
}
