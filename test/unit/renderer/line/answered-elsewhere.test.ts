import { describe, expect, it } from 'vitest';
import { answeredElsewhere } from '../../../../renderer/src/line/call.js';

describe('a CANCEL that says the call was answered elsewhere (RFC 3326)', () => {
  it('is recognised by its SIP cause 200, however the parameters are spaced or ordered', () => {
    expect(answeredElsewhere(['SIP;cause=200;text="Call completed elsewhere"'])).toBe(true);
    expect(answeredElsewhere(['SIP ; text="Call completed elsewhere" ; cause = 200'])).toBe(true);
    expect(answeredElsewhere(['Q.850;cause=16, SIP;cause=200'])).toBe(true);
    expect(answeredElsewhere(['Q.850;cause=16', 'sip;CAUSE=200'])).toBe(true);
  });

  it('is not a CANCEL without that cause: the caller gave up', () => {
    expect(answeredElsewhere([])).toBe(false);
    expect(answeredElsewhere(['Q.850;cause=200'])).toBe(false);
    expect(answeredElsewhere(['SIP;cause=2000'])).toBe(false);
    expect(answeredElsewhere(['SIP;cause=487;text="Request Terminated"'])).toBe(false);
  });

  it('reads a hostile header only so far', () => {
    expect(answeredElsewhere([`SIP;text="${'x'.repeat(10_000)}";cause=200`])).toBe(false);
  });
});
