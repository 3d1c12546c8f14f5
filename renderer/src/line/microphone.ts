/**
 * The operator's microphone for a call: opened BEFORE the call is answered, so that a denied, missing
 * or busy microphone fails the answer while the call still rings (see CallImpl.answer), and handed to
 * sip.js's WebRTC handler so that it does not ask for it a second time.
 *
 * Why before: sip.js 0.21's Web handler asks for the microphone inside `Invitation.accept()` — its
 * `setDescription` calls `getLocalMediaStream` → getUserMedia before the remote offer is applied.
 * When getUserMedia rejects there, the session is already `Establishing`: the media guard answers
 * 488 (sip.js alone would answer 480) and the caller is lost, with nothing telling the operator that
 * the microphone was the reason.
 */
import { Web, type Session, type SessionDescriptionHandlerFactory } from 'sip.js';

/**
 * Why the microphone cannot be used, in the operator's terms:
 * - `denied`: the page (or the OS) is not allowed to use it (NotAllowedError, SecurityError).
 * - `missing`: there is no microphone, or the chosen one is gone (NotFoundError, OverconstrainedError).
 * - `busy`: it exists but cannot be started — another app holds it, or the device fails (NotReadableError, AbortError).
 * - `unavailable`: anything else (no media devices in this context, an unknown error).
 */
export type MicrophoneProblem = 'denied' | 'missing' | 'busy' | 'unavailable';

/** The microphone could not be opened; `cause` is the platform's error. */
export class MicrophoneError extends Error {
  override readonly name = 'MicrophoneError';
  constructor(
    readonly problem: MicrophoneProblem,
    options?: { cause?: unknown },
  ) {
    super(`the microphone cannot be used: ${problem}`, options);
  }
}

/** Error names from getUserMedia (current and the older Chromium ones) and what they mean. */
const PROBLEMS: Readonly<Record<string, MicrophoneProblem>> = {
  NotAllowedError: 'denied',
  PermissionDeniedError: 'denied',
  SecurityError: 'denied',
  NotFoundError: 'missing',
  DevicesNotFoundError: 'missing',
  OverconstrainedError: 'missing',
  ConstraintNotSatisfiedError: 'missing',
  NotReadableError: 'busy',
  TrackStartError: 'busy',
  AbortError: 'busy',
};

/** Classifies what getUserMedia (or enumerateDevices) rejected with. */
export function microphoneProblemOf(error: unknown): MicrophoneProblem {
  if (error instanceof MicrophoneError) return error.problem;
  const name = typeof error === 'object' && error !== null && 'name' in error ? (error as { name: unknown }).name : undefined;
  return (typeof name === 'string' && Object.hasOwn(PROBLEMS, name) ? PROBLEMS[name] : undefined) ?? 'unavailable';
}

/** Audio only, from the chosen device ('' = the system default). */
export function microphoneConstraints(deviceId: string): MediaStreamConstraints {
  return { audio: deviceId ? { deviceId: { exact: deviceId } } : true, video: false };
}

export interface OpenMicrophoneOptions {
  /**
   * A chosen device that is gone falls back to the system default (true when answering: the saved
   * choice may be from a headset unplugged since; false when the operator picks a device mid-call).
   */
  fallbackToDefault?: boolean;
}

/** Opens the microphone or throws a {@link MicrophoneError}. */
export async function openMicrophone(deviceId: string, options: OpenMicrophoneOptions = {}): Promise<MediaStream> {
  // Undefined outside a secure context (and in Node): no microphone at all.
  const devices = (globalThis.navigator as Navigator | undefined)?.mediaDevices as MediaDevices | undefined;
  if (!devices || typeof devices.getUserMedia !== 'function') throw new MicrophoneError('unavailable');
  try {
    return await devices.getUserMedia(microphoneConstraints(deviceId));
  } catch (error) {
    const problem = microphoneProblemOf(error);
    if (deviceId && problem === 'missing' && options.fallbackToDefault) return openMicrophone('', options);
    throw new MicrophoneError(problem, { cause: error });
  }
}

/** Streams opened for a session about to be answered, waiting for its media handler to take them. */
const prepared = new WeakMap<Session, MediaStream>();

/** Hands an opened microphone to the session's media handler (taken on its first use). */
export function prepareMicrophone(session: Session, stream: MediaStream): void {
  releaseMicrophone(session);
  prepared.set(session, stream);
}

/** Stops a prepared microphone the media handler never took (the answer failed or was not sent). */
export function releaseMicrophone(session: Session): void {
  const stream = prepared.get(session);
  prepared.delete(session);
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/**
 * sip.js's WebRTC handler, taking the microphone prepared for its session instead of asking for it
 * again; without one (an outgoing call) it asks as sip.js does.
 */
export function webSessionDescriptionHandlerFactory(): SessionDescriptionHandlerFactory {
  const ask = Web.defaultMediaStreamFactory();
  return (session, options) => {
    const mediaStreamFactory: Web.MediaStreamFactory = (constraints, handler, handlerOptions) => {
      const stream = prepared.get(session);
      if (!stream) return ask(constraints, handler, handlerOptions);
      prepared.delete(session);
      return Promise.resolve(stream);
    };
    return Web.defaultSessionDescriptionHandlerFactory(mediaStreamFactory)(session, options);
  };
}
