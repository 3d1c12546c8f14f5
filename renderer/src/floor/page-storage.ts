/**
 * What the page keeps itself, cleared when the desk is cleared (issue 10 §1): the desk pushes
 * 'clear-page-storage' during a clearance and the page empties its Local Storage and Session Storage
 * but for what the desk keeps (docs/clearance.md, "What stays"):
 *
 * - `kotozute.audio-devices` (Local Storage): the operator's microphone/speaker choice — a setting,
 *   per-origin device ids, no personal data;
 * - `kotozute.bridgeToken` (Session Storage, dev-web only): how the page reaches its desk; not data.
 *
 * The locale is not here: it is saved in the desk's settings.json by the main process.
 */
import type { DeskEventSource } from '../../../shared/ipc/desk-events.js';

/** The keys the page keeps across a clearance. */
export const KEPT_KEYS: ReadonlySet<string> = new Set(['kotozute.audio-devices', 'kotozute.bridgeToken']);

/** Removes every key of `storage` but the kept ones; returns how many went. A storage that refuses is left. */
export function clearStorage(storage: Pick<Storage, 'length' | 'key' | 'removeItem'>, kept: ReadonlySet<string> = KEPT_KEYS): number {
  const names: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const name = storage.key(i);
    if (name !== null && !kept.has(name)) names.push(name);
  }
  for (const name of names) storage.removeItem(name);
  return names.length;
}

/** Clears this page's Local and Session Storage whenever the desk says it was cleared. */
export function clearPageStorageOnClearance(events: DeskEventSource, storages: () => Pick<Storage, 'length' | 'key' | 'removeItem'>[]): () => void {
  return events.onDeskEvent((event) => {
    if (event.type !== 'clear-page-storage') return;
    for (const storage of storages()) {
      try {
        clearStorage(storage);
      } catch {
        // a storage the browser denies holds nothing of ours
      }
    }
  });
}
