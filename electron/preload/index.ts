/**
 * The preload: exposes `window.kotozute`, one async function per contract method plus
 * `onDeskEvent` (the one-way event channel, shared/ipc/desk-events.ts), and nothing else — never
 * ipcRenderer itself. It runs sandboxed, so it is bundled to CommonJS and requires only 'electron'.
 *
 * It carries no schema (no zod: issue 11 §4): the method names come from the generated
 * shared/ipc/method-names.ts; the main process validates every argument and every result against the
 * contract, and the page checks every desk event against its schema before any listener sees it
 * (renderer/src/api/index.ts). Here an answer is only checked for the envelope's shape.
 *
 * Errors: Electron's contextBridge keeps only an Error's message, so a failed call throws
 * `Error(API_ERROR_PREFIX + JSON.stringify(errorInfo))`; the renderer parses it back into an
 * ApiError (code, message, details).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { METHOD_NAMES } from '../../shared/ipc/method-names.js';
import { API_ERROR_PREFIX, channelOf, DESK_EVENT_CHANNEL } from '../../shared/ipc/wire-names.js';

type RawListener = (payload: unknown) => void;

interface ErrorShape {
  code: string;
  message: string;
  details: string[];
}

function apiError(info: ErrorShape): Error {
  return new Error(API_ERROR_PREFIX + JSON.stringify(info));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The envelope main answers with: `{ ok: true, value }` or `{ ok: false, error: { code, message, details } }`. */
function readEnvelope(raw: unknown): { ok: true; value: unknown } | { ok: false; error: ErrorShape } | null {
  if (!isRecord(raw)) return null;
  if (raw.ok === true && 'value' in raw) return { ok: true, value: raw.value };
  const error = raw.ok === false && isRecord(raw.error) ? raw.error : null;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string') return null;
  const details = Array.isArray(error.details) ? error.details.filter((d): d is string => typeof d === 'string') : [];
  return { ok: false, error: { code: error.code, message: error.message, details } };
}

function call(method: string) {
  const noAnswer = (): Error => apiError({ code: 'internal', message: `${method}: the desk gave no valid answer.`, details: [] });
  return async (arg?: unknown): Promise<unknown> => {
    // invoke() itself rejects only when the main side has no handler (yet): same error format.
    const raw: unknown = await ipcRenderer.invoke(channelOf(method), arg).catch(() => undefined);
    const answer = readEnvelope(raw);
    if (!answer) throw noAnswer();
    if (answer.ok) return answer.value;
    throw apiError(answer.error);
  };
}

const methods = Object.fromEntries(METHOD_NAMES.map((m) => [m, call(m)]));

/**
 * One IPC listener for the life of the page, fanned out to the page's listeners. Only a plain
 * object's copy goes on (the page checks it against the DeskEvent schema), never Electron's event
 * object, whose `sender` is ipcRenderer. A listener that throws is skipped, never the others.
 */
const listeners = new Set<RawListener>();
ipcRenderer.on(DESK_EVENT_CHANNEL, (_event: unknown, payload: unknown) => {
  if (!isRecord(payload) || typeof payload.type !== 'string') return;
  for (const listener of [...listeners]) {
    try {
      listener(payload);
    } catch {
      // one broken listener must not stop the others
    }
  }
});

function onDeskEvent(listener: RawListener): () => void {
  if (typeof listener !== 'function') throw new TypeError('onDeskEvent: the listener must be a function.');
  // A wrapper per subscription: the same function subscribed twice is two subscriptions, and each
  // stop function removes only its own.
  const subscription: RawListener = (payload) => listener(payload);
  listeners.add(subscription);
  return () => {
    listeners.delete(subscription);
  };
}

contextBridge.exposeInMainWorld('kotozute', { ...methods, onDeskEvent });
