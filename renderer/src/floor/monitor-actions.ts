/**
 * What the board's Listen / Whisper / Barge / Stop buttons do. The monitor part of issue 9 fills
 * this in (the signed INVITE, the mix); until then the board calls a hook that does nothing.
 */
import { useCallback } from 'react';
import type { MonitorMode } from '../../../shared/roster/schema.js';

export type MonitorAction = MonitorMode | 'stop';

export type OnMonitor = (deskId: string, callRef: string, mode: MonitorAction) => void;

export function useMonitorActions(): OnMonitor {
  return useCallback<OnMonitor>(() => undefined, []);
}
