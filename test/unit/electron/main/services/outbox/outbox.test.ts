/**
 * The outbox's state machine against a real encrypted store on disk. The attempts come from a small
 * scripted function of our own (the outbox's `attempt` seam): these tests are about when and how
 * often the outbox tries, and what it records, not about any channel.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../../../../../../electron/main/services/log.js';
import { openEncryptedStore, type EncryptedStore } from '../../../../../../electron/main/services/secure-store.js';
import type { DeliveryOutcome } from '../../../../../../electron/main/services/handoff/types.js';
import { idempotencyKeyFor } from '../../../../../../electron/main/services/outbox/job.js';
import {
  createOutbox,
  OutboxError,
  type OutboxEngine,
  type OutboxJob,
  type OutboxOptions,
} from '../../../../../../electron/main/services/outbox/outbox.js';
import { outboxUntil as until } from '../../../../../support/outbox-wait.js';

const NOTE = '6f1c2a9e-1b2c-4d3e-8f40-5a6b7c8d9e0f';
const OTHER_NOTE = '0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d';
const ok: DeliveryOutcome = { ok: true, receipt: '250 OK' };
const busy = (retryAfterMs?: number): DeliveryOutcome =>
  retryAfterMs === undefined ? { ok: false, retry: true, reason: 'server-error (503)' } : { ok: false, retry: true, retryAfterMs, reason: 'rate limited (429)' };
const refused: DeliveryOutcome = { ok: false, retry: false, reason: 'webhook refused the message (400: bad token)' };

let dir: string;
let key: Buffer;
let outboxes: OutboxEngine[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-outbox-'));
  key = randomBytes(32);
  outboxes = [];
});
afterEach(async () => {
  await Promise.all(outboxes.map((o) => o.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

const openStore = (): EncryptedStore => openEncryptedStore({ dir, name: 'outbox', key }).store;

interface Call {
  job: OutboxJob;
  signal: AbortSignal;
  at: number;
}

/** An attempt function that answers from a script, one outcome per call, and records every call. */
function scripted(outcomes: Array<DeliveryOutcome | 'hang' | 'throw'>) {
  const calls: Call[] = [];
  const attempt: OutboxOptions['attempt'] = (job, signal) => {
    calls.push({ job, signal, at: Date.now() });
    const next = outcomes.shift() ?? ok;
    if (next === 'throw') return Promise.reject(new Error('sender bug'));
    if (next === 'hang') {
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve({ ok: false, retry: true, reason: 'the attempt was cancelled' })));
    }
    return Promise.resolve(next);
  };
  return { calls, attempt };
}

function open(o: Partial<OutboxOptions> & Pick<OutboxOptions, 'attempt'>, store = openStore()): OutboxEngine {
  const outbox = createOutbox({ store, log: nullLogger, random: () => 0.5, backoff: { baseMs: 40, maxMs: 400 }, ...o });
  outboxes.push(outbox);
  return outbox;
}

const job = (noteId = NOTE, channelId = 'office-mail') => ({ noteId, clientId: 'sato-law', channelId, kind: 'email' as const });

const stateIs = (state: OutboxJob['state']) => (jobs: OutboxJob[]) => jobs.length > 0 && jobs.every((j) => j.state === state);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('outbox', () => {
  it('delivers a new job once and tells its owner', async () => {
    const { calls, attempt } = scripted([ok]);
    const settled: OutboxJob[] = [];
    const outbox = open({ attempt, onSettled: (j) => settled.push(j) });
    outbox.start();
    const [created] = outbox.enqueue([job()]);
    expect(created).toMatchObject({ state: 'pending', attempts: 0, idempotencyKey: idempotencyKeyFor(NOTE, 'office-mail') });

    const [done] = await until(outbox, stateIs('delivered'));
    expect(done).toMatchObject({ state: 'delivered', attempts: 1, lastError: null, nextAttemptAt: null });
    expect(done?.deliveredAt).not.toBeNull();
    expect(calls).toHaveLength(1);
    expect(settled.map((j) => j.state)).toEqual(['delivered']);
  });

  describe('a delivery proves the receiver is back', () => {
    /** A back-off of a minute and more: only the receiver coming back can make these go within the test. */
    const slow = { backoff: { baseMs: 60_000, maxMs: 300_000 } };
    const byNote = (jobs: OutboxJob[], noteId: string) => jobs.find((j) => j.noteId === noteId);

    it("sends the same channel's waiting retries at once, not after their back-off", async () => {
      const { calls, attempt } = scripted([busy(), ok, ok]);
      const outbox = open({ attempt, ...slow });
      outbox.start();
      outbox.enqueue([job(NOTE)]);
      await until(outbox, (jobs) => byNote(jobs, NOTE)?.state === 'retrying');
      outbox.enqueue([job(OTHER_NOTE)]);
      const jobs = await until(outbox, stateIs('delivered'));
      expect(byNote(jobs, NOTE)).toMatchObject({ attempts: 2, lastError: null });
      expect(calls.map((c) => c.job.noteId)).toEqual([NOTE, OTHER_NOTE, NOTE]);
    });

    it('keeps a retry that a Retry-After holds, and the retries of other channels', async () => {
      const THIRD = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
      const { calls, attempt } = scripted([busy(120_000), busy(), ok]);
      const outbox = open({ attempt, ...slow });
      outbox.start();
      outbox.enqueue([job(NOTE)]);
      await until(outbox, (jobs) => byNote(jobs, NOTE)?.state === 'retrying');
      outbox.enqueue([job(THIRD, 'office-slack')]);
      await until(outbox, (jobs) => byNote(jobs, THIRD)?.state === 'retrying');
      outbox.enqueue([job(OTHER_NOTE)]);
      await until(outbox, (jobs) => byNote(jobs, OTHER_NOTE)?.state === 'delivered');
      await sleep(100);
      const jobs = outbox.list();
      expect(byNote(jobs, NOTE)).toMatchObject({ state: 'retrying', reason: 'rate-limited', attempts: 1 });
      expect(byNote(jobs, THIRD)).toMatchObject({ state: 'retrying', attempts: 1 });
      expect(calls).toHaveLength(3);
    });
  });

  it('retries a retryable failure after a jittered back-off, with the same idempotency key', async () => {
    const { calls, attempt } = scripted([busy(), busy(), ok]);
    const outbox = open({ attempt });
    outbox.start();
    outbox.enqueue([job()]);

    const retrying = await until(outbox, stateIs('retrying'));
    expect(retrying[0]).toMatchObject({ attempts: 1, lastError: 'server-error (503)', reason: 'server-error' });
    await until(outbox, stateIs('delivered'));

    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.job.idempotencyKey))).toEqual(new Set([idempotencyKeyFor(NOTE, 'office-mail')]));
    // random 0.5 → half the ceiling: 20 ms after the first failure, 40 ms after the second.
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(18);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(38);
  });

  it("waits at least the receiver's Retry-After", async () => {
    const { calls, attempt } = scripted([busy(250), ok]);
    const outbox = open({ attempt });
    outbox.start();
    outbox.enqueue([job()]);

    const [retrying] = await until(outbox, stateIs('retrying'));
    const waits = Date.parse(retrying!.nextAttemptAt!) - Date.now();
    expect(waits).toBeGreaterThan(200);
    await until(outbox, stateIs('delivered'));
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(245);
  });

  it('sleeps until the next job is due instead of polling', async () => {
    const { calls, attempt } = scripted([busy(300), ok]);
    const outbox = open({ attempt });
    outbox.start();
    outbox.enqueue([job()]);
    await until(outbox, stateIs('retrying'));
    await sleep(150);
    expect(calls).toHaveLength(1);
    await until(outbox, stateIs('delivered'));
    expect(calls).toHaveLength(2);
  });

  it('stops at a failure that will never succeed, shows why, and sends again only when a person retries', async () => {
    const { calls, attempt } = scripted([refused, ok]);
    const settled: string[] = [];
    const requeued: string[] = [];
    const outbox = open({ attempt, onSettled: (j) => settled.push(j.state), onRequeued: (j) => requeued.push(j.id) });
    outbox.start();
    const [created] = outbox.enqueue([job()]);

    const [failed] = await until(outbox, stateIs('failed'));
    expect(failed).toMatchObject({ state: 'failed', nextAttemptAt: null, lastError: 'webhook refused the message (400: bad token)', reason: 'rejected' });
    await sleep(200);
    expect(calls).toHaveLength(1);

    const seen: string[] = [];
    outbox.onChange((jobs) => seen.push(jobs[0]!.state));
    outbox.retry(created!.id);
    // Back to the queue and, being due at once, straight into an attempt: a fresh count from zero.
    expect(seen.slice(0, 2)).toEqual(['pending', 'sending']);
    expect(outbox.list()[0]).toMatchObject({ attempts: 1, lastError: null, reason: null });
    expect(requeued).toEqual([created!.id]);
    await until(outbox, stateIs('delivered'));
    expect(calls).toHaveLength(2);
    expect(calls[1]!.job.idempotencyKey).toBe(calls[0]!.job.idempotencyKey);
    expect(settled).toEqual(['failed', 'delivered']);
  });

  it('refuses to retry a job it does not have or one already delivered', async () => {
    const { attempt } = scripted([ok]);
    const outbox = open({ attempt });
    outbox.start();
    const [created] = outbox.enqueue([job()]);
    await until(outbox, stateIs('delivered'));
    expect(() => outbox.retry('job-nope')).toThrow(OutboxError);
    expect(() => outbox.retry(created!.id)).toThrow(/already delivered/);
  });

  it('keeps jobs across a restart and resumes one cut off mid-send with the same key', async () => {
    // The first desk "crashes" while sending: it is never stopped, its attempt never answers.
    const first = scripted(['hang']);
    const crashed = createOutbox({ store: openStore(), attempt: first.attempt, log: nullLogger });
    crashed.start();
    crashed.enqueue([job()]);
    await until(crashed, stateIs('sending'));

    const second = scripted([ok]);
    const store = openStore();
    const reopened = open({ attempt: second.attempt }, store);
    expect(reopened.list()).toMatchObject([{ state: 'sending', attempts: 1 }]);
    reopened.start();
    await until(reopened, stateIs('delivered'));
    expect(second.calls).toHaveLength(1);
    expect(second.calls[0]!.job.idempotencyKey).toBe(first.calls[0]!.job.idempotencyKey);
    expect(reopened.list()[0]).toMatchObject({ attempts: 2 });
    // What was written is what a third start would see.
    expect(open({ attempt: second.attempt }, openStore()).list()).toMatchObject([{ state: 'delivered' }]);
    first.calls[0]!.signal.dispatchEvent(new Event('abort'));
  });

  it('stop() aborts an attempt in flight and leaves it to resume first at the next start', async () => {
    const { calls, attempt } = scripted(['hang']);
    const outbox = open({ attempt });
    outbox.start();
    outbox.enqueue([job()]);
    await until(outbox, stateIs('sending'));

    await outbox.stop();
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(outbox.list()[0]).toMatchObject({ state: 'retrying', lastError: 'interrupted', reason: 'interrupted' });

    const again = scripted([ok]);
    const reopened = open({ attempt: again.attempt });
    reopened.start();
    await until(reopened, stateIs('delivered'));
    expect(again.calls).toHaveLength(1);
  });

  it('abandons an attempt that outlives its deadline, and retries it', async () => {
    const { calls, attempt } = scripted(['hang', ok]);
    const outbox = open({ attempt, attemptTimeoutMs: 100 });
    outbox.start();
    outbox.enqueue([job()]);
    const [retrying] = await until(outbox, stateIs('retrying'));
    expect(retrying?.lastError).toBe('timeout');
    expect(calls[0]!.signal.aborted).toBe(true);
    await until(outbox, stateIs('delivered'));
  });

  it('retries when a sender throws instead of answering', async () => {
    const { attempt } = scripted(['throw', ok]);
    const outbox = open({ attempt });
    outbox.start();
    outbox.enqueue([job()]);
    const [retrying] = await until(outbox, stateIs('retrying'));
    expect(retrying?.lastError).toBe('sender-error');
    await until(outbox, stateIs('delivered'));
  });

  it('keeps at most `concurrency` attempts in flight, one per job', async () => {
    let inFlight = 0;
    let most = 0;
    const perJob = new Map<string, number>();
    const outbox = open({
      concurrency: 2,
      attempt: async (j) => {
        inFlight++;
        most = Math.max(most, inFlight);
        perJob.set(j.id, (perJob.get(j.id) ?? 0) + 1);
        await sleep(30);
        inFlight--;
        return ok;
      },
    });
    outbox.start();
    outbox.enqueue(['a', 'b', 'c', 'd', 'e'].map((c) => job(NOTE, c)));
    await until(outbox, (jobs) => jobs.length === 5 && jobs.every((j) => j.state === 'delivered'));
    expect(most).toBe(2);
    expect([...perJob.values()]).toEqual([1, 1, 1, 1, 1]);
  });

  it('returns the existing job when a hand-off is re-created, never resetting a delivered one', async () => {
    const { calls, attempt } = scripted([ok]);
    const outbox = open({ attempt });
    outbox.start();
    const [first] = outbox.enqueue([job()]);
    await until(outbox, stateIs('delivered'));
    const [again] = outbox.enqueue([job(), job(OTHER_NOTE)]);
    expect(again).toMatchObject({ id: first!.id, state: 'delivered' });
    await until(outbox, (jobs) => jobs.length === 2 && jobs.every((j) => j.state === 'delivered'));
    expect(calls.map((c) => c.job.noteId)).toEqual([NOTE, OTHER_NOTE]);
    expect(outbox.jobsOf(OTHER_NOTE)).toHaveLength(1);
  });

  it('forgets delivered jobs after they have been shown long enough', async () => {
    let clock = Date.parse('2025-04-01T09:00:00Z');
    const now = () => new Date(clock);
    const { attempt } = scripted([ok]);
    const outbox = open({ attempt, now, keepDeliveredMs: 60_000 });
    outbox.start();
    outbox.enqueue([job()]);
    await until(outbox, stateIs('delivered'));
    await outbox.stop();

    clock += 61_000;
    const reopened = open({ attempt, now, keepDeliveredMs: 60_000 });
    reopened.start();
    expect(reopened.list()).toEqual([]);
  });

  it('writes no job before start() sends it, and keeps no message content in a job', () => {
    const { calls, attempt } = scripted([]);
    const outbox = open({ attempt });
    const [created] = outbox.enqueue([job()]);
    expect(calls).toHaveLength(0);
    expect(Object.keys(created!).sort()).toEqual(
      ['attempts', 'channelId', 'clientId', 'createdAt', 'deliveredAt', 'id', 'idempotencyKey', 'kind', 'lastError', 'nextAttemptAt', 'noteId', 'reason', 'state'].sort(),
    );
  });
});
