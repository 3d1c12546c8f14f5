/**
 * A DTMF detector for the far end of a real call (runs in the test phone page, bundled into
 * caller-page/phone.ts). Chromium's WebRTC receiver (NetEq) plays received RFC 4733 telephone-events
 * out as the two-tone DTMF signal in the decoded audio, so a phone "hears" the desk's digits the way
 * an IVR behind a gateway would. The remote stream is tapped with an AudioWorklet and each 25.6 ms
 * frame is measured with Goertzel filters at the eight DTMF frequencies.
 *
 * A frame counts as a digit only when one low-group and one high-group tone each stand well above
 * the rest of their group, are within 10 dB of each other and carry a good share of the frame's
 * energy; a digit is counted once it fills two frames. The fake microphone's periodic beep (400 Hz
 * square wave, whose 1200 Hz harmonic lies near 1209 Hz but has no low-group partner) never counts,
 * which the test checks before any key is pressed.
 */

const LOW = [697, 770, 852, 941] as const;
const HIGH = [1209, 1336, 1477, 1633] as const;
const KEYS = [
  ['1', '2', '3', 'A'],
  ['4', '5', '6', 'B'],
  ['7', '8', '9', 'C'],
  ['*', '0', '#', 'D'],
] as const;

/** Frame length as in the classic 205-samples-at-8-kHz detector: ~39 Hz bins, DTMF tones 73 Hz apart or more. */
const FRAME_SECONDS = 0.0256;
/** Frames overlap by half, so a short tone still fills a few whole frames. */
const HOP_FRACTION = 0.5;
/** Below this mean square (about -60 dBFS) a frame is silence. */
const SILENCE = 1e-6;
/** Each chosen tone must beat every other tone of its group by this power ratio (6 dB). */
const GROUP_MARGIN = 4;
/** The two tones may differ in level by at most this power ratio (10 dB "twist"). */
const MAX_TWIST = 10;
/**
 * Share of the frame's energy the two tones must carry together. Not higher: the received tones
 * come out of the jitter buffer in 10 ms pieces and a frame that straddles a hiccup loses some.
 */
const TONE_SHARE = 0.3;
/** Frames that must carry the same digit before it is counted (with the overlap, ~38 ms of tone). */
const MIN_HITS = 2;
/**
 * Non-digit frames in a row that a digit survives (~25 ms): a short break in the tone is not a new
 * press (ITU-T Q.24 asks receivers the same), while the 70 ms or more between presses ends it.
 */
const MAX_BREAK = 2;
/** Frames of trace kept (about 5 minutes at one frame per 12.8 ms). */
const TRACE_CAP = 25_000;

/**
 * Power of one frequency in a frame, scaled so a pure sine of that frequency gives its own energy
 * (sum of squares over the frame).
 */
function goertzel(frame: Float32Array, frequency: number, sampleRate: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (const x of frame) {
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * power) / frame.length;
}

function strongest(powers: number[]): { index: number; clear: boolean } {
  let index = 0;
  for (let i = 1; i < powers.length; i++) if (powers[i]! > powers[index]!) index = i;
  const clear = powers.every((p, i) => i === index || p * GROUP_MARGIN <= powers[index]!);
  return { index, clear };
}

/** What one frame holds. */
export type FrameKind = { kind: 'silence' } | { kind: 'sound' } | { kind: 'digit'; digit: string };

export function classifyFrame(frame: Float32Array, sampleRate: number): FrameKind {
  let energy = 0;
  for (const x of frame) energy += x * x;
  if (energy / frame.length < SILENCE) return { kind: 'silence' };
  const low = LOW.map((f) => goertzel(frame, f, sampleRate));
  const high = HIGH.map((f) => goertzel(frame, f, sampleRate));
  const l = strongest(low);
  const h = strongest(high);
  const pl = low[l.index]!;
  const ph = high[h.index]!;
  const isDigit = l.clear && h.clear && pl <= ph * MAX_TWIST && ph <= pl * MAX_TWIST && pl + ph >= TONE_SHARE * energy;
  return isDigit ? { kind: 'digit', digit: KEYS[l.index]![h.index]! } : { kind: 'sound' };
}

/** Turns audio, fed in any block sizes, into the digits it carries, in order. */
export class DtmfDecoder {
  private readonly frame: Float32Array;
  private readonly hop: number;
  private filled = 0;
  /** The digit being heard, how many frames carried it, and the non-digit frames since the last. */
  private current: { digit: string; hits: number; misses: number } | null = null;
  /** Digits heard so far. */
  digits = '';
  /** Frames with any sound in them (the far end's voice, the fake microphone's beep, a digit). */
  audibleFrames = 0;
  frames = 0;
  /**
   * What each frame held, one character per frame ('_' silence, '.' sound, else the digit), capped:
   * a test that misses a digit prints it, so the failure says whether the tone came at all.
   */
  trace = '';

  constructor(private readonly sampleRate: number) {
    this.frame = new Float32Array(Math.round(sampleRate * FRAME_SECONDS));
    this.hop = Math.round(this.frame.length * HOP_FRACTION);
  }

  push(samples: Float32Array): void {
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(samples.length - offset, this.frame.length - this.filled);
      this.frame.set(samples.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.frame.length) {
        this.onFrame(classifyFrame(this.frame, this.sampleRate));
        this.frame.copyWithin(0, this.hop);
        this.filled -= this.hop;
      }
    }
  }

  private onFrame(frame: FrameKind): void {
    this.frames++;
    if (frame.kind !== 'silence') this.audibleFrames++;
    if (this.trace.length < TRACE_CAP) this.trace += frame.kind === 'digit' ? frame.digit : frame.kind === 'silence' ? '_' : '.';
    if (frame.kind !== 'digit') {
      if (this.current && ++this.current.misses > MAX_BREAK) this.current = null;
      return;
    }
    if (this.current?.digit === frame.digit) {
      this.current.hits++;
      this.current.misses = 0;
    } else {
      this.current = { digit: frame.digit, hits: 1, misses: 0 };
    }
    if (this.current.hits === MIN_HITS) this.digits += frame.digit;
  }
}

/** Passes the input's first channel to the main thread, block by block (128 samples). */
const TAP_PROCESSOR = `
registerProcessor('kz-dtmf-tap', class extends AudioWorkletProcessor {
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) this.port.postMessage(channel.slice(0));
    return true;
  }
});
`;

export interface DtmfListener {
  heard(): { digits: string; audibleFrames: number; frames: number; trace: string };
  stop(): Promise<void>;
}

/**
 * Listens to a received stream. The stream must also be playing (an <audio> element), or Chromium
 * does not decode the remote track.
 */
export async function listenForDtmf(stream: MediaStream): Promise<DtmfListener> {
  const context = new AudioContext();
  const url = URL.createObjectURL(new Blob([TAP_PROCESSOR], { type: 'text/javascript' }));
  try {
    await context.audioWorklet.addModule(url);
  } finally {
    URL.revokeObjectURL(url);
  }
  const decoder = new DtmfDecoder(context.sampleRate);
  const source = context.createMediaStreamSource(stream);
  const tap = new AudioWorkletNode(context, 'kz-dtmf-tap', { numberOfOutputs: 1 });
  tap.port.onmessage = (e: MessageEvent<Float32Array>) => decoder.push(e.data);
  // A node is only processed while connected to the destination; a zero gain keeps it inaudible.
  const mute = context.createGain();
  mute.gain.value = 0;
  source.connect(tap).connect(mute).connect(context.destination);
  await context.resume();
  return {
    heard: () => ({ digits: decoder.digits, audibleFrames: decoder.audibleFrames, frames: decoder.frames, trace: decoder.trace }),
    stop: async () => {
      source.disconnect();
      tap.port.onmessage = null;
      await context.close();
    },
  };
}
