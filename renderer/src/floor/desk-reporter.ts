/**
 * Sends the desk's state to the supervisors watching it (issue 9 §4): on every change, gathered for
 * a moment (a ring and its pop arrive a few ms apart) but never held longer than MAX_WAIT_MS, and
 * again every HEARTBEAT_MS so a board can tell a silent desk from a quiet one. The main process signs
 * the state and names the watchers; the line carries one SIP MESSAGE to each.
 */
import { HEARTBEAT_MS } from '../../../shared/floor/wire.js';
import type { FloorReportArgs, FloorReportResult } from '../../../shared/ipc/floor-contract.js';

/** Changes closer together than this go out as one. */
export const GATHER_MS = 15;
/** A state is never held longer than this after the first change. */
export const MAX_WAIT_MS = 50;

export interface DeskReporterDeps {
  report(args: FloorReportArgs): Promise<FloorReportResult>;
  send(to: string, token: string): Promise<void>;
  onError?: (err: unknown) => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  now?: () => number;
}

export interface DeskReporter {
  /** The desk's state now; sent when it differs from the last one sent. */
  update(state: FloorReportArgs): void;
  /** Sends the last state again at once (a new watcher should not wait for the heartbeat). */
  resend(): void;
  stop(): void;
}

export function createDeskReporter(deps: DeskReporterDeps): DeskReporter {
  const setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = deps.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const now = deps.now ?? Date.now;
  let current: FloorReportArgs | null = null;
  let sentText = '';
  let firstChangeAt: number | null = null;
  let gather: unknown = null;
  let heartbeat: unknown = null;
  let stopped = false;

  const flush = (): void => {
    gather = null;
    firstChangeAt = null;
    if (stopped || !current) return;
    const state = current;
    sentText = JSON.stringify(state);
    armHeartbeat();
    deps
      .report(state)
      .then((result) => Promise.all(result.messages.map((m) => deps.send(m.to, m.token).catch((err: unknown) => deps.onError?.(err)))))
      .catch((err: unknown) => deps.onError?.(err));
  };

  const armHeartbeat = (): void => {
    if (heartbeat !== null) clearTimer(heartbeat);
    heartbeat = setTimer(() => {
      heartbeat = null;
      flush();
    }, HEARTBEAT_MS);
  };

  return {
    update(state) {
      if (stopped) return;
      current = state;
      if (JSON.stringify(state) === sentText) {
        if (gather !== null) {
          clearTimer(gather);
          gather = null;
          firstChangeAt = null;
        }
        if (heartbeat === null) armHeartbeat();
        return;
      }
      const t = now();
      firstChangeAt ??= t;
      if (gather !== null) clearTimer(gather);
      gather = setTimer(flush, Math.max(0, Math.min(GATHER_MS, firstChangeAt + MAX_WAIT_MS - t)));
    },
    resend() {
      if (stopped || !current || gather !== null) return;
      gather = setTimer(flush, 0);
    },
    stop() {
      stopped = true;
      if (gather !== null) clearTimer(gather);
      if (heartbeat !== null) clearTimer(heartbeat);
    },
  };
}
