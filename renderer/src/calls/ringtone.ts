/**
 * The ringtone: synthesised with WebAudio (no file to ship, nothing fetched) and played through an
 * <audio> element so it can go to its own output device (setSinkId) — many desks ring on the PC's
 * speaker while the conversation stays in the headset. Failures (no audio device, autoplay refused)
 * are swallowed: a silent ring is still a visible ring, and a call must never fail for a sound.
 */

/** Ring pattern (close to a Japanese 16 Hz-modulated ring): 1 s on, 2 s off. */
const ON_MS = 1000;
const CYCLE_MS = 3000;

export interface Ringtone {
  /**
   * Builds the audio graph ahead of the first ring and leaves it suspended (silent, no audio
   * thread work): the first AudioContext of a page costs hundreds of milliseconds, which must not
   * fall on the first call of a shift.
   */
  prepare(): void;
  /** Starts ringing (quietly, as a call-waiting beep, when `waiting`); idempotent. */
  start(waiting: boolean): void;
  stop(): void;
  /** Routes the ringtone to an output device ('' = the system default). */
  setOutput(deviceId: string): Promise<void>;
  dispose(): void;
}

export function createRingtone(): Ringtone {
  let ctx: AudioContext | null = null;
  let audio: HTMLAudioElement | null = null;
  let gain: GainNode | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  let outputId = '';
  let mode: 'off' | 'ring' | 'waiting' = 'off';

  function graph(): { ctx: AudioContext; gain: GainNode; audio: HTMLAudioElement } | null {
    try {
      if (!ctx) {
        ctx = new AudioContext();
        const carrier = ctx.createOscillator();
        carrier.frequency.value = 400;
        // 16 Hz amplitude modulation gives the warble of a Japanese desk phone.
        const warble = ctx.createOscillator();
        warble.frequency.value = 16;
        const depth = ctx.createGain();
        depth.gain.value = 0.5;
        const am = ctx.createGain();
        am.gain.value = 0.5;
        warble.connect(depth).connect(am.gain);
        gain = ctx.createGain();
        gain.gain.value = 0;
        const out = ctx.createMediaStreamDestination();
        carrier.connect(am).connect(gain).connect(out);
        carrier.start();
        warble.start();
        audio = new Audio();
        audio.srcObject = out.stream;
        if (outputId) void applySink(audio, outputId);
      }
      return ctx && gain && audio ? { ctx, gain, audio } : null;
    } catch {
      return null;
    }
  }

  function burst(level: number, ms: number): void {
    const g = graph();
    if (!g) return;
    const t = g.ctx.currentTime;
    g.gain.gain.cancelScheduledValues(t);
    g.gain.gain.setValueAtTime(level, t);
    g.gain.gain.setValueAtTime(0, t + ms / 1000);
  }

  return {
    prepare() {
      const g = graph();
      if (g && mode === 'off') void g.ctx.suspend().catch(() => undefined);
    },
    start(waiting) {
      const next = waiting ? 'waiting' : 'ring';
      if (mode === next) return;
      this.stop();
      const g = graph();
      if (!g) return;
      mode = next;
      void g.ctx.resume().catch(() => undefined);
      void g.audio.play().catch(() => undefined);
      // A waiting call beeps briefly in the ear of an operator who is talking; an idle desk rings.
      const ring = () => (waiting ? burst(0.08, 200) : burst(0.35, ON_MS));
      ring();
      timer = setInterval(ring, waiting ? CYCLE_MS * 2 : CYCLE_MS);
    },
    stop() {
      mode = 'off';
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      if (gain && ctx) gain.gain.cancelScheduledValues(ctx.currentTime);
      if (gain) gain.gain.value = 0;
      audio?.pause();
      // Idle between calls: the graph stays built but costs nothing until the next ring resumes it.
      void ctx?.suspend().catch(() => undefined);
    },
    async setOutput(deviceId) {
      outputId = deviceId;
      if (audio) await applySink(audio, deviceId);
    },
    dispose() {
      this.stop();
      if (audio) audio.srcObject = null;
      void ctx?.close().catch(() => undefined);
      ctx = null;
      audio = null;
      gain = null;
    },
  };
}

/** setSinkId where the platform has it (Chromium and Electron do); a refusal keeps the default. */
export async function applySink(element: HTMLMediaElement, deviceId: string): Promise<void> {
  const sinkable = element as HTMLMediaElement & { setSinkId?: (id: string) => Promise<void> };
  if (typeof sinkable.setSinkId !== 'function') return;
  await sinkable.setSinkId(deviceId).catch(() => undefined);
}
