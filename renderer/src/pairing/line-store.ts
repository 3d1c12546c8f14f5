/**
 * The app's one SIP line. Settings (pairing), the top-bar indicator and the call UI all observe
 * this store rather than owning a Line themselves, so there is never a second UserAgent registered
 * for the same desk. The profile and the password come from the main process (getLine and
 * getLinePassword); the password is held only inside the Line's configuration.
 */
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { LineProfile } from '../../../shared/ipc/line-contract.js';
import { getApi } from '../api/index.js';
import { createLine } from '../line/line.js';
import { forwardingLineLogSink, setLineLogLevel } from '../line/redacting-logger.js';
import { notePageLine } from './page-line.js';
import type { Line, LineConfig, LineDeps, LineState } from '../line/types.js';

/**
 * Why the store has no line to connect, before any socket:
 * - `not-paired`: no line settings are saved.
 * - `no-password`: settings are saved but the keychain holds no password.
 * - `keychain`: the password could not be read (the keychain is locked or missing).
 */
export type LineStoreProblem = 'not-paired' | 'no-password' | 'keychain';

/** What observers read; a new object on every change (suits useSyncExternalStore). */
export interface LineStoreSnapshot {
  /** The line in use, or null before the first connect and after disconnect. */
  readonly line: Line | null;
  /** The line's latest state, or null without a line. */
  readonly state: LineState | null;
  /** Set when connect() could not create a line. */
  readonly problem: LineStoreProblem | null;
  /**
   * The platform's error code behind a `tls` reason (e.g. DEPTH_ZERO_SELF_SIGNED_CERT), for the
   * operator to pass on to whoever runs the server; null for any other reason.
   */
  readonly detail: string | null;
}

/** The app's line and how to (re)connect it. */
export interface LineStore {
  /** The line in use (same as snapshot.line). */
  readonly line: Line | null;
  readonly snapshot: LineStoreSnapshot;
  /** Calls `listener` after every change (a new line, a line state change); returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /**
   * Reads the saved profile and password, replaces any current line with a new one and connects it.
   * Resolves with the state after the first attempt, or null with `snapshot.problem` set. Never rejects.
   */
  connect(): Promise<LineState | null>;
  /** Disconnects and drops the line (no more automatic attempts). */
  disconnect(): Promise<void>;
  /** The OS resumed or the network came back: the line re-checks its connection at once. */
  resumed(): void;
}

export interface LineStoreDeps {
  /**
   * The main process's line methods. Without `probeLineServer` a failed connection is never
   * diagnosed, so a TLS failure reads as "unreachable".
   */
  api: Pick<KotozuteApi, 'getLine' | 'getLinePassword'> & Partial<Pick<KotozuteApi, 'probeLineServer' | 'checkMonitorRequest' | 'endMonitorSession'>>;
  /** Defaults to the real line (renderer/src/line). */
  createLine?: (config: LineConfig, deps: LineDeps) => Line;
  lineDeps?: LineDeps;
}

/** The line configuration for a saved profile and its password. */
export function lineConfigFrom(profile: LineProfile, password: string): LineConfig {
  const config: LineConfig = {
    server: profile.server,
    aor: profile.aor,
    authUser: profile.authUser,
    password,
    displayName: profile.displayName,
    iceServers: profile.iceServers,
    maxCalls: profile.maxCalls,
    dtmfMode: profile.dtmfMode,
  };
  if (profile.didSources) config.didSources = profile.didSources;
  return config;
}

/** A store over the given API; the app uses the one from {@link getLineStore}. */
export function createLineStore(deps: LineStoreDeps): LineStore {
  const make = deps.createLine ?? createLine;
  const listeners = new Set<() => void>();
  let line: Line | null = null;
  let unsubscribeLine: (() => void) | null = null;
  let problem: LineStoreProblem | null = null;
  /** The error code of the current line's latest TLS diagnosis. */
  let tlsDetail: string | null = null;
  let snapshot: LineStoreSnapshot = Object.freeze({ line: null, state: null, problem: null, detail: null });
  /** Bumped by every connect/disconnect, so a slower earlier call never installs a stale line. */
  let generation = 0;

  function publish(): void {
    const state = line?.state ?? null;
    snapshot = Object.freeze({ line, state, problem, detail: state?.reason === 'tls' ? tlsDetail : null });
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch {
        // one broken observer must not stop the others
      }
    }
  }

  async function drop(): Promise<void> {
    const old = line;
    unsubscribeLine?.();
    unsubscribeLine = null;
    line = null;
    if (old) await old.disconnect().catch(() => undefined);
  }

  async function connect(): Promise<LineState | null> {
    const gen = ++generation;
    await drop();
    problem = null;
    publish();
    let config: LineConfig;
    try {
      const saved = await deps.api.getLine();
      // The first line this page reads is the one its CSP was built for (page-line.ts).
      notePageLine(saved.profile?.server ?? null);
      if (!saved.paired || !saved.profile) return settle(gen, 'not-paired');
      if (!saved.hasPassword) return settle(gen, 'no-password');
      const { password } = await deps.api.getLinePassword();
      config = lineConfigFrom(saved.profile, password);
    } catch (err) {
      const code = (err as { code?: unknown } | null)?.code;
      return settle(gen, code === 'not-found' ? 'no-password' : 'keychain');
    }
    if (gen !== generation) return null;
    tlsDetail = null;
    const next = make(config, { ...diagnosis(gen), ...monitorPort(), ...deps.lineDeps });
    line = next;
    unsubscribeLine = next.subscribe(() => publish());
    publish();
    return next.connect();
  }

  /**
   * The line asks this after a connection failed before its WebSocket opened: a page cannot tell a
   * refused certificate from a server that is not there, the main process can try and say.
   */
  function diagnosis(gen: number): Pick<LineDeps, 'diagnoseConnectFailure'> {
    const api = deps.api;
    if (!api.probeLineServer) return {};
    return {
      diagnoseConnectFailure: async (server) => {
        const found = await api.probeLineServer?.({ server });
        if (!found || gen !== generation) return null;
        tlsDetail = found.outcome === 'tls' ? (found.detail ?? null) : null;
        return found.outcome === 'tls' ? 'tls' : null;
      },
    };
  }

  /** The main process checks (and audits) every monitor request; without it the line refuses them all. */
  function monitorPort(): Pick<LineDeps, 'monitorPort'> {
    const { checkMonitorRequest, endMonitorSession } = deps.api;
    if (!checkMonitorRequest || !endMonitorSession) return {};
    return { monitorPort: { check: (args) => checkMonitorRequest(args), ended: (args) => endMonitorSession(args) } };
  }

  function settle(gen: number, why: LineStoreProblem): null {
    if (gen === generation) {
      problem = why;
      publish();
    }
    return null;
  }

  return {
    get line() {
      return line;
    },
    get snapshot() {
      return snapshot;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connect,
    async disconnect() {
      generation += 1;
      await drop();
      problem = null;
      publish();
    },
    resumed() {
      line?.resumed();
    },
  };
}

let appStore: LineStore | undefined;

/** The app's one line store, over the typed API. */
export function getLineStore(): LineStore {
  if (!appStore) {
    const api = getApi();
    // The SIP stack's lines go to the desk log (redacted here and again there), at the desk's level.
    api.lineLogLevel().then(setLineLogLevel, () => undefined);
    appStore = createLineStore({ api, lineDeps: { log: forwardingLineLogSink((entry) => api.writeLineLog(entry)) } });
  }
  return appStore;
}
