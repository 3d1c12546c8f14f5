/**
 * Notices a call's microphone going away mid-call: a headset unplugged, a USB microphone reset, the
 * OS taking the device back. The platform ends the capture track (`ended`; the sender then sends
 * silence, the far end hears nothing and the strip would still say 通話中), and the device list
 * changes (`devicechange`, where the track's readyState tells whether ours was the one removed).
 */

/** The audio track a call sends, or null (none yet, or replaced by nothing). */
export function sentAudioTrack(pc: Pick<RTCPeerConnection, 'getSenders'>): MediaStreamTrack | null {
  for (const sender of pc.getSenders()) {
    if (sender.track?.kind === 'audio') return sender.track;
  }
  return null;
}

/** Whether a call is sending no live microphone (none, or an ended track): re-acquiring it is due. */
export function microphoneDead(pc: Pick<RTCPeerConnection, 'getSenders'>): boolean {
  const track = sentAudioTrack(pc);
  return track === null || track.readyState === 'ended';
}

export interface MicrophoneWatch {
  /** Follows the call's current track again (after it was replaced). */
  rearm(): void;
  stop(): void;
}

/**
 * Calls `onLost` when the track the call sends ends, or when the device list changes and that
 * track is found ended. `onLost` may be called more than once for one loss (both signals); the
 * caller settles it once.
 */
export function watchMicrophone(
  pc: Pick<RTCPeerConnection, 'getSenders'>,
  onLost: () => void,
  devices: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | undefined,
): MicrophoneWatch {
  let watched: MediaStreamTrack | null = null;
  const ended = (): void => onLost();
  const arm = (): void => {
    const track = sentAudioTrack(pc);
    if (track === watched) return;
    watched?.removeEventListener('ended', ended);
    watched = track;
    watched?.addEventListener('ended', ended);
  };
  const deviceChange = (): void => {
    arm();
    if (watched?.readyState === 'ended') onLost();
  };
  arm();
  devices?.addEventListener('devicechange', deviceChange);
  return {
    rearm: arm,
    stop: () => {
      watched?.removeEventListener('ended', ended);
      watched = null;
      devices?.removeEventListener('devicechange', deviceChange);
    },
  };
}
