/// <reference types="vite/client" />
/**
 * The renderer's only way to the main process: the typed API from shared/ipc/contract.ts, and the
 * one-way desk events from shared/ipc/desk-events.ts. In Electron the preload exposes both as
 * `window.kotozute`; in the dev-web build (`--mode web`) they are carried over a loopback WebSocket
 * by ./web-bridge.ts, which a production build never contains.
 */
import { methodNames, type KotozuteApi, type MethodName } from '../../../shared/ipc/contract.js';
import { parseDeskEvent, type DeskEventListener, type DeskEventSource, type KotozuteWindowApi } from '../../../shared/ipc/desk-events.js';
import { decodeApiError } from '../../../shared/ipc/errors.js';
import { NoApiError } from './no-api-error.js';

declare global {
  interface Window {
    /**
     * Exposed by electron/preload through contextBridge. Its desk events come unchecked (the
     * preload carries no schema): decodingErrors below checks each before any listener sees it.
     */
    readonly kotozute?: PreloadApi;
  }
}

export { NoApiError } from './no-api-error.js';

/** What the preload exposes: the typed API, and desk events as raw payloads. */
export type PreloadApi = KotozuteApi & { onDeskEvent(listener: (payload: unknown) => void): () => void };

let cached: KotozuteWindowApi | undefined;

/** The typed API; throws NoApiError when there is no way to reach the main process. */
export function getApi(): KotozuteApi {
  return getWindowApi();
}

/**
 * The desk's events (the OS slept, woke, locked the screen), over the same transport as the API.
 * Throws NoApiError like {@link getApi}.
 */
export function getDeskEvents(): DeskEventSource {
  const { onDeskEvent } = getWindowApi();
  return { onDeskEvent };
}

function getWindowApi(): KotozuteWindowApi {
  if (cached) return cached;
  if (window.kotozute) {
    cached = decodingErrors(window.kotozute);
    return cached;
  }
  // Vite replaces MODE at build time, so in a production build this branch and the dynamic
  // import below are dead code and the bridge is not emitted at all.
  if (import.meta.env.MODE === 'web') {
    const bridge = import('./web-bridge.js').then((m) => m.openWebBridge());
    cached = lazyApi(bridge);
    return cached;
  }
  throw new NoApiError('no-preload');
}

/** Wraps a promised API so callers can use it synchronously; each call waits for the bridge. */
function lazyApi(api: Promise<KotozuteWindowApi>): KotozuteWindowApi {
  const out: Partial<Record<MethodName, (arg?: unknown) => Promise<unknown>>> = {};
  for (const method of methodNames) {
    out[method] = async (arg?: unknown) => {
      const target = (await api)[method] as (a?: unknown) => Promise<unknown>;
      return target(arg);
    };
  }
  const onDeskEvent = (listener: DeskEventListener): (() => void) => {
    let stopped = false;
    let stop: (() => void) | undefined;
    // A bridge that never opens (no token) has no events to give; its calls report the failure.
    api.then(
      (real) => {
        if (!stopped) stop = real.onDeskEvent(listener);
      },
      () => undefined,
    );
    return () => {
      stopped = true;
      stop?.();
    };
  };
  // Every method of the contract is filled in by the loop above.
  return { ...(out as KotozuteApi), onDeskEvent };
}

/**
 * The preload can only pass an error's message through contextBridge; this turns it back into the
 * ApiError (code, message, details) the UI expects, exactly as the web bridge throws it.
 */
function decodingErrors(api: PreloadApi): KotozuteWindowApi {
  const out: Partial<Record<MethodName, (arg?: unknown) => Promise<unknown>>> = {};
  for (const method of methodNames) {
    const target = api[method] as (a?: unknown) => Promise<unknown>;
    out[method] = (arg?: unknown) => target(arg).catch((err: unknown) => Promise.reject(decodeApiError(err)));
  }
  // The preload and this page ship together, so onDeskEvent is there; should it ever be missing,
  // the page hears no events and the line's late-timer wake watch still notices a sleep.
  const events = typeof api.onDeskEvent === 'function' ? api.onDeskEvent : () => () => undefined;
  // Each payload is checked against the DeskEvent schema here (unknown or malformed: dropped).
  const checked = (listener: DeskEventListener) => (payload: unknown) => {
    const event = parseDeskEvent(payload);
    if (event) listener(event);
  };
  return { ...(out as KotozuteApi), onDeskEvent: (listener) => events(checked(listener)) };
}
