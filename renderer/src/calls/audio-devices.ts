/**
 * The operator's audio devices: which microphone, which speaker for the call, which output for the
 * ringtone. Device ids are not secret (they are per-origin random ids), so the choice is kept in
 * localStorage; a device that disappears falls back to the system default.
 */

export interface AudioChoice {
  /** '' = the system default. */
  microphone: string;
  speaker: string;
  ringtone: string;
}

export interface AudioDevice {
  id: string;
  label: string;
}

export interface AudioDeviceList {
  microphones: AudioDevice[];
  speakers: AudioDevice[];
}

const KEY = 'kotozute.audio-devices';
const EMPTY: AudioChoice = { microphone: '', speaker: '', ringtone: '' };

export function loadAudioChoice(): AudioChoice {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    if (!raw || typeof raw !== 'object') return EMPTY;
    const r = raw as Partial<Record<keyof AudioChoice, unknown>>;
    const text = (v: unknown) => (typeof v === 'string' && v.length <= 256 ? v : '');
    return { microphone: text(r.microphone), speaker: text(r.speaker), ringtone: text(r.ringtone) };
  } catch {
    return EMPTY;
  }
}

export function saveAudioChoice(choice: AudioChoice): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(choice));
  } catch {
    // storage full or denied: the choice still applies for this session
  }
}

/** Lists audio devices; labels are empty until the page was granted the microphone once. */
export async function listAudioDevices(): Promise<AudioDeviceList> {
  const devices = await navigator.mediaDevices.enumerateDevices().catch(() => [] as MediaDeviceInfo[]);
  const pick = (kind: MediaDeviceKind) =>
    devices
      .filter((d) => d.kind === kind && d.deviceId !== 'default' && d.deviceId !== '')
      .map((d, i) => ({ id: d.deviceId, label: d.label || `${kind === 'audioinput' ? 'Mic' : 'Output'} ${i + 1}` }));
  return { microphones: pick('audioinput'), speakers: pick('audiooutput') };
}

/**
 * Moves a call's outgoing audio to another microphone without renegotiation: a new track replaces
 * the sender's, and the old one is stopped (its light goes off). Keeps the call's mute state.
 */
export async function switchMicrophone(pc: RTCPeerConnection, deviceId: string, muted: boolean): Promise<void> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: deviceId ? { deviceId: { exact: deviceId } } : true,
    video: false,
  });
  const track = stream.getAudioTracks()[0];
  if (!track) return;
  track.enabled = !muted;
  for (const sender of pc.getSenders()) {
    if (sender.track?.kind !== 'audio' && sender.track !== null) continue;
    const old = sender.track;
    await sender.replaceTrack(track);
    old?.stop();
  }
}
