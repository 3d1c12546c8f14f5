/**
 * Microphone, call speaker and ringtone output; a change applies at once, mid-call included. When
 * the microphone cannot be used (denied, none, the list unreadable, or the switch just failed) the
 * dialog says so in the same words as the call strip.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ModalDialog } from '../ui/modal-dialog.js';
import type { MicrophoneProblem } from '../line/microphone.js';
import { listAudioDevices, type AudioChoice, type AudioDeviceList } from './audio-devices.js';

export interface AudioDialogProps {
  choice: AudioChoice;
  onChange(choice: AudioChoice): void;
  onClose(): void;
  /** The last switch to another microphone failed for this reason (the call kept the old one). */
  switchProblem?: MicrophoneProblem | null;
  /** The call's microphone went away mid-call and none could be opened instead, for this reason. */
  lostProblem?: MicrophoneProblem | null;
  /** Opens the chosen microphone again for the calls whose microphone is gone. */
  onReconnect?(): void;
}

export function AudioDialog({ choice, onChange, onClose, switchProblem = null, lostProblem = null, onReconnect }: AudioDialogProps): ReactNode {
  const { t } = useTranslation();
  const [devices, setDevices] = useState<AudioDeviceList>({ microphones: [], speakers: [], problem: null });
  const [listed, setListed] = useState(false);
  useEffect(() => {
    let alive = true;
    const load = () =>
      void listAudioDevices().then((d) => {
        if (!alive) return;
        setDevices(d);
        setListed(true);
      });
    load();
    // A headset plugged in while the dialog is open shows up at once.
    navigator.mediaDevices?.addEventListener?.('devicechange', load);
    return () => {
      alive = false;
      navigator.mediaDevices?.removeEventListener?.('devicechange', load);
    };
  }, []);
  // A chosen microphone no longer in the list is shown as gone, not as whatever the first entry is:
  // the dialog shows the real state, and choosing another (the default included) is then a change.
  const goneMic = listed && choice.microphone !== '' && !devices.microphones.some((d) => d.id === choice.microphone);
  const select = (key: keyof AudioChoice, label: string, list: { id: string; label: string }[]) => (
    <label className="field">
      <span className="field-label">{label}</span>
      <select value={choice[key]} onChange={(e) => onChange({ ...choice, [key]: e.target.value })}>
        <option value="">{t('calls.deviceDefault')}</option>
        {key === 'microphone' && goneMic && (
          <option value={choice.microphone} disabled>
            {t('calls.deviceGone')}
          </option>
        )}
        {list.map((d) => (
          <option key={d.id} value={d.id}>
            {d.label}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <ModalDialog title={t('calls.audioTitle')} onClose={onClose} className="audio-dialog">
      {lostProblem ? (
        <div className="notice notice-danger" role="alert">
          <p>{t('calls.mic.lost', { reason: t(`calls.mic.reason.${lostProblem}`) })}</p>
          {onReconnect && (
            <button type="button" className="btn" onClick={onReconnect}>
              {t('calls.mic.reconnect')}
            </button>
          )}
        </div>
      ) : switchProblem ? (
        <p className="notice notice-danger" role="alert">
          {t('calls.mic.switchFailed', { reason: t(`calls.mic.reason.${switchProblem}`) })}
        </p>
      ) : devices.problem ? (
        <p className="notice notice-danger" role="alert">
          {t('calls.mic.unusable', { reason: t(`calls.mic.reason.${devices.problem}`) })}
        </p>
      ) : null}
      {select('microphone', t('calls.microphone'), devices.microphones)}
      {select('speaker', t('calls.speaker'), devices.speakers)}
      {select('ringtone', t('calls.ringtoneOutput'), devices.speakers)}
      <div className="modal-actions">
        <button type="button" className="btn" onClick={onClose}>
          {t('calls.close')}
        </button>
      </div>
    </ModalDialog>
  );
}
