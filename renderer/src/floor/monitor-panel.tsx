/**
 * The supervisor desk's small monitor panel: the session's state, one button per mode (the current
 * one pressed) and Stop. Plays what the session receives (caller + operator, and in whisper/barge the
 * conversation the supervisor joined).
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { loadAudioChoice } from '../calls/audio-devices.js';
import type { LineSource } from '../calls/line-source.js';
import type { MonitorMode } from '../line/types.js';
import type { MonitorActions } from './monitor-actions.js';

const MODES: readonly MonitorMode[] = ['listen', 'whisper', 'barge'];

export interface MonitorPanelProps {
  actions: MonitorActions;
  source: LineSource | null;
  /** Who the session is on, as the board names it (desk · operator); the desk id when the board has no row. */
  who(deskId: string): string;
}

export function MonitorPanel({ actions, source, who }: MonitorPanelProps): ReactNode {
  const { t } = useTranslation();
  const { session, deskId } = actions;
  const audio = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const el = audio.current;
    const handler = session ? source?.line?.monitor(session.id)?.sessionDescriptionHandler : undefined;
    const stream = (handler as { remoteMediaStream?: MediaStream } | undefined)?.remoteMediaStream;
    if (!el || !stream || el.srcObject === stream) return;
    el.srcObject = stream;
    // The speaker chosen in Settings for calls, if any (the system default otherwise).
    const speaker = loadAudioChoice().speaker;
    if (speaker) void el.setSinkId(speaker).catch(() => undefined);
    void el.play().catch(() => undefined);
  }, [session, source]);
  if (!session) return null;
  const target = deskId !== null ? who(deskId) : '';
  const state = session.endStatusCode
    ? t('monitor.panel.refused', { who: target, code: session.endStatusCode })
    : session.state === 'active'
      ? t(`monitor.panel.state.active.${session.mode}`, { who: target })
      : t(`monitor.panel.state.${session.state}`, { who: target });
  return (
    <section className="monitor-panel" aria-label={t('monitor.panel.title')}>
      <p role="status" className={session.endStatusCode ? 'monitor-refused' : undefined}>
        {state}
      </p>
      <div role="group" aria-label={t('monitor.panel.title')}>
        {MODES.map((mode) => (
          <button
            key={mode}
            type="button"
            className="btn"
            aria-pressed={session.mode === mode}
            title={t(`monitor.panel.modeHint.${mode}`)}
            disabled={session.state !== 'active' || deskId === null}
            onClick={() => deskId !== null && void actions.onMonitor(deskId, session.callRef, mode)}
          >
            {t(`monitor.panel.mode.${mode}`)}
          </button>
        ))}
        <button type="button" className="btn" onClick={() => void actions.stop()}>
          {t('monitor.panel.stop')}
        </button>
      </div>
      <audio ref={audio} autoPlay aria-hidden="true" data-monitor-audio="supervisor" />
    </section>
  );
}
