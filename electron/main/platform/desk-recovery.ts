/**
 * Keeps the desk page up, or says why it cannot. A renderer that crashed (or hung past
 * {@link HUNG_LIMIT_MS}, then is crashed on purpose) is reloaded at {@link RECOVERED_URL}, where the
 * page tells the operator what happened and lists the unfinished notes to reopen from their
 * autosave. A failed load is retried once. A renderer that keeps crashing ({@link CRASH_LIMIT}
 * times within {@link CRASH_WINDOW_MS}) or a page that cannot load twice running is given up: the
 * caller says why in a dialog and quits, so no process is left without a window holding the
 * single-instance lock.
 */
import type { RenderProcessGoneDetails, WebContents } from 'electron';
import type { Logger } from '../services/log.js';
import { APP_ENTRY_URL, isAppUrl } from './app-origin.js';

/** The page after a crash: the fragment tells it to show the recovery notice (renderer/src/desk/recovery-notice.tsx). */
export const RECOVERED_URL = `${APP_ENTRY_URL}#recovered`;
export const CRASH_LIMIT = 3;
export const CRASH_WINDOW_MS = 60_000;
/** A page that answers nothing this long is crashed and reloaded: a desk that cannot ring is worse. */
export const HUNG_LIMIT_MS = 30_000;
/** Chromium's ERR_ABORTED: a load replaced by another one, not a failure. */
const ERR_ABORTED = -3;

export type DeskFailure = 'crash-loop' | 'load-failed';

export interface DeskRecoveryOptions {
  log: Logger;
  /** The desk cannot be kept up: say why and quit. Called at most once. */
  giveUp: (why: DeskFailure) => void;
  now?: () => number;
}

/** Watches the desk window's page; returns the function that stops watching. */
export function superviseDesk(contents: WebContents, { log, giveUp, now = Date.now }: DeskRecoveryOptions): () => void {
  let crashes: number[] = [];
  let failedLoads = 0;
  let gaveUp = false;
  let hung: ReturnType<typeof setTimeout> | null = null;

  const stop = (why: DeskFailure) => {
    if (gaveUp) return;
    gaveUp = true;
    clearHung();
    giveUp(why);
  };
  const clearHung = () => {
    if (hung !== null) clearTimeout(hung);
    hung = null;
  };
  const load = (url: string) => {
    // A refusal also arrives as 'did-fail-load', handled below.
    contents.loadURL(url).catch(() => undefined);
  };

  const onGone = (_event: unknown, details: RenderProcessGoneDetails) => {
    clearHung();
    // The page closed normally (the window is closing): nothing to recover.
    if (details.reason === 'clean-exit' || gaveUp || contents.isDestroyed()) return;
    const at = now();
    crashes = [...crashes.filter((t) => at - t < CRASH_WINDOW_MS), at];
    log.error('window.renderer-gone', { reason: details.reason, exitCode: details.exitCode, recent: crashes.length });
    if (crashes.length >= CRASH_LIMIT) return stop('crash-loop');
    load(RECOVERED_URL);
  };

  const onFailLoad = (_event: unknown, errorCode: number, _description: string, url: string, isMainFrame: boolean) => {
    if (!isMainFrame || errorCode === ERR_ABORTED || gaveUp) return;
    failedLoads += 1;
    log.error('window.load-failed', { code: errorCode, attempt: failedLoads });
    if (failedLoads > 1) return stop('load-failed');
    // The same page of ours again (the recovery notice's address included), never anything else.
    load(isAppUrl(url) ? url : APP_ENTRY_URL);
  };

  const onLoaded = () => {
    failedLoads = 0;
  };

  const onUnresponsive = () => {
    log.warn('window.unresponsive');
    if (hung !== null || gaveUp) return;
    hung = setTimeout(() => {
      hung = null;
      log.error('window.hung', { ms: HUNG_LIMIT_MS });
      // Ends in 'render-process-gone' (killed), which reloads the page.
      contents.forcefullyCrashRenderer();
    }, HUNG_LIMIT_MS);
  };

  const onResponsive = () => {
    if (hung === null) return;
    clearHung();
    log.info('window.responsive');
  };

  contents.on('render-process-gone', onGone);
  contents.on('did-fail-load', onFailLoad);
  contents.on('did-finish-load', onLoaded);
  contents.on('unresponsive', onUnresponsive);
  contents.on('responsive', onResponsive);
  return () => {
    clearHung();
    contents.off('render-process-gone', onGone);
    contents.off('did-fail-load', onFailLoad);
    contents.off('did-finish-load', onLoaded);
    contents.off('unresponsive', onUnresponsive);
    contents.off('responsive', onResponsive);
  };
}
