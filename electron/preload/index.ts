/**
 * The preload: exposes `window.kotozute`, one async function per contract method plus
 * `onDeskEvent` (the one-way event channel, shared/ipc/desk-events.ts), and nothing else — never
 * ipcRenderer itself. It runs sandboxed, so it is bundled to CommonJS and requires
 * only 'electron'.
 *
 * Errors: Electron's contextBridge keeps only an Error's message, so a failed call throws
 * `Error(API_ERROR_PREFIX + JSON.stringify(errorInfo))`; the renderer parses it back into an
 * ApiError (code, message, details).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { methodNames, type KotozuteApi, type MethodName } from '../../shared/ipc/contract.js';
import {
  DESK_EVENT_CHANNEL,
  deliverDeskEvent,
  parseDeskEvent,
  type DeskEventListener,
  type KotozuteWindowApi,
} from '../../shared/ipc/desk-events.js';
import { API_ERROR_PREFIX, channelOf, Envelope, type ErrorInfo } from '../../shared/ipc/errors.js';

function apiError(info: ErrorInfo): Error {
  return new Error(API_ERROR_PREFIX + JSON.stringify(info));
}

function call(method: MethodName) {
  const noAnswer = (): Error => apiError({ code: 'internal', message: `${method}: the desk gave no valid answer.`, details: [] });
  return async (arg?: unknown): Promise<unknown> => {
    // invoke() itself rejects only when the main side has no handler (yet): same error format.
    const raw: unknown = await ipcRenderer.invoke(channelOf(method), arg).catch(() => undefined);
    const answer = Envelope.safeParse(raw);
    if (!answer.success) throw noAnswer();
    if (answer.data.ok) return answer.data.value;
    throw apiError(answer.data.error);
  };
}

// The main side validates every result against the contract, so the shape is the contract's.
const methods = Object.fromEntries(methodNames.map((m) => [m, call(m)])) as unknown as KotozuteApi;

/**
 * One IPC listener for the life of the page, fanned out to the page's listeners. Each payload is
 * checked against the DeskEvent schema first (unknown or malformed: dropped), and a listener gets
 * only that parsed event — never Electron's event object, whose `sender` is ipcRenderer.
 */
const listeners = new Set<DeskEventListener>();
ipcRenderer.on(DESK_EVENT_CHANNEL, (_event: unknown, payload: unknown) => {
  const event = parseDeskEvent(payload);
  if (event) deliverDeskEvent(listeners, event);
});

function onDeskEvent(listener: DeskEventListener): () => void {
  if (typeof listener !== 'function') throw new TypeError('onDeskEvent: the listener must be a function.');
  // A wrapper per subscription: the same function subscribed twice is two subscriptions, and each
  // stop function removes only its own.
  const subscription: DeskEventListener = (event) => listener(event);
  listeners.add(subscription);
  return () => {
    listeners.delete(subscription);
  };
}

const api: KotozuteWindowApi = { ...methods, onDeskEvent };

contextBridge.exposeInMainWorld('kotozute', api);
