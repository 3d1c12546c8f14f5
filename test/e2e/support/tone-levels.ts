/**
 * Spectral checks for the floor's media tests: how loud each test tone (440 / 880 / 1320 Hz) is in
 * what a party receives. Plain JavaScript text, evaluated in the page (the desk, or the test phone),
 * so no bundler helper can sneak into it.
 *
 * `measure(streams, freqs, ms)` sums the streams into one AnalyserNode (FFT 8192, no smoothing),
 * averages the power spectrum over `ms`, and returns for each frequency the strongest bin within
 * ±12 Hz, in dBFS. A tone that is there reads around -20…-40 dB; one that is not, below -80 dB.
 */
export const TONE_LEVELS_JS = `
async (streams, freqs, ms) => {
  const ctx = new AudioContext();
  await ctx.resume();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 8192;
  analyser.smoothingTimeConstant = 0;
  for (const s of streams) {
    if (s.getAudioTracks().length > 0) ctx.createMediaStreamSource(s).connect(analyser);
  }
  const bins = new Float32Array(analyser.frequencyBinCount);
  const sum = new Float64Array(analyser.frequencyBinCount);
  let frames = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    analyser.getFloatFrequencyData(bins);
    for (let i = 0; i < bins.length; i++) sum[i] += Math.pow(10, bins[i] / 10);
    frames++;
  }
  await ctx.close();
  const hz = ctx.sampleRate / analyser.fftSize;
  return freqs.map((f) => {
    let best = 0;
    for (let i = Math.floor((f - 12) / hz); i <= Math.ceil((f + 12) / hz); i++) best = Math.max(best, sum[i] / Math.max(1, frames));
    return best > 0 ? Math.round(10 * Math.log10(best)) : -200;
  });
}`;

/** A mono 16-bit PCM WAV of a sine tone (the fake microphone of one Chromium process). */
export function toneWav(freq: number, seconds = 4, rate = 48_000, amplitude = 0.3): Buffer {
  const samples = seconds * rate;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * freq * i) / rate)), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
