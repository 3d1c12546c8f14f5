import { describe, expect, it } from 'vitest';
import { offerProblem } from '../../../../shared/line/sdp-offer.js';

const audio = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n';

describe('whether an incoming offer is worth ringing for', () => {
  it('rings for an audio offer or no offer at all', () => {
    expect(offerProblem(audio, 'application/sdp')).toBeNull();
    expect(offerProblem(audio, 'Application/SDP; charset=utf-8')).toBeNull();
    expect(offerProblem(undefined, undefined)).toBeNull();
    expect(offerProblem('', 'application/sdp')).toBeNull();
  });

  it('turns away video-only, refused audio, non-SDP and oversized bodies', () => {
    expect(offerProblem(audio.replace('m=audio 9 RTP/AVP 0', 'm=video 9 RTP/AVP 96'), 'application/sdp')).toBe('no-audio');
    expect(offerProblem(audio.replace('m=audio 9', 'm=audio 0'), 'application/sdp')).toBe('no-audio');
    expect(offerProblem('<html></html>', 'text/html')).toBe('not-sdp');
    expect(offerProblem(audio + 'a=x\r\n'.repeat(20_000), 'application/sdp')).toBe('too-large');
  });
});
