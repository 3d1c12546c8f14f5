import { describe, expect, it } from 'vitest';
import { mediaFailed, mediaInterrupted, watchMediaStates, type MediaStates } from '../../../../renderer/src/line/media-health.js';

const states = (connectionState: RTCPeerConnectionState, iceConnectionState: RTCIceConnectionState): MediaStates => ({ connectionState, iceConnectionState });

describe('a call’s media path', () => {
  it('is interrupted when ICE or the connection is disconnected or failed', () => {
    expect(mediaInterrupted(states('connected', 'disconnected'))).toBe(true);
    expect(mediaInterrupted(states('disconnected', 'connected'))).toBe(true);
    expect(mediaInterrupted(states('failed', 'failed'))).toBe(true);
    // DTLS failing while ICE still passes packets is no audio all the same.
    expect(mediaInterrupted(states('failed', 'connected'))).toBe(true);
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

  it('is re-read on every ICE and connection state change until the watch stops', () => {
    const pc = Object.assign(new EventTarget(), states('connected', 'connected'));
    let seen = 0;
    const stop = watchMediaStates(pc, () => (seen += 1));
    expect(seen).toBe(1);
    pc.dispatchEvent(new Event('iceconnectionstatechange'));
    pc.dispatchEvent(new Event('connectionstatechange'));
    expect(seen).toBe(3);
    stop();
    pc.dispatchEvent(new Event('iceconnectionstatechange'));
    expect(seen).toBe(3);
  });
});
