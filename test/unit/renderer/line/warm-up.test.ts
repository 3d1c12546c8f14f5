import { Core } from 'sip.js';
import { describe, expect, it } from 'vitest';
import { dialledNumberFrom } from '../../../../shared/line/dialled-number.js';
import { offerProblem } from '../../../../shared/line/sdp-offer.js';
import { WARM_UP_INVITE, warmUpInviteParsing } from '../../../../renderer/src/line/warm-up.js';

describe('warming the INVITE path before the first call', () => {
  it('parses a made-up INVITE the whole way a real one goes: a request, an audio offer, a dialled number', () => {
    const loggers = new Core.LoggerFactory();
    loggers.builtinEnabled = false;
    const message = Core.Parser.parseMessage(WARM_UP_INVITE, loggers.getLogger('test'));
    expect(message).toBeInstanceOf(Core.IncomingRequestMessage);
    const request = message as Core.IncomingRequestMessage;
    expect(request.method).toBe('INVITE');
    expect(offerProblem(request.body, request.getHeader('Content-Type'))).toBeNull();
    expect(dialledNumberFrom({ headers: (n) => request.getHeaders(n), toUser: request.to.uri.user ?? null }).did).toBe('+81312345678');
  });

  it('never throws', () => {
    expect(() => warmUpInviteParsing()).not.toThrow();
  });
});
