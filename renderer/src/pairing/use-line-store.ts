/** React's view of the line store: re-renders on every line change. */
import { useSyncExternalStore } from 'react';
import type { LineStore, LineStoreSnapshot } from './line-store.js';

export function useLineSnapshot(store: LineStore): LineStoreSnapshot {
  return useSyncExternalStore(
    (listener) => store.subscribe(listener),
    () => store.snapshot,
  );
}
