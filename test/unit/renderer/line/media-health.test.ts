import { describe, expect, it } from 'vitest';
import { mediaFailed, mediaInterrupted, watchMediaStates, type MediaStates } from '../../../../renderer/src/line/media-health.js';

const states = (connectionState: RTCPeerConnectionState, iceConnectionState: RTCIceConnectionState, dtls: RTCDtlsTransportState = 'connected'): MediaStates => ({
  connectionState,
  iceConnectionState,
  dtlsStates: [dtls],
});

describe('a call’s media path', () => {
  it('is interrupted when ICE or the connection is disconnected or failed', () => {
    expect(mediaInterrupted(states('connected', 'disconnected'))).toBe(true);
    expect(mediaInterrupted(states('disconnected', 'connected'))).toBe(true);
    expect(mediaInterrupted(states('failed', 'failed'))).toBe(true);
    // DTLS failing while ICE still passes packets is no audio all the same.
    expect(mediaInterrupted(states('failed', 'connected'))).toBe(true);
  });

  it('is interrupted when the far end closed or broke DTLS while ICE still looks connected (media stopped without SIP)', () => {
    expect(mediaInterrupted(states('connected', 'connected', 'closed'))).toBe(true);
    expect(mediaInterrupted(states('connected', 'connected', 'failed'))).toBe(true);
    expect(mediaInterrupted(states('connected', 'connected', 'connecting'))).toBe(false);
  });

  it('is not interrupted while connecting, connected or restarting ICE, nor when the call closes it', () => {
    expect(mediaInterrupted(states('connected', 'completed'))).toBe(false);
    expect(mediaInterrupted(states('connecting', 'checking'))).toBe(false);
    expect(mediaInterrupted(states('new', 'new'))).toBe(false);
    expect(mediaInterrupted(states('closed', 'closed'))).toBe(false);
  });

  it('needs an ICE restart only once ICE (or the connection) has failed, not while merely disconnected', () => {
    expect(mediaFailed(states('disconnected', 'disconnected'))).toBe(false);
    expect(mediaFailed(states('connected', 'failed'))).toBe(true);
    expect(mediaFailed(states('failed', 'disconnected'))).toBe(true);
  });

  it('is re-read on every ICE, connection and DTLS state change until the watch stops', () => {
    const dtls = Object.assign(new EventTarget(), { state: 'connected' as RTCDtlsTransportState });
    const pc = Object.assign(new EventTarget(), {
      connectionState: 'connected' as RTCPeerConnectionState,
      iceConnectionState: 'connected' as RTCIceConnectionState,
      getSenders: () => [{ transport: dtls }] as unknown as RTCRtpSender[],
      getReceivers: () => [{ transport: dtls }] as unknown as RTCRtpReceiver[],
    });
    const seen: MediaStates[] = [];
    const stop = watchMediaStates(pc, (s) => seen.push(s));
    expect(seen).toHaveLength(1);
    pc.dispatchEvent(new Event('iceconnectionstatechange'));
    pc.dispatchEvent(new Event('connectionstatechange'));
    dtls.state = 'closed';
    dtls.dispatchEvent(new Event('statechange'));
    expect(seen).toHaveLength(4);
    expect(mediaInterrupted(seen[3]!)).toBe(true);
    stop();
    pc.dispatchEvent(new Event('iceconnectionstatechange'));
    dtls.dispatchEvent(new Event('statechange'));
    expect(seen).toHaveLength(4);
  });
});
