import { describe, expect, it } from 'vitest';
import { looksLikeSip } from '../../../../renderer/src/line/socket-watch.js';

describe('telling SIP from garbage on the WebSocket', () => {
  it('accepts SIP requests, responses and keepalives', () => {
    expect(looksLikeSip('SIP/2.0 200 OK\r\nVia: x\r\n\r\n')).toBe(true);
    expect(looksLikeSip('INVITE sip:desk@pbx SIP/2.0\r\n')).toBe(true);
    expect(looksLikeSip('\r\n')).toBe(true);
    expect(looksLikeSip(new TextEncoder().encode('SIP/2.0 401 Unauthorized\r\n').buffer)).toBe(true);
  });

  it('rejects anything else', () => {
    expect(looksLikeSip('HTTP/1.1 200 OK\r\n')).toBe(false);
    expect(looksLikeSip('<html>')).toBe(false);
    expect(looksLikeSip('{"jsonrpc":"2.0"}')).toBe(false);
    expect(looksLikeSip(42)).toBe(false);
  });
});
