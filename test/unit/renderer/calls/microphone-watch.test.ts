import { describe, expect, it } from 'vitest';
import { microphoneDead, sentAudioTrack, watchMicrophone } from '../../../../renderer/src/calls/microphone-watch.js';

/** A capture track as far as the watch sees it: an EventTarget with a kind and a readyState. */
function fakeTrack(): MediaStreamTrack & { end(): void } {
  const track = Object.assign(new EventTarget(), { kind: 'audio', readyState: 'live' as MediaStreamTrackState }) as unknown as MediaStreamTrack & { end(): void };
  track.end = () => {
    (track as { readyState: MediaStreamTrackState }).readyState = 'ended';
    track.dispatchEvent(new Event('ended'));
  };
  return track;
}

function fakePc(track: MediaStreamTrack | null) {
  const sender = { track };
  return { sender, getSenders: () => [sender] as unknown as RTCRtpSender[] };
}

describe('a call’s microphone going away', () => {
  it('is noticed when the track the call sends ends (headset unplugged)', () => {
    const track = fakeTrack();
    const pc = fakePc(track);
    let lost = 0;
    watchMicrophone(pc, () => (lost += 1), new EventTarget());
    expect(microphoneDead(pc)).toBe(false);
    track.end();
    expect(lost).toBe(1);
    expect(microphoneDead(pc)).toBe(true);
  });

  it('is noticed on a device change that left the call’s track ended, and not on one that did not', () => {
    const track = fakeTrack();
    const pc = fakePc(track);
    const devices = new EventTarget();
    let lost = 0;
    const watch = watchMicrophone(pc, () => (lost += 1), devices);
    devices.dispatchEvent(new Event('devicechange'));
    expect(lost).toBe(0);
    watch.stop();
    // Ended without its event reaching the watch (stopped meanwhile): a restarted watch sees it on the next device change.
    (track as { readyState: MediaStreamTrackState }).readyState = 'ended';
    watchMicrophone(pc, () => (lost += 1), devices);
    devices.dispatchEvent(new Event('devicechange'));
    expect(lost).toBe(1);
  });

  it('follows the new track once the call moved to another microphone, and forgets the old one', () => {
    const old = fakeTrack();
    const pc = fakePc(old);
    let lost = 0;
    const watch = watchMicrophone(pc, () => (lost += 1), undefined);
    const replacement = fakeTrack();
    pc.sender.track = replacement;
    watch.rearm();
    old.end();
    expect(lost).toBe(0);
    expect(sentAudioTrack(pc)).toBe(replacement);
    replacement.end();
    expect(lost).toBe(1);
  });

  it('counts a call sending no track at all as a dead microphone', () => {
    expect(microphoneDead(fakePc(null))).toBe(true);
  });
});
