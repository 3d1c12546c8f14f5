/**
 * Electron's side of the typed API: one `ipcMain.handle` per contract method. Every call is first
 * checked for its sender — the main frame of one of our windows, showing one of our pages — and
 * then handed to the shared dispatcher, which validates the argument and answers an envelope.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { methodNames } from '../../../shared/ipc/contract.js';
import { ApiError, channelOf, type Envelope } from '../../../shared/ipc/errors.js';
import type { Dispatch } from '../api/dispatch.js';
import type { Logger } from '../services/log.js';
import { isAppUrl } from './app-origin.js';

/** Says whether a web contents belongs to a window the app itself created. */
export type IsOurWindow = (contents: WebContents) => boolean;

/**
 * True only for the top frame of one of our windows on an app:// page: an iframe, a page that
 * navigated elsewhere or a frame already gone (senderFrame null) is not trusted.
 */
export function isTrustedSender(event: IpcMainInvokeEvent, isOurWindow: IsOurWindow): boolean {
  const frame = event.senderFrame;
  if (frame === null || !isOurWindow(event.sender)) return false;
  const top = event.sender.mainFrame;
  const isTop = frame.parent === null && frame.processId === top.processId && frame.routingId === top.routingId;
  return isTop && isAppUrl(frame.url);
}

const FORBIDDEN: Envelope = {
  ok: false,
  error: new ApiError('forbidden-sender', 'This call did not come from a Kotozute window.').toInfo(),
};

/** Registers every contract method; returns a function that removes them again. */
export function registerApi(dispatch: Dispatch, isOurWindow: IsOurWindow, log: Logger): () => void {
  for (const method of methodNames) {
    ipcMain.handle(channelOf(method), (event, arg: unknown): Promise<Envelope> | Envelope => {
      if (!isTrustedSender(event, isOurWindow)) {
        // The sender's URL is not logged: it is whatever a hostile page chose.
        log.warn('ipc.forbidden-sender', { method });
        return FORBIDDEN;
      }
      return dispatch(method, arg);
    });
  }
  return () => methodNames.forEach((method) => ipcMain.removeHandler(channelOf(method)));
}
