/**
 * Notices that the computer slept. A page gets no OS resume event, but its timers stop while the
 * machine sleeps: a tick that arrives much later than scheduled means the OS just woke up, and the
 * line's socket may be dead without knowing it. (The `online` event is handled by the line itself.)
 *
 * A hidden page's timers are late too, without any sleep: Chromium aligns them to whole seconds,
 * and a repeating timer like this one to whole minutes once the page has been hidden for five
 * minutes (intensive throttling; a background tab under dev-web, or Electron if its throttling is
 * on). Taking such a tick for a wake would tear the line down and register it afresh every minute
 * — and a call ringing meanwhile could be lost. So while the page is or was hidden since the last
 * tick, only a tick later than any throttling would make it counts as a wake; a shorter sleep then goes unnoticed
 * here, and the next registration refresh (or the OS resume Electron reports) finds a dead socket.
 */

export interface WakeWatchOptions {
  /** How often to tick (default 5 s). */
  intervalMs?: number;
  /** A tick this much later than due counts as a wake-up (default 15 s). */
  slackMs?: number;
  /** The same while the page is hidden, above the throttled timers' delay (default 90 s). */
  hiddenSlackMs?: number;
  now?: () => number;
  /** Whether the page is hidden, and its visibilitychange events (default: `document`). */
  page?: VisiblePage | null;
}

/** What the watch needs of `document`. */
export interface VisiblePage {
  readonly hidden: boolean;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

/** Intensive throttling runs a hidden page's repeating timers once a minute; this is well above. */
export const HIDDEN_SLACK_MS = 90_000;

/** Calls `onWake` after each detected sleep; returns the function that stops watching. */
export function watchForWake(onWake: () => void, o: WakeWatchOptions = {}): () => void {
  const intervalMs = o.intervalMs ?? 5000;
  const slackMs = o.slackMs ?? 15_000;
  const hiddenSlackMs = Math.max(slackMs, o.hiddenSlackMs ?? HIDDEN_SLACK_MS);
  const now = o.now ?? Date.now;
  const page = o.page === undefined ? defaultPage() : o.page;
  let last = now();
  /** The page was hidden at some moment since the last tick (its timers may have been throttled). */
  let wasHidden = page?.hidden ?? false;
  const onVisibility = (): void => {
    if (page?.hidden) wasHidden = true;
  };
  page?.addEventListener('visibilitychange', onVisibility);
  const timer = setInterval(() => {
    const at = now();
    const late = at - last - intervalMs;
    last = at;
    const slack = wasHidden ? hiddenSlackMs : slackMs;
    wasHidden = page?.hidden ?? false;
    if (late > slack) onWake();
  }, intervalMs);
  return () => {
    clearInterval(timer);
    page?.removeEventListener('visibilitychange', onVisibility);
  };
}

function defaultPage(): VisiblePage | null {
  return typeof document === 'undefined' ? null : document;
}
