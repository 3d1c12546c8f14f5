/**
 * The preload: exposes `window.kotozute`, one async function per contract method, and nothing
 * else — never ipcRenderer itself. It runs sandboxed, so it is bundled to CommonJS and requires
 * only 'electron'.
 *
 * Errors: Electron's contextBridge keeps only an Error's message, so a failed call throws
 * `Error(API_ERROR_PREFIX + JSON.stringify(errorInfo))`; the renderer parses it back into an
 * ApiError (code, message, details).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { methodNames, type KotozuteApi, type MethodName } from '../../shared/ipc/contract.js';
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
const api = Object.fromEntries(methodNames.map((m) => [m, call(m)])) as unknown as KotozuteApi;

contextBridge.exposeInMainWorld('kotozute', api);
