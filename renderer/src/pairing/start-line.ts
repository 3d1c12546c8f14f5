/**
 * Brings the app's line up when the desk starts: connects it if a line is paired, and re-checks it
 * when the computer wakes from sleep. Returns the function that stops the wake watch (the line
 * itself stays up for the life of the page).
 */
import { getLineStore, type LineStore } from './line-store.js';
import { watchForWake } from './wake-watch.js';

/** Stores already started: a remounted desk (React's StrictMode) must not connect a second time. */
const started = new WeakSet<LineStore>();

export function startLine(store: LineStore = getLineStore()): () => void {
  if (!started.has(store)) {
    started.add(store);
    // Not paired, or no password yet: the store records why and the indicator shows it.
    void store.connect();
  }
  return watchForWake(() => store.resumed());
}
