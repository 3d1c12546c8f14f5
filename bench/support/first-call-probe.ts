/**
 * What the calls bench observes on a freshly started desk's first call, from outside the app's own
 * code (installed with addInitScript before the page loads):
 *
 * - `strip`: when the ringing strip (`ringing`) first enters the DOM (a MutationObserver);
 * - `sound`: when the ring is first heard — every audio node the page connects to an output (the
 *   context's destination, or a stream played by a media element) is also connected to an analyser
 *   of ours, polled from the strip on until one carries signal, and a media element must be playing
 *   (its play() resolved) by then;
 * - `tasks`: every long task (≥ 50 ms, PerformanceObserver 'longtask') with its start and duration.
 */

export interface FirstCallMarks {
  strip: number | null;
  sound: number | null;
  tasks: [start: number, duration: number][];
}

export function installFirstCallProbe(o: { ringing: string; timeoutMs: number }): void {
  const marks: FirstCallMarks = { strip: null, sound: null, tasks: [] };
  (window as unknown as { __firstCall: FirstCallMarks }).__firstCall = marks;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) marks.tasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });

  const analysers: AnalyserNode[] = [];
  let usesStreams = false;
  const connect = AudioNode.prototype.connect as (this: AudioNode, ...args: unknown[]) => unknown;
  // Passes its arguments on exactly as given: connect() is overloaded (a node, or an AudioParam), and
  // an extra undefined argument picks the wrong overload and throws.
  AudioNode.prototype.connect = function (this: AudioNode, ...args: unknown[]) {
    const destination = args[0];
    if (destination instanceof AudioDestinationNode || destination instanceof MediaStreamAudioDestinationNode) {
      if (destination instanceof MediaStreamAudioDestinationNode) usesStreams = true;
      const analyser = this.context.createAnalyser();
      analyser.fftSize = 256;
      connect.call(this, analyser);
      // An analyser nobody pulls may not be processed: feed it, silenced, to the context's output.
      const mute = this.context.createGain();
      mute.gain.value = 0;
      connect.call(analyser, mute);
      connect.call(mute, this.context.destination);
      analysers.push(analyser);
    }
    return connect.apply(this, args);
  } as typeof AudioNode.prototype.connect;

  // When an element last started playing (a stream destination is heard only through one).
  let playing = Number.NEGATIVE_INFINITY;
  let playingAnything = false;
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    const started = play.call(this);
    void started.then(
      () => {
        playing = performance.now();
        playingAnything = true;
      },
      () => undefined,
    );
    return started;
  };
  const samples = new Float32Array(256);
  const poll = (): void => {
    if (marks.sound !== null || marks.strip === null || performance.now() - marks.strip > o.timeoutMs) return;
    for (const analyser of analysers) {
      analyser.getFloatTimeDomainData(samples);
      if (samples.some((v) => Math.abs(v) > 1e-4) && (playingAnything || !usesStreams)) {
        marks.sound = Math.max(performance.now(), playing);
        return;
      }
    }
    setTimeout(poll, 1);
  };
  const seen = new MutationObserver(() => {
    if (marks.strip !== null || !document.querySelector(o.ringing)) return;
    marks.strip = performance.now();
    seen.disconnect();
    poll();
  });
  seen.observe(document, { subtree: true, childList: true });
}
