/**
 * The first INVITE of a shift should be handled as fast as the hundredth. Its path — sip.js's
 * message grammar, the offer check, reading the dialled number — is compiled by the JavaScript
 * engine only when first run, which cost the first call of a freshly started desk tens of
 * milliseconds. Parsing one made-up INVITE once the line is up, off the call path, does that work
 * ahead of time. Nothing is sent and nothing is kept.
 */
import { Core } from 'sip.js';
import { dialledNumberFrom } from '../../../shared/line/dialled-number.js';
import { offerProblem } from '../../../shared/line/sdp-offer.js';

const SDP = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 0 8 126',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=ice-ufrag:warm',
  'a=ice-pwd:warmwarmwarmwarmwarmwarm',
  'a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF',
  'a=setup:actpass',
  'a=mid:0',
  'a=sendrecv',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=rtpmap:126 telephone-event/8000',
  '',
].join('\r\n');

/** The made-up INVITE (exported for its test: a warm-up that no longer parses warms nothing). */
export const WARM_UP_INVITE = [
  'INVITE sip:desk@127.0.0.1;transport=ws SIP/2.0',
  'Via: SIP/2.0/WSS 127.0.0.1:5060;branch=z9hG4bK-warm;rport',
  'Max-Forwards: 69',
  'To: <sip:desk@pbx.invalid>',
  'From: "着信 ウォームアップ" <sip:caller@pbx.invalid>;tag=warm',
  'Call-ID: warm-up@kotozute',
  'CSeq: 1 INVITE',
  'Contact: <sip:caller@127.0.0.1;transport=ws;ob>',
  'Record-Route: <sip:127.0.0.1;transport=ws;r2=on;lr>',
  'Allow: ACK,CANCEL,INVITE,MESSAGE,BYE,OPTIONS,INFO,NOTIFY,REFER',
  'Supported: outbound',
  'X-Called-Number: 0312345678',
  'Content-Type: application/sdp',
  `Content-Length: ${new TextEncoder().encode(SDP).length}`,
  '',
  SDP,
].join('\r\n');

/** Runs the INVITE path's parsing once; any failure is ignored (a warm-up must never hurt). */
export function warmUpInviteParsing(): void {
  try {
    const loggers = new Core.LoggerFactory();
    loggers.builtinEnabled = false;
    const logger = loggers.getLogger('sip.warm-up');
    const message = Core.Parser.parseMessage(WARM_UP_INVITE, logger);
    if (!(message instanceof Core.IncomingRequestMessage)) return;
    offerProblem(message.body, message.getHeader('Content-Type'));
    dialledNumberFrom({ headers: (name) => message.getHeaders(name), toUser: message.to.uri.user ?? null });
    message.from.displayName.normalize('NFKC');
  } catch {
    // Nothing depends on it.
  }
}
