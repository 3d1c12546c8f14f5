/**
 * Whether a call's media path is alive, read from its peer connection's own states. A dead path is
 * silent on both sides while the SIP dialog looks fine (the strip would say 通話中 over silence), so
 * the call reports it (`noAudio`) and, once ICE has given up, asks for an ICE restart by itself.
 *
 * Chromium marks ICE `disconnected` after about 2.5 s without a packet on the selected pair and
 * `failed` once consent has expired (about 30 s); a far end that stops its media closes DTLS at once.
 */

/** The peer connection states the health is read from (a plain object in unit tests). */
export interface MediaStates {
  connectionState: RTCPeerConnectionState;
  iceConnectionState: RTCIceConnectionState;
  /** The DTLS transports' states (one with BUNDLE): `closed` when the far end closed it (close_notify). */
  dtlsStates: readonly RTCDtlsTransportState[];
}

type WatchedConnection = Pick<RTCPeerConnection, 'connectionState' | 'iceConnectionState' | 'getSenders' | 'getReceivers' | 'addEventListener' | 'removeEventListener'>;

const DOWN: ReadonlySet<string> = new Set(['disconnected', 'failed']);

/** The DTLS transports a peer connection's audio goes over. */
function dtlsTransports(pc: Pick<RTCPeerConnection, 'getSenders' | 'getReceivers'>): RTCDtlsTransport[] {
  const found = new Set<RTCDtlsTransport>();
  for (const sr of [...pc.getSenders(), ...pc.getReceivers()]) if (sr.transport) found.add(sr.transport);
  return [...found];
}

/** What the health is read from, now. */
export function mediaStatesOf(pc: Pick<RTCPeerConnection, 'connectionState' | 'iceConnectionState' | 'getSenders' | 'getReceivers'>): MediaStates {
  return { connectionState: pc.connectionState, iceConnectionState: pc.iceConnectionState, dtlsStates: dtlsTransports(pc).map((t) => t.state) };
}

/**
 * The media path is down: ICE or the connection disconnected or failed, or a DTLS transport failed
 * or was closed by the far end (its media stopped without a word in SIP). The connection closed
 * by the desk itself is the call ending, not a loss.
 */
export function mediaInterrupted(s: MediaStates): boolean {
  if (s.connectionState === 'closed' || s.iceConnectionState === 'closed') return false;
  return DOWN.has(s.connectionState) || DOWN.has(s.iceConnectionState) || s.dtlsStates.some((d) => d === 'failed' || d === 'closed');
}

/** ICE has given up on the path: only a restart (new candidates and credentials) brings it back. */
export function mediaFailed(s: Pick<MediaStates, 'connectionState' | 'iceConnectionState'>): boolean {
  return s.connectionState === 'failed' || s.iceConnectionState === 'failed';
}

/** ICE restarts a call asks for by itself after failures; past this the operator decides (hang up, call back). */
export const MAX_AUTOMATIC_ICE_RESTARTS = 3;

/**
 * How long a media path must stay down before the call reports it: a caller hanging up closes
 * their DTLS transport about when their BYE leaves, and the BYE should win (the call ends, no alarm).
 */
export const NO_AUDIO_GRACE_MS = 1000;

/**
 * Follows a peer connection's states: `onChange` runs with the current states on every change of
 * ICE, connection or DTLS state (and once at the start). Returns the function that stops watching.
 */
export function watchMediaStates(pc: WatchedConnection, onChange: (states: MediaStates) => void): () => void {
  let transports: RTCDtlsTransport[] = [];
  const changed = (): void => {
    // Transports appear with the first negotiation: follow whichever are there now.
    const now = dtlsTransports(pc);
    for (const t of transports) if (!now.includes(t)) t.removeEventListener('statechange', changed);
    for (const t of now) if (!transports.includes(t)) t.addEventListener('statechange', changed);
    transports = now;
    onChange(mediaStatesOf(pc));
  };
  pc.addEventListener('connectionstatechange', changed);
  pc.addEventListener('iceconnectionstatechange', changed);
  changed();
  return () => {
    pc.removeEventListener('connectionstatechange', changed);
    pc.removeEventListener('iceconnectionstatechange', changed);
    for (const t of transports) t.removeEventListener('statechange', changed);
    transports = [];
  };
}
