/**
 * The operator desk's audio mix while a supervisor listens in (issue 9 §6), in WebAudio:
 *
 *   caller ──────────────┬──────────────► to the supervisor (the monitor session's sender)
 *   operator's mic ──────┤
 *                        └──────────────► to the caller (the real call's sender, via replaceTrack)
 *   supervisor ──[toCaller gain]─────────► to the caller        (barge)
 *              └─[an <audio>, muted?]────► the operator's ear   (whisper, barge)
 *
 * listen = the supervisor hears caller + operator, nobody hears the supervisor; whisper = and the
 * operator (only) hears the supervisor; barge = all three hear each other. A mode change moves gains
 * only: no renegotiation, no audio drop.
 *
 * The operator's mute cuts the operator's voice to the caller only (a gain in the mix: sip.js's own
 * mute, which disables the whole sender track, would silence a barging supervisor too); the
 * supervisor still hears both. Hold acts on the real call as ever (its re-INVITE; the caller hears
 * nothing of the desk).
 */
import type { Web } from 'sip.js';
import { applySink } from '../calls/ringtone.js';
import type { Call, MonitorMedia, MonitorMode } from '../line/types.js';

interface WebHandler {
  peerConnection: RTCPeerConnection;
  remoteMediaStream: MediaStream;
}

function webHandler(handler: unknown): WebHandler | null {
  const h = handler as Partial<Pick<Web.SessionDescriptionHandler, 'peerConnection' | 'remoteMediaStream'>> | undefined;
  try {
    const peerConnection = h?.peerConnection;
    const remoteMediaStream = h?.remoteMediaStream;
    return peerConnection && remoteMediaStream ? { peerConnection, remoteMediaStream } : null;
  } catch {
    // sip.js throws from these getters once the handler is closed.
    return null;
  }
}

/** The mix for a monitor session on `call`, or null when the call has no WebRTC media to mix. */
export function createMonitorMix(call: Call): MonitorMedia | null {
  const handler = webHandler(call.sessionDescriptionHandler);
  if (!handler || typeof AudioContext === 'undefined') return null;
  const sender = handler.peerConnection.getSenders().find((s) => s.track?.kind === 'audio');
  const micTrack = sender?.track;
  if (!sender || !micTrack) return null;

  const context = new AudioContext();
  const toSupervisor = context.createMediaStreamDestination();
  const toCaller = context.createMediaStreamDestination();

  const callerTracks = handler.remoteMediaStream.getAudioTracks();
  if (callerTracks.length > 0) context.createMediaStreamSource(new MediaStream(callerTracks)).connect(toSupervisor);
  const mic = context.createMediaStreamSource(new MediaStream([micTrack]));
  mic.connect(toSupervisor);
  const micToCaller = context.createGain();
  micToCaller.gain.value = micTrack.enabled ? 1 : 0;
  mic.connect(micToCaller).connect(toCaller);

  const supervisorToCaller = context.createGain();
  supervisorToCaller.gain.value = 0;
  supervisorToCaller.connect(toCaller);

  const mixTrack = toCaller.stream.getAudioTracks()[0];
  if (!mixTrack) {
    void context.close();
    return null;
  }
  // The mix stands in for the microphone on the real call; a muted call stays muted (by the gain).
  const wasMuted = !micTrack.enabled;
  micTrack.enabled = true;
  void sender.replaceTrack(mixTrack).catch(() => undefined);

  let ear: HTMLAudioElement | null = null;
  let mode: MonitorMode = 'listen';
  let muted = wasMuted;
  let closed = false;

  const apply = (): void => {
    const now = context.currentTime;
    // A short ramp: a mode change must not click.
    supervisorToCaller.gain.setTargetAtTime(mode === 'barge' ? 1 : 0, now, 0.01);
    if (ear) ear.muted = mode === 'listen';
  };

  return {
    toSupervisor: toSupervisor.stream,
    attach(monitorHandler) {
      const supervisor = webHandler(monitorHandler);
      if (!supervisor || closed) return;
      const stream = supervisor.remoteMediaStream;
      const connect = (): boolean => {
        const tracks = stream.getAudioTracks();
        if (tracks.length === 0) return false;
        context.createMediaStreamSource(new MediaStream(tracks)).connect(supervisorToCaller);
        // Chromium feeds a remote WebRTC track into WebAudio only while it also plays in an element:
        // the element is the operator's ear on the supervisor (muted in listen).
        ear = document.createElement('audio');
        ear.hidden = true;
        ear.dataset.monitorAudio = 'operator-ear';
        ear.srcObject = new MediaStream(tracks);
        ear.muted = mode === 'listen';
        document.body.append(ear);
        // The supervisor's voice comes out where the caller's does (the operator's headset).
        const callAudio = document.querySelector<HTMLAudioElement & { sinkId?: string }>(`audio[data-remote-audio="${CSS.escape(call.id)}"]`);
        const playing = ear;
        void applySink(playing, callAudio?.sinkId ?? '').then(() => playing.play()).catch(() => undefined);
        apply();
        return true;
      };
      if (!connect()) stream.addEventListener('addtrack', () => void connect(), { once: true });
      void context.resume().catch(() => undefined);
    },
    setMode(next) {
      mode = next;
      if (!closed) apply();
    },
    follow(call) {
      if (closed) return;
      // sip.js mutes and holds by disabling the sender's track (now the mix). Held: nothing goes to
      // the caller. Muted: the mix stays on and only the operator's voice is cut.
      mixTrack.enabled = !call.held;
      if (call.muted === muted) return;
      muted = call.muted;
      micToCaller.gain.setTargetAtTime(muted ? 0 : 1, context.currentTime, 0.01);
    },
    close() {
      if (closed) return;
      closed = true;
      if (ear) {
        ear.pause();
        ear.srcObject = null;
        ear.remove();
      }
      // The call gets its microphone back, as muted as the mix was.
      if (handler.peerConnection.signalingState !== 'closed' && sender.track === mixTrack) {
        micTrack.enabled = !muted;
        void sender.replaceTrack(micTrack).catch(() => undefined);
      }
      for (const track of [...toSupervisor.stream.getTracks(), mixTrack]) track.stop();
      void context.close().catch(() => undefined);
    },
  };
}
