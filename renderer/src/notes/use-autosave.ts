/**
 * Autosave for the open note: at most AUTOSAVE_MS after the last keystroke the fields go to the
 * main process (which seals and writes them), so a crash loses at most that much typing. One save
 * is in flight at a time; changes made meanwhile are saved right after it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export const AUTOSAVE_MS = 300;

export type SaveStatus = { state: 'idle' } | { state: 'saving' } | { state: 'saved'; at: Date } | { state: 'error' };

export interface Autosave {
  status: SaveStatus;
  /** Call after every change. */
  schedule(values: Record<string, string>): void;
  /** Saves what is pending now (before a hand-off); resolves to false when the save failed. */
  flush(): Promise<boolean>;
}

export function useAutosave(save: (values: Record<string, string>) => Promise<unknown>, onError: (err: unknown) => void): Autosave {
  const [status, setStatus] = useState<SaveStatus>({ state: 'idle' });
  const pending = useRef<Record<string, string> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef<Promise<void> | null>(null);
  const alive = useRef(true);
  const saveRef = useRef(save);
  const errorRef = useRef(onError);
  // The latest callbacks, for saves already scheduled.
  useEffect(() => {
    saveRef.current = save;
    errorRef.current = onError;
  }, [save, onError]);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
      if (timer.current) clearTimeout(timer.current);
      // Leaving the note (another one opened) still saves what was typed in the last 300 ms.
      const last = pending.current;
      pending.current = null;
      if (last) void saveRef.current(last).catch(() => undefined);
    };
  }, []);

  /** Saves what is pending (after any save in flight); resolves to false when the save failed. */
  const run = useCallback(async (): Promise<boolean> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = undefined;
    while (inFlight.current) await inFlight.current;
    const values = pending.current;
    if (!values) return true;
    pending.current = null;
    setStatus({ state: 'saving' });
    let ok = true;
    const attempt = saveRef.current(values).then(
      () => {
        if (alive.current) setStatus({ state: 'saved', at: new Date() });
      },
      (err: unknown) => {
        ok = false;
        // Kept, so the next keystroke or the hand-off tries again; no automatic loop on a lasting fault.
        pending.current ??= values;
        if (!alive.current) return;
        setStatus({ state: 'error' });
        errorRef.current(err);
      },
    );
    inFlight.current = attempt.finally(() => {
      inFlight.current = null;
    });
    await inFlight.current;
    return ok;
  }, []);

  const schedule = useCallback(
    (values: Record<string, string>) => {
      pending.current = values;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void run(), AUTOSAVE_MS);
    },
    [run],
  );

  return { status, schedule, flush: run };
}
