/**
 * The main process's side of the one-way event channel (shared/ipc/desk-events.ts): events are sent
 * to the desk window's page on DESK_EVENT_CHANNEL, where the preload checks and delivers them. The
 * OS power events go this way, so the SIP line in the renderer re-registers at once after a wake
 * instead of guessing it from a late timer.
 */
import type { WebContents } from 'electron';
import { DESK_EVENT_CHANNEL, DeskEvent } from '../../../shared/ipc/desk-events.js';
import type { Logger } from '../services/log.js';
import { isAppUrl } from './app-origin.js';
import { onPowerEvent } from './power.js';

/** The desk window's page, or null while there is none (before the window opens, after it closes). */
export type DeskPage = () => WebContents | null;

/**
 * Sends one event to the page. Nothing is sent to a page that is gone or that is not one of ours
 * (the same rule the IPC handlers apply to callers), and an event that does not match the contract
 * is refused here rather than left for the page to drop. True when it was sent.
 */
export function sendDeskEvent(page: WebContents | null, event: DeskEvent, log: Logger): boolean {
  if (!page || page.isDestroyed() || !isAppUrl(page.mainFrame.url)) return false;
  const checked = DeskEvent.safeParse(event);
  if (!checked.success) {
    log.warn('desk-event.invalid', { issues: checked.error.issues.length });
    return false;
  }
  page.send(DESK_EVENT_CHANNEL, checked.data);
  return true;
}

/**
 * Forwards every OS power event to the desk page; returns the function that stops forwarding.
 * `onLock` runs first on lock-screen and suspend (the idle lock, held by the main process, so the desk
 * is locked even when no page is there to hear the event, or the page is busy).
 */
export function forwardPowerEvents(page: DeskPage, log: Logger, onLock?: () => void): () => void {
  return onPowerEvent((event) => {
    // Not `event`: that key is the log line's own name.
    log.info('power.event', { power: event });
    if (event !== 'resume' && onLock) {
      try {
        onLock();
      } catch {
        log.warn('power.lock-failed');
      }
    }
    sendDeskEvent(page(), { type: 'power', event }, log);
  });
}
