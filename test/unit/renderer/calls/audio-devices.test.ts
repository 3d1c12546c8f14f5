import { describe, expect, it } from 'vitest';
import { closedMeanwhile, deviceListProblem, peerConnectionGone } from '../../../../renderer/src/calls/audio-devices.js';
import { MicrophoneError } from '../../../../renderer/src/line/microphone.js';

const input = { kind: 'audioinput' } as const;
const output = { kind: 'audiooutput' } as const;

describe('deviceListProblem', () => {
  it('finds no problem when an input is listed and the permission is not denied', () => {
    expect(deviceListProblem({ devices: [input, output], listError: null, permission: 'granted' })).toBeNull();
    // Before any grant the inputs are listed nameless: that is not a problem yet.
    expect(deviceListProblem({ devices: [input], listError: null, permission: 'prompt' })).toBeNull();
    expect(deviceListProblem({ devices: [input], listError: null, permission: null })).toBeNull();
  });

  it('says denied when the microphone permission is denied', () => {
    expect(deviceListProblem({ devices: [input, output], listError: null, permission: 'denied' })).toBe('denied');
  });

  it('says missing when no audio input is listed at all', () => {
    expect(deviceListProblem({ devices: [output], listError: null, permission: 'granted' })).toBe('missing');
    expect(deviceListProblem({ devices: [], listError: null, permission: null })).toBe('missing');
  });

  it('says why when the devices cannot be listed', () => {
    expect(deviceListProblem({ devices: null, listError: new MicrophoneError('unavailable'), permission: null })).toBe('unavailable');
    expect(deviceListProblem({ devices: null, listError: new DOMException('no', 'NotAllowedError'), permission: null })).toBe('denied');
  });
});

describe('a microphone switch on a call that ended', () => {
  it('treats a closed peer connection as gone', () => {
    expect(peerConnectionGone({ signalingState: 'closed', connectionState: 'closed' })).toBe(true);
    expect(peerConnectionGone({ signalingState: 'closed', connectionState: 'connected' })).toBe(true);
    expect(peerConnectionGone({ signalingState: 'stable', connectionState: 'connected' })).toBe(false);
    expect(peerConnectionGone({ signalingState: 'stable', connectionState: 'new' })).toBe(false);
  });

  it('ignores InvalidStateError from replaceTrack only when the connection closed meanwhile', () => {
    const closed = new DOMException("Failed to execute 'replaceTrack' on 'RTCRtpSender': The peer connection is closed.", 'InvalidStateError');
    expect(closedMeanwhile(closed, true)).toBe(true);
    // Still open: an InvalidStateError is a real failure to report.
    expect(closedMeanwhile(closed, false)).toBe(false);
    // A device failure is reported even if the call ended too.
    expect(closedMeanwhile(new DOMException('busy', 'NotReadableError'), true)).toBe(false);
    expect(closedMeanwhile(new MicrophoneError('denied'), true)).toBe(false);
  });
});
