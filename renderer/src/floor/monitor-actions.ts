/**
 * The supervisor desk's monitor actions (issue 9 §6): the board's rows call
 * `onMonitor(deskId, callRef, mode)`. The main process signs the request with the signed-in person's
 * key; the line sends the INVITE (first mode) or an INFO with a new token (a mode change on the same
 * call: no new INVITE, no audio drop). `stop()` ends the session.
 */
import { useCallback, useState, useSyncExternalStore } from 'react';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import { loadAudioChoice } from '../calls/audio-devices.js';
import type { LineSource } from '../calls/line-source.js';
import type { Line, Monitor, MonitorInfo, MonitorMode } from '../line/types.js';

export interface MonitorActions {
  /**
   * The supervisor's session (outgoing), null when none. A session the operator desk refused stays
   * here (ended, with its SIP status) until the next action or stop(), so the refusal is seen.
   */
  session: MonitorInfo | null;
  /** Which desk the session is on (as the board named it), null when none. */
  deskId: string | null;
  onMonitor(deskId: string, callRef: string, mode: MonitorMode): Promise<void>;
  stop(): Promise<void>;
}

type Api = Pick<KotozuteApi, 'signMonitorRequest'>;

/** Which desk each outgoing session was started on (the line knows only the target URI). */
const deskOfSession = new Map<string, string>();

/** The plain actions, without React (tested on their own). Resolves with the session acted on. */
export async function monitorAction(api: Api, line: Line | null, deskId: string, callRef: string, mode: MonitorMode, microphone = ''): Promise<Monitor> {
  if (!line) throw new Error('the line is not connected');
  const current = line.monitors.find((m) => m.info.direction === 'outgoing' && m.info.state !== 'ended');
  if (current && current.info.callRef === callRef && deskOfSession.get(current.id) === deskId) {
    if (current.info.mode === mode) return current;
    const { token } = await api.signMonitorRequest({ deskId, callRef, mode });
    await current.setMode(mode, token);
    return current;
  }
  // Another call: the old session ends first (a supervisor monitors one call at a time).
  if (current) await current.stop();
  const { token, target } = await api.signMonitorRequest({ deskId, callRef, mode });
  const monitor = await line.startMonitor({ target, token, callRef, mode, microphone });
  deskOfSession.set(monitor.id, deskId);
  return monitor;
}

/** The live session, else the last one started if the operator desk refused it (its SIP status shown). */
export function sessionToShow(live: MonitorInfo | null, last: MonitorInfo | null): MonitorInfo | null {
  if (live) return live;
  return last && last.state === 'ended' && last.endStatusCode !== null ? last : null;
}

export function useMonitorActions(api: Api, source: LineSource | null, onError: (err: unknown) => void): MonitorActions {
  const subscribeSource = useCallback((listener: () => void) => source?.subscribe(listener) ?? (() => undefined), [source]);
  const line = useSyncExternalStore(subscribeSource, () => source?.line ?? null);
  const subscribeLine = useCallback((listener: () => void) => line?.subscribe(listener) ?? (() => undefined), [line]);
  const state = useSyncExternalStore(subscribeLine, () => line?.state ?? null);
  // The last session this desk started: the line forgets a session once it ends, refused or not.
  const [last, setLast] = useState<Monitor | null>(null);
  const session = sessionToShow(state?.monitors.find((m) => m.direction === 'outgoing') ?? null, last?.info ?? null);

  const onMonitor = useCallback(
    (deskId: string, callRef: string, mode: MonitorMode) =>
      // The microphone chosen in Settings (the system default when none, or when it is gone).
      monitorAction(api, line, deskId, callRef, mode, loadAudioChoice().microphone).then(
        (monitor) => setLast(monitor),
        (err: unknown) => {
          setLast(null);
          onError(err);
        },
      ),
    [api, line, onError],
  );
  const stop = useCallback(async () => {
    setLast(null);
    const current = line?.monitors.find((m) => m.info.direction === 'outgoing');
    await current?.stop().catch(onError);
  }, [line, onError]);
  return { session, deskId: session ? (deskOfSession.get(session.id) ?? null) : null, onMonitor, stop };
}

/** What a board row's buttons ask for: a mode, or the end of the session. */
export type MonitorAction = MonitorMode | 'stop';
export type OnMonitor = (deskId: string, callRef: string, action: MonitorAction) => void;
