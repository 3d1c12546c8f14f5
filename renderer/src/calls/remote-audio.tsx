/**
 * Plays a call's far end: sip.js's remote MediaStream on an <audio> element, on the operator's
 * chosen speaker (setSinkId, re-applied when the choice changes mid-call).
 */
import { useEffect, useRef, type ReactNode } from 'react';
import type { Call } from '../line/types.js';
import { applySink } from './ringtone.js';
import { remoteStreamOf } from './use-live-calls.js';

export function RemoteAudio({ call, state, speaker }: { call: Call; state: string; speaker: string }): ReactNode {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const el = ref.current;
    const stream = remoteStreamOf(call);
    if (!el || !stream || el.srcObject === stream) return;
    el.srcObject = stream;
    void el.play().catch(() => undefined);
    // The stream exists once media is negotiated, i.e. when the call's state moves.
  }, [call, state]);
  useEffect(() => {
    if (ref.current) void applySink(ref.current, speaker);
  }, [speaker]);
  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el) el.srcObject = null;
    };
  }, []);
  return <audio ref={ref} autoPlay aria-hidden="true" data-remote-audio={call.id} />;
}
