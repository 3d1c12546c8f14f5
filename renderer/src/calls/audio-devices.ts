/**
 * The operator's audio devices: which microphone, which speaker for the call, which output for the
 * ringtone. Device ids are not secret (they are per-origin random ids), so the choice is kept in
 * localStorage; a device that disappears falls back to the system default when a call is answered.
 */
import { MicrophoneError, microphoneProblemOf, openMicrophone, type MicrophoneProblem } from '../line/microphone.js';

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

export interface AudioDeviceList {
  microphones: AudioDevice[];
  speakers: AudioDevice[];
  /** Why no microphone can be used, when the page can tell (the dialog says so); else null. */
  problem: MicrophoneProblem | null;
}

/** Lists audio devices; labels are empty until the page was granted the microphone once. */
export async function listAudioDevices(): Promise<AudioDeviceList> {
  const media = (globalThis.navigator as Navigator | undefined)?.mediaDevices as MediaDevices | undefined;
  let devices: MediaDeviceInfo[] | null = null;
  let listError: unknown = null;
  try {
    if (!media) throw new MicrophoneError('unavailable');
    devices = await media.enumerateDevices();
  } catch (error) {
    listError = error;
  }
  const pick = (kind: MediaDeviceKind) =>
    (devices ?? [])
      .filter((d) => d.kind === kind && d.deviceId !== 'default' && d.deviceId !== '')
      .map((d, i) => ({ id: d.deviceId, label: d.label || `${kind === 'audioinput' ? 'Mic' : 'Output'} ${i + 1}` }));
  return {
    microphones: pick('audioinput'),
    speakers: pick('audiooutput'),
    problem: deviceListProblem({ devices, listError, permission: await microphonePermission() }),
  };
}

/** The microphone permission as the page sees it; null where it cannot be asked. */
async function microphonePermission(): Promise<PermissionState | null> {
  try {
    const status = await navigator.permissions.query({ name: 'microphone' as PermissionName });
    return status.state;
  } catch {
    return null;
  }
}

/**
 * What the device list says about the microphone: the list could not be read, the permission is
 * denied, or there is no audio input at all. Kept apart from the DOM so it can be tested on its own.
 */
export function deviceListProblem(seen: {
  devices: readonly Pick<MediaDeviceInfo, 'kind'>[] | null;
  listError: unknown;
  permission: PermissionState | null;
}): MicrophoneProblem | null {
  if (seen.devices === null) return seen.listError === null ? 'unavailable' : microphoneProblemOf(seen.listError);
  if (seen.permission === 'denied') return 'denied';
  // Before a grant Chromium still lists one nameless input per kind, so none at all means none.
  if (!seen.devices.some((d) => d.kind === 'audioinput')) return 'missing';
  return null;
}

/**
 * What a mid-call microphone change did: `switched`, or `gone` when the call's peer connection
 * closed before or while the track was replaced (the call ended meanwhile: nothing to report).
 */
export type SwitchOutcome = 'switched' | 'gone';

/**
 * Moves a call's outgoing audio to another microphone without renegotiation: a new track replaces
 * the sender's, and the old one is stopped (its light goes off). Keeps the call's mute state. A
 * microphone that cannot be opened throws a MicrophoneError and leaves the call on the old one.
 */
export async function switchMicrophone(pc: RTCPeerConnection, deviceId: string, muted: boolean): Promise<SwitchOutcome> {
  if (peerConnectionGone(pc)) return 'gone';
  // The operator picked this device: no silent fall-back to another one.
  const stream = await openMicrophone(deviceId, { fallbackToDefault: false });
  const track = stream.getAudioTracks()[0];
  const stop = () => stream.getTracks().forEach((t) => t.stop());
  if (!track) {
    stop();
    throw new MicrophoneError('missing');
  }
  track.enabled = !muted;
  try {
    for (const sender of pc.getSenders()) {
      if (sender.track?.kind !== 'audio' && sender.track !== null) continue;
      // The far end hung up while the microphone was opening (a BYE right after the answer).
      if (peerConnectionGone(pc)) {
        stop();
        return 'gone';
      }
      const old = sender.track;
      await sender.replaceTrack(track);
      old?.stop();
    }
  } catch (error) {
    stop();
    if (closedMeanwhile(error, peerConnectionGone(pc))) return 'gone';
    throw error;
  }
  return 'switched';
}

/** Whether a peer connection is closed (its call ended): no track can be replaced on it any more. */
export function peerConnectionGone(pc: Pick<RTCPeerConnection, 'signalingState' | 'connectionState'>): boolean {
  return pc.signalingState === 'closed' || pc.connectionState === 'closed';
}

/**
 * Whether replaceTrack failed only because the call's peer connection closed in between
 * (InvalidStateError: "The peer connection is closed."). Any other failure is a real one.
 */
export function closedMeanwhile(error: unknown, pcClosed: boolean): boolean {
  return pcClosed && typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'InvalidStateError';
}
