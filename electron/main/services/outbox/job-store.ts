/**
 * The outbox's jobs at rest, in the encrypted store (AES-256-GCM, atomic writes, 0600): every state
 * change is written before anything acts on it, so a crash at any moment leaves a list the next
 * start can resume from.
 */
import { z } from 'zod';
import type { EncryptedStore } from '../secure-store.js';
import { OutboxJob } from './job.js';

const KEY = 'outbox-jobs';
const Jobs = z.array(OutboxJob);

/** The jobs persisted in `store`, oldest first; an empty list when there are none yet. */
export function loadJobs(store: EncryptedStore): OutboxJob[] {
  return store.get(KEY, Jobs) ?? [];
}

/** Replaces the persisted list with `jobs`. */
export function saveJobs(store: EncryptedStore, jobs: readonly OutboxJob[]): void {
  store.set(KEY, jobs);
}
