/**
 * The open note's autosave, without React (use-autosave.ts wraps it): changes go to the main process
 * (which seals and writes them) AUTOSAVE_QUIET_MS after the last change, and never later than
 * AUTOSAVE_MAX_WAIT_MS after the first change not yet saved — an operator who types without pausing
 * (a long dictation) is saved while they type, not only when they stop. So a keystroke is on disk at
 * most about a second after it was typed (the max wait plus the save itself, a few ms here).
 *
 * One save is in flight at a time; changes made meanwhile are saved right after it, by the same
 * rules. During IME composition (Japanese input) each change is what the field shows, composing text
 * included, and a committed composition is just another change.
 */

/** The quiet period after the last change. */
export const AUTOSAVE_QUIET_MS = 300;
/**
 * The longest a change waits for its save to start while changes keep coming. Well below 1 s so that
 * the save itself (sealed, written, fsynced: ~20 ms here, ~100 ms on a loaded machine) and a late
 * timer still fit in the promised bound (bench: `npm run bench notes`).
 */
export const AUTOSAVE_MAX_WAIT_MS = 600;

export type SaveStatus = { state: 'idle' } | { state: 'saving' } | { state: 'saved'; at: Date } | { state: 'error' };

export interface AutosaverOptions {
  save: (values: Record<string, string>) => Promise<unknown>;
  onStatus: (status: SaveStatus) => void;
  onError: (err: unknown) => void;
  quietMs?: number;
  maxWaitMs?: number;
  now?: () => Date;
}

export class Autosaver {
  private pending: Record<string, string> | null = null;
  private quietTimer: ReturnType<typeof setTimeout> | undefined;
  private deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> | null = null;
  /** False while no form shows the status (unmounted): saves go on, status and errors are not shown. */
  private attached = true;
  private readonly quietMs: number;
  private readonly maxWaitMs: number;

  constructor(private o: AutosaverOptions) {
    this.quietMs = o.quietMs ?? AUTOSAVE_QUIET_MS;
    this.maxWaitMs = o.maxWaitMs ?? AUTOSAVE_MAX_WAIT_MS;
  }

  /** Call after every change with the whole form's values. */
  schedule(values: Record<string, string>): void {
    this.pending = values;
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => void this.flush(), this.quietMs);
    // The deadline runs from the first change not yet saved; later changes do not push it back.
    this.deadlineTimer ??= setTimeout(() => void this.flush(), this.maxWaitMs);
  }

  /** Saves what is pending now (after any save in flight); resolves to false when the save failed. */
  async flush(): Promise<boolean> {
    this.clearTimers();
    while (this.inFlight) await this.inFlight;
    const values = this.pending;
    if (!values) return true;
    this.pending = null;
    this.status({ state: 'saving' });
    let ok = true;
    const attempt = this.o.save(values).then(
      () => this.status({ state: 'saved', at: this.o.now?.() ?? new Date() }),
      (err: unknown) => {
        ok = false;
        // Kept, so the next change or the hand-off tries again; no automatic loop on a lasting fault.
        this.pending ??= values;
        if (!this.attached) return;
        this.status({ state: 'error' });
        this.o.onError(err);
      },
    );
    this.inFlight = attempt.finally(() => {
      this.inFlight = null;
    });
    await this.inFlight;
    return ok;
  }

  /** Later saves and errors go to these (the form's latest callbacks). */
  setHandlers(save: AutosaverOptions['save'], onError: AutosaverOptions['onError']): void {
    this.o = { ...this.o, save, onError };
  }

  /** The form shows this saver's status again (mounted; React's StrictMode mounts twice). */
  attach(): void {
    this.attached = true;
  }

  /** Leaving the note (another one opened): what was typed since the last save is still saved. */
  detach(): void {
    this.attached = false;
    this.clearTimers();
    const last = this.pending;
    this.pending = null;
    if (last) void this.o.save(last).catch(() => undefined);
  }

  private clearTimers(): void {
    clearTimeout(this.quietTimer);
    clearTimeout(this.deadlineTimer);
    this.quietTimer = undefined;
    this.deadlineTimer = undefined;
  }

  private status(s: SaveStatus): void {
    if (this.attached) this.o.onStatus(s);
  }
}
