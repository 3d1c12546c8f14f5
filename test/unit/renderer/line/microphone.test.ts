import { describe, expect, it } from 'vitest';
import { MicrophoneError, microphoneConstraints, microphoneProblemOf, openMicrophone } from '../../../../renderer/src/line/microphone.js';

describe('microphoneProblemOf', () => {
  it.each([
    ['NotAllowedError', 'denied'],
    ['SecurityError', 'denied'],
    ['NotFoundError', 'missing'],
    ['OverconstrainedError', 'missing'],
    ['NotReadableError', 'busy'],
    ['AbortError', 'busy'],
  ] as const)('classifies a getUserMedia %s as %s', (name, problem) => {
    expect(microphoneProblemOf(new DOMException('from the platform', name))).toBe(problem);
  });

  it('classifies the older Chromium error names the same way', () => {
    expect(microphoneProblemOf({ name: 'PermissionDeniedError' })).toBe('denied');
    expect(microphoneProblemOf({ name: 'DevicesNotFoundError' })).toBe('missing');
    expect(microphoneProblemOf({ name: 'TrackStartError' })).toBe('busy');
  });

  it('calls anything else unavailable, never throwing on odd values', () => {
    expect(microphoneProblemOf(new TypeError('Media devices not available in insecure contexts.'))).toBe('unavailable');
    expect(microphoneProblemOf(new DOMException('odd', 'InvalidStateError'))).toBe('unavailable');
    expect(microphoneProblemOf({ name: 'toString' })).toBe('unavailable');
    expect(microphoneProblemOf('NotAllowedError')).toBe('unavailable');
    expect(microphoneProblemOf(null)).toBe('unavailable');
  });

  it('keeps the problem of a MicrophoneError', () => {
    expect(microphoneProblemOf(new MicrophoneError('busy'))).toBe('busy');
  });
});

describe('microphoneConstraints', () => {
  it('asks for audio only, from the chosen device exactly or the system default', () => {
    expect(microphoneConstraints('')).toEqual({ audio: true, video: false });
    expect(microphoneConstraints('abc')).toEqual({ audio: { deviceId: { exact: 'abc' } }, video: false });
  });
});

describe('openMicrophone', () => {
  it('fails with an unavailable MicrophoneError where the page has no media devices', async () => {
    // Node, like an insecure page, has no navigator.mediaDevices.
    const failure = await openMicrophone('', { fallbackToDefault: true }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MicrophoneError);
    expect((failure as MicrophoneError).problem).toBe('unavailable');
  });
});
