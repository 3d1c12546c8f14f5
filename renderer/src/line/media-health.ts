/**
 * Whether a call's media path is alive, read from its peer connection's own states. A dead path is
 * silent on both sides while the SIP dialog looks fine (the strip would say 通話中 over silence), so
 * the call reports it (`noAudio`) and, once ICE has given up, asks for an ICE restart by itself.
 *
 * Chromium marks ICE `disconnected` after about 2.5 s without a packet on the selected pair and
 * `failed` once consent has expired (about 30 s); DTLS failure shows in `connectionState`.
 */

/** The peer connection states the health is read from (a plain object in unit tests). */
export type MediaStates = Pick<RTCPeerConnection, 'connectionState' | 'iceConnectionState'>;

const DOWN: ReadonlySet<string> = new Set(['disconnected', 'failed']);

/** The media path is down: ICE or the connection (DTLS) disconnected or failed. Closed is the call ending, not a loss. */
export function mediaInterrupted(pc: MediaStates): boolean {
  if (pc.connectionState === 'closed' || pc.iceConnectionState === 'closed') return false;
  return DOWN.has(pc.connectionState) || DOWN.has(pc.iceConnectionState);
}

/** ICE has given up on the path: only a restart (new candidates and credentials) brings it back. */
export function mediaFailed(pc: MediaStates): boolean {
  return pc.connectionState === 'failed' || pc.iceConnectionState === 'failed';
}

/** ICE restarts a call asks for by itself after failures; past this the operator decides (hang up, call back). */
export const MAX_AUTOMATIC_ICE_RESTARTS = 3;

/**
 * Follows a peer connection's states: `onChange` runs on every change of ICE or connection state
 * (and once at the start). Returns the function that stops watching.
 */
export function watchMediaStates(pc: MediaStates & Pick<EventTarget, 'addEventListener' | 'removeEventListener'>, onChange: () => void): () => void {
  pc.addEventListener('connectionstatechange', onChange);
  pc.addEventListener('iceconnectionstatechange', onChange);
  onChange();
  return () => {
    pc.removeEventListener('connectionstatechange', onChange);
    pc.removeEventListener('iceconnectionstatechange', onChange);
  };
}
