/**
 * Autosave for the open note (the rules are in autosaver.ts): saved 300 ms after the last change and
 * at most 600 ms after the first unsaved one while typing goes on, so a crash loses at most about a
 * second of typing.
 */
import { useEffect, useMemo, useState } from 'react';
import { Autosaver, type SaveStatus } from './autosaver.js';

export { AUTOSAVE_MAX_WAIT_MS, AUTOSAVE_QUIET_MS, type SaveStatus } from './autosaver.js';

export interface Autosave {
  status: SaveStatus;
  /** Call after every change. */
  schedule(values: Record<string, string>): void;
  /** Saves what is pending now (before a hand-off); resolves to false when the save failed. */
  flush(): Promise<boolean>;
}

export function useAutosave(save: (values: Record<string, string>) => Promise<unknown>, onError: (err: unknown) => void): Autosave {
  const [status, setStatus] = useState<SaveStatus>({ state: 'idle' });
  const [saver] = useState(() => new Autosaver({ save, onError, onStatus: setStatus }));
  // The latest callbacks, for saves already scheduled.
  useEffect(() => saver.setHandlers(save, onError), [saver, save, onError]);
  useEffect(() => {
    saver.attach();
    return () => saver.detach();
  }, [saver]);

  const actions = useMemo(() => ({ schedule: (v: Record<string, string>) => saver.schedule(v), flush: () => saver.flush() }), [saver]);
  return { status, ...actions };
}
