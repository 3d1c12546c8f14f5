/**
 * The moment the idle lock opens, for whatever asked the main process for data while the desk was
 * locked: the main process refuses such calls with 'desk-locked' (electron/main/services/lock-gate.ts),
 * so what was refused — a ring's pop, the client labels, the list of notes, a board — is asked for
 * again here. Module-wide because the line's pop watcher and the label book live outside React.
 */
import { useSyncExternalStore } from 'react';

let unlocks = 0;
const listeners = new Set<() => void>();

/** Called by the idle lock once the desk is open again (the main process said yes). */
export function announceDeskUnlocked(): void {
  unlocks += 1;
  for (const listener of [...listeners]) {
    try {
      listener();
    } catch {
      // one listener's bug must not keep the others from refreshing
    }
  }
}

/** Calls `listener` after every unlock; returns the unsubscribe function. */
export function onDeskUnlocked(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** How many times the desk was unlocked: put it in an effect's dependencies to load again after one. */
export function useDeskUnlocks(): number {
  return useSyncExternalStore(onDeskUnlocked, () => unlocks);
}

/** Whether `err` is the main process refusing because the desk is locked (said nowhere: the lock screen is up). */
export function isDeskLocked(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'desk-locked';
}
