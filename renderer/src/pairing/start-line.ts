/**
 * Brings the app's line up when the desk starts: connects it if a line is paired, and re-checks it
 * when the computer wakes from sleep. Returns the function that stops listening for wakes (the line
 * itself stays up for the life of the page).
 *
 * A wake is heard two ways. The main process pushes the OS's "resume" (Electron's powerMonitor,
 * shared/ipc/desk-events.ts); the late-timer wake watch stays as the fallback for a platform that
 * never sends it. After one sleep both usually fire a few seconds apart, so a wake within
 * {@link WAKE_DEBOUNCE_MS} of the last one is ignored: a second re-check would tear down the
 * registration the first has just made. An OS "suspend" ends that window, so the next resume after
 * a new sleep always counts, however soon it comes.
 */
import type { DeskEventSource } from '../../../shared/ipc/desk-events.js';
import { getDeskEvents } from '../api/index.js';
import { getLineStore, type LineStore } from './line-store.js';
import { watchForWake } from './wake-watch.js';

/** Wakes this close to the one acted on are the same wake heard twice. */
export const WAKE_DEBOUNCE_MS = 20_000;

export interface StartLineDeps {
  /** Where the desk's events come from (default: the preload or the dev-web bridge). */
  events?: DeskEventSource;
  /** The fallback wake detector (default: the late-timer {@link watchForWake}). */
  watchWake?: (onWake: () => void) => () => void;
  now?: () => number;
}

/** What starting the line needs of the store. */
export type StartableLine = Pick<LineStore, 'connect' | 'resumed'>;

/** Stores already started: a remounted desk (React's StrictMode) must not connect a second time. */
const started = new WeakSet<StartableLine>();

export function startLine(store: StartableLine = getLineStore(), deps: StartLineDeps = {}): () => void {
  if (!started.has(store)) {
    started.add(store);
    // Not paired, or no password yet: the store records why and the indicator shows it.
    void store.connect();
  }
  const now = deps.now ?? Date.now;
  let lastWake: number | null = null;

  const woke = () => {
    const at = now();
    if (lastWake !== null && at - lastWake < WAKE_DEBOUNCE_MS) return;
    lastWake = at;
    store.resumed();
  };

  const stopEvents = (deps.events ?? getDeskEvents()).onDeskEvent((event) => {
    if (event.type !== 'power') return;
    if (event.event === 'resume') woke();
    // The machine is going to sleep: whatever wakes it next is a new wake.
    else if (event.event === 'suspend') lastWake = null;
  });
  const stopWatch = (deps.watchWake ?? watchForWake)(woke);
  return () => {
    stopEvents();
    stopWatch();
  };
}
