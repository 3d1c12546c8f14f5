/**
 * A first look at an incoming offer, before the desk rings: an INVITE whose session description has
 * no audio the desk could answer (video only, every stream refused, a body that is not SDP) is
 * answered 488 Not Acceptable Here instead of ringing an operator who could never talk to the caller.
 * The real negotiation still happens in the session description handler (WebRTC); this only turns
 * away what cannot possibly work.
 */

/** Why an offer cannot be answered, or null when it is worth ringing for. */
export type OfferProblem = 'not-sdp' | 'no-audio' | 'too-large';

/** Far above any real audio offer (a WebRTC offer with many candidates is a few KB). */
const MAX_OFFER_LENGTH = 64 * 1024;

/**
 * Checks an INVITE body. No body is fine (the desk will make the offer in its answer); an SDP body
 * needs at least one `m=audio` line with a non-zero port.
 */
export function offerProblem(body: string | undefined, contentType: string | undefined): OfferProblem | null {
  if (body === undefined || body.trim() === '') return null;
  if (body.length > MAX_OFFER_LENGTH) return 'too-large';
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (type !== 'application/sdp') return 'not-sdp';
  for (const line of body.split(/\r?\n/)) {
    const media = /^m=audio\s+(\d+)(?:\/\d+)?\s+\S+/.exec(line.trim());
    if (media && Number(media[1]) !== 0) return null;
  }
  return 'no-audio';
}
