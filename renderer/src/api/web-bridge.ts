/**
 * The dev-web transport: the typed API over a loopback WebSocket (shared/ipc/bridge-protocol.ts).
 * Development and test only — it is imported dynamically in `--mode web` builds and nowhere else.
 *
 * The per-run token arrives in the URL fragment, which browsers never send to a server. It is kept
 * in sessionStorage (so a reload still works) and removed from the address bar at once.
 */
import { BRIDGE_PATH, BridgePush, BridgeResponse } from '../../../shared/ipc/bridge-protocol.js';
import { methodNames, type KotozuteApi, type MethodName } from '../../../shared/ipc/contract.js';
import { deliverDeskEvent, parseDeskEvent, type DeskEventListener, type KotozuteWindowApi } from '../../../shared/ipc/desk-events.js';
import { ApiError } from '../../../shared/ipc/errors.js';
import { NoApiError } from './no-api-error.js';

const TOKEN_KEY = 'kotozute.bridgeToken';
/** A call that gets no answer in this time fails rather than leaving the operator waiting. */
const CALL_TIMEOUT_MS = 60_000;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;

/** Reads the token from `#token=…` (then strips it from the address bar) or from sessionStorage. */
export function takeBridgeToken(): string | undefined {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match?.[1]) {
    const token = decodeURIComponent(match[1]);
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(history.state, '', location.pathname + location.search);
    return token;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

/** Opens the bridge for this page: ws://<same host>/bridge?token=… */
export function openWebBridge(): KotozuteWindowApi {
  const token = takeBridgeToken();
  if (!token) throw new NoApiError('no-token');
  return createWebBridge(`ws://${location.host}${BRIDGE_PATH}?token=${encodeURIComponent(token)}`);
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Bridge connection state, for anyone who wants to show it. */
export type BridgeState = 'connecting' | 'open' | 'closed';

/**
 * Implements KotozuteApi over a WebSocket at `url`. Reconnects with back-off when the socket
 * drops; calls in flight at that moment fail with a clear error instead of hanging. Desk events the
 * harness pushes on the same socket reach `onDeskEvent` listeners, checked as the preload checks them
 * (an event pushed while the socket is down is lost, as a page that is not loaded misses IPC).
 */
export function createWebBridge(url: string, onState?: (state: BridgeState) => void): KotozuteWindowApi {
  let socket: WebSocket | undefined;
  let opened: Promise<WebSocket> | undefined;
  let nextId = 1;
  let delay = RECONNECT_MIN_MS;
  const pending = new Map<number, Pending>();
  const eventListeners = new Set<DeskEventListener>();

  const disconnected = () =>
    new ApiError('internal', 'The connection to the desk was lost; reconnecting. Please try again.');

  function connect(): Promise<WebSocket> {
    if (opened) return opened;
    onState?.('connecting');
    opened = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      socket = ws;
      let wasOpen = false;
      ws.addEventListener('open', () => {
        wasOpen = true;
        delay = RECONNECT_MIN_MS;
        onState?.('open');
        resolve(ws);
      });
      ws.addEventListener('message', (event) => onMessage(event.data));
      ws.addEventListener('close', () => {
        if (socket === ws) {
          socket = undefined;
          opened = undefined;
        }
        onState?.('closed');
        for (const [id, p] of pending) {
          clearTimeout(p.timer);
          pending.delete(id);
          p.reject(disconnected());
        }
        if (!wasOpen) reject(new ApiError('internal', 'Could not connect to the desk (dev-web bridge).'));
        // Come back on our own so the next call (or the operator's retry) finds an open socket.
        setTimeout(() => {
          if (!opened) connect().catch(() => undefined);
        }, delay);
        delay = Math.min(delay * 2, RECONNECT_MAX_MS);
      });
    });
    return opened;
  }

  function onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    const push = BridgePush.safeParse(parsed);
    if (push.success) {
      // An unknown or malformed event is dropped here; it never reaches a listener.
      const event = parseDeskEvent(push.data.event);
      if (event) deliverDeskEvent(eventListeners, event);
      return;
    }
    const res = BridgeResponse.safeParse(parsed);
    if (!res.success) return;
    const p = pending.get(res.data.id);
    if (!p) return;
    pending.delete(res.data.id);
    clearTimeout(p.timer);
    const env = res.data.envelope;
    if (env.ok) p.resolve(env.value);
    else p.reject(new ApiError(env.error.code, env.error.message, env.error.details));
  }

  async function call(method: MethodName, arg: unknown): Promise<unknown> {
    const ws = await connect();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new ApiError('internal', `${method}: the desk did not answer in time.`));
      }, CALL_TIMEOUT_MS);
      pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ id, method, arg }));
    });
  }

  function onDeskEvent(listener: DeskEventListener): () => void {
    // A wrapper per subscription, as in the preload: each stop function removes only its own.
    const subscription: DeskEventListener = (event) => listener(event);
    eventListeners.add(subscription);
    return () => {
      eventListeners.delete(subscription);
    };
  }

  connect().catch(() => undefined);
  const api: Partial<Record<MethodName, (arg?: unknown) => Promise<unknown>>> = {};
  for (const method of methodNames) api[method] = (arg?: unknown) => call(method, arg);
  // Every method of the contract is filled in by the loop above.
  return { ...(api as KotozuteApi), onDeskEvent };
}
