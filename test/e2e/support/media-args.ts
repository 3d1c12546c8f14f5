/**
 * Chromium flags for WebRTC media in tests (see shared/design/ENVIRONMENT.md, "Chromium and WebRTC
 * in tests"): a fake microphone granted without a prompt, peer connections allowed on loopback, and
 * audio (the ringtone, the far end) allowed to play without a click.
 */
export const MEDIA_ARGS = [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];
