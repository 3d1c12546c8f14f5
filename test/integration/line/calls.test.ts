// Incoming calls on the desk's line through a real Kamailio: the dialled number from each source,
// hostile caller text, answer / decline / hang up, hold, DTMF, CANCEL, call waiting, capacity and
// floods. Callers are sip.js user agents in Node with the stub session description handler.
import { describe, expect, it } from 'vitest';
import { Inviter, SessionState, UserAgent, type Info } from 'sip.js';
import { sessionReaches, StubSessionDescriptionHandler, STUB_SDP, type NodeUa } from '../../support/sip-node-ua.js';
import type { Call } from '../../../renderer/src/line/types.js';
import { nextRinging, registered, sleep, useLineHarness, waitForCall } from './line-fixture.js';

const h = useLineHarness();

/** Places a call from `caller` to the desk and returns the caller's Inviter and the desk's Call. */
async function ring(
  caller: NodeUa,
  deskUser: string,
  line: Parameters<typeof nextRinging>[0],
  options: Parameters<NodeUa['call']>[1] = {},
): Promise<{ inviter: Inviter; call: Call }> {
  const ringing = nextRinging(line);
  const inviter = await caller.call(deskUser, options);
  return { inviter, call: await ringing };
}

describe('the dialled number', () => {
  it('comes from X-Called-Number before the other sources', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua } = await h.caller();
    const { call, inviter } = await ring(ua, user.user, line, {
      extraHeaders: ['X-Called-Number: 03-1234-5678', 'P-Called-Party-ID: <sip:+81312340001@example.invalid>', 'Diversion: <sip:0312340002@example.invalid>;reason=unconditional'],
    });
    expect(call.info).toMatchObject({ did: '+81312345678', didSource: { kind: 'header', name: 'X-Called-Number' }, state: 'ringing', direction: 'incoming' });
    await inviter.cancel();
  });

  it('comes from P-Called-Party-ID when there is no X-Called-Number', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua } = await h.caller();
    const { call, inviter } = await ring(ua, user.user, line, {
      extraHeaders: ['P-Called-Party-ID: "Reception" <sip:+81312340001@example.invalid;user=phone>', 'Diversion: <sip:0312340002@example.invalid>'],
    });
    expect(call.info).toMatchObject({ did: '+81312340001', didSource: { kind: 'p-called-party-id' } });
    await inviter.cancel();
  });

  it('comes from Diversion when the PBX only says where the call was forwarded from', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua } = await h.caller();
    const { call, inviter } = await ring(ua, user.user, line, {
      extraHeaders: ['Diversion: <tel:+81-3-1234-0002>;reason=unconditional;counter=1'],
    });
    expect(call.info).toMatchObject({ did: '+81312340002', didSource: { kind: 'diversion' } });
    await inviter.cancel();
  });

  it('comes from the To user when the desk is registered as the number itself', async () => {
    const number = `03${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const account = { user: number, password: `pw${Date.now().toString(36)}` };
    await h.kam().addUser(account);
    const { line } = await h.desk({}, {}, account);
    await registered(line);
    const { ua } = await h.caller();
    const { call, inviter } = await ring(ua, number, line);
    expect(call.info).toMatchObject({ did: `+81${number.slice(1)}`, didSource: { kind: 'to' } });
    await inviter.cancel();
  });

  it('follows the configured order of sources', async () => {
    const { line, user } = await h.desk({ didSources: [{ kind: 'diversion' }, { kind: 'header', name: 'X-Called-Number' }] });
    await registered(line);
    const { ua } = await h.caller();
    const { call, inviter } = await ring(ua, user.user, line, {
      extraHeaders: ['X-Called-Number: 0312345678', 'Diversion: <sip:0312340002@example.invalid>'],
    });
    expect(call.info).toMatchObject({ did: '+81312340002', didSource: { kind: 'diversion' } });
    await inviter.cancel();
  });
});

describe('hostile INVITEs still ring, with safe text', () => {
  it('caps a 10 KB display name', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua } = await h.caller();
    const { call, inviter } = await ring(ua, user.user, line, { displayName: `${'あ'.repeat(1000)}${'A'.repeat(7240)}`, extraHeaders: ['X-Called-Number: 0312345678'] });
    expect(call.info.state).toBe('ringing');
    expect(Array.from(call.info.caller.name)).toHaveLength(256);
    expect(call.info.did).toBe('+81312345678');
    await inviter.cancel();
  });

  it('keeps HTML as text and strips direction overrides from the display name', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua } = await h.caller();
    const { call, inviter } = await ring(ua, user.user, line, {
      displayName: '<img src=x onerror=alert(1)>\u202Eevil\u2066 山田',
    });
    expect(call.info.caller.name).toBe('<img src=x onerror=alert(1)>evil 山田');
    expect(call.info.caller.name).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    await inviter.cancel();
  });

  it('uses the first valid value of a repeated DID header and says so', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua } = await h.caller();
    const { call, inviter } = await ring(ua, user.user, line, {
      extraHeaders: ['X-Called-Number: <script>', 'X-Called-Number: 0312345678', 'X-Called-Number: 0399999999'],
    });
    expect(call.info.did).toBe('+81312345678');
    expect(call.info.didProblems.join('\n')).toMatch(/repeated/);
    await inviter.cancel();
  });

  it('ignores a 2 KB DID header and falls back to the next source', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua } = await h.caller();
    const { call, inviter } = await ring(ua, user.user, line, {
      extraHeaders: [`X-Called-Number: ${'0312345678'.repeat(205)}`, 'P-Called-Party-ID: <sip:+81312340001@example.invalid>'],
    });
    expect(call.info).toMatchObject({ state: 'ringing', did: '+81312340001', didSource: { kind: 'p-called-party-id' } });
    expect(call.info.didProblems.join('\n')).toMatch(/too long/);
    await inviter.cancel();
  });

  it('answers an offer without audio 488 and does not ring', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const videoOnly = STUB_SDP.replace('m=audio 9 RTP/AVP 0 101', 'm=video 9 RTP/AVP 96').replace(/a=rtpmap:0 PCMU\/8000\r\n/, '');
    const caller = await rawCaller(videoOnly);
    try {
      let status = 0;
      const inviter = new Inviter(caller, UserAgent.makeURI(`sip:${user.user}@${h.kam().domain}`)!);
      await inviter.invite({ requestDelegate: { onReject: (r) => (status = r.message.statusCode ?? 0) } });
      await sessionReaches(inviter, SessionState.Terminated);
      expect(status).toBe(488);
      expect(line.state.calls).toHaveLength(0);
      expect(line.state.registration).toBe('registered');
    } finally {
      await caller.stop();
    }
  });

  it('answers 488 when the media handler refuses the offer on answer, and the line stays sane', async () => {
    class RefusingHandler extends StubSessionDescriptionHandler {
      override setDescription(): Promise<void> {
        return Promise.reject(new Error('cannot accept this offer'));
      }
    }
    const { line, user } = await h.desk({}, { sessionDescriptionHandlerFactory: () => new RefusingHandler() });
    await registered(line);
    const { ua } = await h.caller();
    let status = 0;
    const { call, inviter } = await ring(ua, user.user, line, { requestDelegate: { onReject: (r) => (status = r.message.statusCode ?? 0) } });
    await expect(call.answer()).rejects.toThrow();
    await sessionReaches(inviter, SessionState.Terminated);
    expect(status).toBe(488);
    expect(line.call(call.id)?.info).toMatchObject({ state: 'ended', endReason: 'media' });
    expect(line.state.registration).toBe('registered');
  });
});

describe('call controls', () => {
  it('answers, then hangs up from the desk', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua } = await h.caller();
    const { call, inviter } = await ring(ua, user.user, line);
    await call.answer();
    await sessionReaches(inviter, SessionState.Established);
    const active = await waitForCall(line, call.id, (c) => c.info.state === 'active', 'active');
    expect(active.info.answeredAt).not.toBeNull();
    await call.hangup();
    await sessionReaches(inviter, SessionState.Terminated);
    expect(line.call(call.id)?.info).toMatchObject({ state: 'ended', endReason: 'local-hangup' });
  });

  it('ends the call with remote-hangup when the caller sends BYE', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua } = await h.caller();
    const { call, inviter } = await ring(ua, user.user, line);
    await call.answer();
    await sessionReaches(inviter, SessionState.Established);
    await inviter.bye();
    await waitForCall(line, call.id, (c) => c.info.state === 'ended', 'ended');
    expect(line.call(call.id)?.info.endReason).toBe('remote-hangup');
  });

  it.each([486, 603] as const)('declines with %i and the caller hears it', async (code) => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua } = await h.caller();
    let status = 0;
    const { call, inviter } = await ring(ua, user.user, line, { requestDelegate: { onReject: (r) => (status = r.message.statusCode ?? 0) } });
    await call.decline(code);
    await sessionReaches(inviter, SessionState.Terminated);
    expect(status).toBe(code);
    expect(line.call(call.id)?.info).toMatchObject({ state: 'ended', endReason: 'declined', endStatusCode: code });
  });

  it('ends a ringing call as cancelled when the caller gives up', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua } = await h.caller();
    const { call, inviter } = await ring(ua, user.user, line);
    await inviter.cancel();
    await waitForCall(line, call.id, (c) => c.info.state === 'ended', 'ended');
    expect(line.call(call.id)?.info.endReason).toBe('cancelled');
    await expect(call.answer()).rejects.toThrow();
  });

  it('ends a ringing call as answered elsewhere when the CANCEL says so (Reason: SIP;cause=200), not as given up', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua } = await h.caller();
    const { call, inviter } = await ring(ua, user.user, line);
    // A forking proxy's CANCEL once another phone of the ring group answered (RFC 3326).
    await inviter.cancel({ statusCode: 200, reasonPhrase: 'Call completed elsewhere' });
    await waitForCall(line, call.id, (c) => c.info.state === 'ended', 'ended');
    expect(line.call(call.id)?.info.endReason).toBe('answered-elsewhere');
  });

  it('shows held only after the far end accepted the hold re-INVITE, and resumes the same way', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua } = await h.caller();
    const { call, inviter } = await ring(ua, user.user, line);
    await call.answer();
    await sessionReaches(inviter, SessionState.Established);

    const seenAtReinvite: string[] = [];
    inviter.delegate = {
      ...inviter.delegate,
      onInvite: () => seenAtReinvite.push(`${line.call(call.id)!.info.state}/${line.call(call.id)!.info.holdPending}`),
    };
    await call.hold();
    expect(call.info.state).toBe('held');
    await call.resume();
    expect(call.info.state).toBe('active');
    // When the far end got each re-INVITE, the desk had not yet changed what it shows.
    expect(seenAtReinvite).toEqual(['active/true', 'held/true']);
  });

  it('stays active when the far end refuses the hold', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua } = await h.caller();
    const { call, inviter } = await ring(ua, user.user, line);
    await call.answer();
    await sessionReaches(inviter, SessionState.Established);
    // The caller's media cannot take the new offer: sip.js answers the re-INVITE 488.
    const handler = inviter.sessionDescriptionHandler as StubSessionDescriptionHandler & { rollbackDescription?: () => Promise<void> };
    handler.setDescription = () => Promise.reject(new Error('no'));
    handler.rollbackDescription = () => Promise.resolve();
    await expect(call.hold()).rejects.toThrow(/488/);
    expect(call.info).toMatchObject({ state: 'active', holdPending: false });
  });

  it('sends DTMF by SIP INFO to the far end', async () => {
    const { line, user } = await h.desk({ dtmfMode: 'info' });
    await registered(line);
    const { ua } = await h.caller();
    const { call, inviter } = await ring(ua, user.user, line);
    const received: string[] = [];
    inviter.delegate = {
      ...inviter.delegate,
      onInfo: (info: Info) => {
        received.push(info.request.body);
        void info.accept();
      },
    };
    await call.answer();
    await sessionReaches(inviter, SessionState.Established);
    for (const digit of ['1', '#', '*']) await call.sendDtmf(digit);
    expect(received.map((b) => /Signal=(.)/.exec(b)?.[1])).toEqual(['1', '#', '*']);
    await expect(call.sendDtmf('x')).rejects.toThrow();
  });

  it('sends DTMF as RFC 4733 through the media handler by default', async () => {
    const handlers: StubSessionDescriptionHandler[] = [];
    const { line, user } = await h.desk({}, {
      sessionDescriptionHandlerFactory: () => {
        const handler = new StubSessionDescriptionHandler();
        handlers.push(handler);
        return handler;
      },
    });
    await registered(line);
    const { ua } = await h.caller();
    const { call, inviter } = await ring(ua, user.user, line);
    await call.answer();
    await sessionReaches(inviter, SessionState.Established);
    await call.sendDtmf('5');
    expect(handlers.flatMap((x) => x.sentDtmf)).toEqual(['5']);
  });
});

describe('several calls at once', () => {
  it('rings a second call while one is active, and answering it holds the first', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua: first } = await h.caller('first');
    const { ua: second } = await h.caller('second');
    const a = await ring(first, user.user, line, { extraHeaders: ['X-Called-Number: 0312340001'] });
    await a.call.answer();
    await sessionReaches(a.inviter, SessionState.Established);

    const b = await ring(second, user.user, line, { extraHeaders: ['X-Called-Number: 0312340002'] });
    expect(b.call.info).toMatchObject({ state: 'ringing', did: '+81312340002' });
    expect(a.call.info.state).toBe('active');

    await b.call.answer();
    await sessionReaches(b.inviter, SessionState.Established);
    await waitForCall(line, b.call.id, (c) => c.info.state === 'active', 'second active');
    expect(line.call(a.call.id)?.info.state).toBe('held');
  });

  it('answers a third call 486 Busy Here at capacity', async () => {
    const { line, user } = await h.desk({ maxCalls: 2 });
    await registered(line);
    const { ua } = await h.caller();
    await ring(ua, user.user, line);
    await ring(ua, user.user, line);
    let status = 0;
    const third = await ua.call(user.user, { requestDelegate: { onReject: (r) => (status = r.message.statusCode ?? 0) } });
    await sessionReaches(third, SessionState.Terminated);
    expect(status).toBe(486);
    expect(line.state.calls.filter((c) => c.state !== 'ended')).toHaveLength(2);
  });

  it('survives 50 INVITEs in one second: the excess gets 486 and the line keeps working', async () => {
    const { line, user } = await h.desk({ maxCalls: 100 });
    await registered(line);
    const { ua } = await h.caller();
    const statuses: number[] = [];
    const inviters = await Promise.all(
      Array.from({ length: 50 }, () => ua.call(user.user, { requestDelegate: { onReject: (r) => statuses.push(r.message.statusCode ?? 0) } })),
    );
    await waitUntil(() => statuses.length + line.state.calls.length >= 50, 5000);
    const ringing = line.state.calls.filter((c) => c.state === 'ringing').length;
    expect(ringing).toBeGreaterThanOrEqual(1);
    expect(ringing).toBeLessThanOrEqual(20);
    expect(statuses.filter((s) => s === 486)).toHaveLength(50 - ringing);
    expect(line.state.registration).toBe('registered');
    await Promise.all(inviters.map((i) => (i.state === SessionState.Establishing ? i.cancel() : undefined)));

    // A second later the desk takes calls again.
    await sleep(1100);
    const { call, inviter } = await ring(ua, user.user, line);
    expect(call.info.state).toBe('ringing');
    await inviter.cancel();
  });
});

describe('privacy', () => {
  it('logged nothing personal during all of the calls above', () => {
    const text = JSON.stringify(h.allLogs);
    expect(text).not.toMatch(/0312345678|\+813|山田|あああ|onerror|desk-|caller-|staff-|sip:|127\.0\.0\.1|kotozute\.test/);
  });
});

/** A caller that is not registered and offers `sdp` (Kamailio does not challenge INVITEs). */
async function rawCaller(sdp: string): Promise<UserAgent> {
  class FixedOffer extends StubSessionDescriptionHandler {
    override getDescription(): Promise<{ body: string; contentType: string }> {
      return Promise.resolve({ body: sdp, contentType: 'application/sdp' });
    }
  }
  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:raw-${Date.now().toString(36)}@${h.kam().domain}`)!,
    transportOptions: { server: h.kam().wsUrl, traceSip: false },
    sessionDescriptionHandlerFactory: () => new FixedOffer(),
    logBuiltinEnabled: false,
    logConfiguration: false,
    logLevel: 'error',
  });
  await ua.start();
  return ua;
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}


