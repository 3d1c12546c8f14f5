/**
 * The operating system's power and session events, as a hook the rest of the main process can
 * use without importing 'electron'. The SIP line re-registers on resume; the idle lock can lock
 * when the screen does.
 */
import { powerMonitor } from 'electron';

export type PowerEvent = 'suspend' | 'resume' | 'lock-screen';

/** Calls `listener` on each power event; returns a function that stops listening. */
export function onPowerEvent(listener: (event: PowerEvent) => void): () => void {
  const suspend = () => listener('suspend');
  const resume = () => listener('resume');
  const lockScreen = () => listener('lock-screen');
  powerMonitor.on('suspend', suspend);
  powerMonitor.on('resume', resume);
  powerMonitor.on('lock-screen', lockScreen);
  return () => {
    powerMonitor.off('suspend', suspend);
    powerMonitor.off('resume', resume);
    powerMonitor.off('lock-screen', lockScreen);
  };
}
