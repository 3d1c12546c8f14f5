/**
 * The supervisor desk's small monitor panel: the session's state, one button per mode (the current
 * one pressed) and Stop. Plays what the session receives (caller + operator, and in whisper/barge the
 * conversation the supervisor joined).
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { LineSource } from '../calls/line-source.js';
import type { MonitorMode } from '../line/types.js';
import type { MonitorActions } from './monitor-actions.js';

const MODES: readonly MonitorMode[] = ['listen', 'whisper', 'barge'];

export function MonitorPanel({ actions, source }: { actions: MonitorActions; source: LineSource | null }): ReactNode {
  const { t } = useTranslation();
  const { session, deskId } = actions;
  const audio = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const el = audio.current;
    const handler = session ? source?.line?.monitor(session.id)?.sessionDescriptionHandler : undefined;
    const stream = (handler as { remoteMediaStream?: MediaStream } | undefined)?.remoteMediaStream;
    if (!el || !stream || el.srcObject === stream) return;
    el.srcObject = stream;
    void el.play().catch(() => undefined);
  }, [session, source]);
  if (!session) return null;
  const state =
    session.state === 'active' ? t('monitor.panel.state.active', { mode: t(`monitor.panel.mode.${session.mode}`) }) : t(`monitor.panel.state.${session.state}`);
  return (
    <section className="monitor-panel" aria-label={t('monitor.panel.title')}>
      <p role="status">{session.endStatusCode ? t('monitor.panel.refused', { code: session.endStatusCode }) : state}</p>
      <div role="group" aria-label={t('monitor.panel.title')}>
        {MODES.map((mode) => (
          <button
            key={mode}
            type="button"
            aria-pressed={session.mode === mode}
            title={t(`monitor.panel.modeHint.${mode}`)}
            disabled={session.state !== 'active' || deskId === null}
            onClick={() => deskId !== null && void actions.onMonitor(deskId, session.callRef, mode)}
          >
            {t(`monitor.panel.mode.${mode}`)}
          </button>
        ))}
        <button type="button" onClick={() => void actions.stop()}>
          {t('monitor.panel.stop')}
        </button>
      </div>
      <audio ref={audio} autoPlay aria-hidden="true" data-monitor-audio="supervisor" />
    </section>
  );
}
