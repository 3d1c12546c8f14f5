// The line stays up by itself: Kamailio killed and restarted (registrations lost with it), the OS
// resuming from sleep, the network coming back. Prints restart → registered times (not asserted).
import { describe, expect, it } from 'vitest';
import { SessionState, type SessionDescriptionHandlerModifier, type SessionDescriptionHandlerOptions } from 'sip.js';
import { sessionReaches, StubSessionDescriptionHandler } from '../../support/sip-node-ua.js';
import type { OnlineEvents } from '../../../renderer/src/line/types.js';
import { contactsOf, nextRinging, percentile, registered, sleep, useLineHarness, waitForLine } from './line-fixture.js';

const h = useLineHarness();
const RESTARTS = 10;

/** `online` events the test fires itself, as the page's window would. */
function onlineSource(): { onlineEvents: OnlineEvents; fire(): void } {
  const events = new EventTarget();
  return {
    onlineEvents: {
      addEventListener: (type, listener) => events.addEventListener(type, listener),
      removeEventListener: (type, listener) => events.removeEventListener(type, listener),
    },
    fire: () => void events.dispatchEvent(new Event('online')),
  };
}

/** The stub handler, keeping the options of every offer or answer the desk's call made. */
class RecordingHandler extends StubSessionDescriptionHandler {
  readonly asked: (SessionDescriptionHandlerOptions | undefined)[] = [];
  override getDescription(options?: SessionDescriptionHandlerOptions, modifiers?: SessionDescriptionHandlerModifier[]) {
    this.asked.push(options);
    void modifiers;
    return super.getDescription();
  }
}

function offeredIceRestart(handler: RecordingHandler): boolean {
  return handler.asked.some((o) => (o as { offerOptions?: RTCOfferOptions } | undefined)?.offerOptions?.iceRestart === true);
}

describe('a line that stays up', () => {
  it(
    're-registers by itself after Kamailio is killed and restarted, and the next call rings',
    async () => {
      const { line, user } = await h.desk();
      await registered(line);
      const kam = h.kam();
      const times: number[] = [];

      for (let i = 0; i < RESTARTS; i += 1) {
        await kam.kill();
        await waitForLine(line, (s) => s.registration !== 'registered', 'the line to notice the loss', 3000);
        expect(line.state.registration).toBe('connecting');
        await kam.restart();
        const back = performance.now();
        await waitForLine(line, (s) => s.registration === 'registered', 'the line to register again', 10_000);
        times.push(performance.now() - back);
        expect(await contactsOf(kam, user.user)).toBe(1);
      }
      console.info(
        `[line] kamailio restarted ${RESTARTS}×: server ready → desk registered p50 ${percentile(times, 50).toFixed(0)} ms, ` +
          `p95 ${percentile(times, 95).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`,
      );

      const { ua: caller } = await h.caller();
      const ringing = nextRinging(line);
      const inviter = await caller.call(user.user, { extraHeaders: ['X-Called-Number: 0312345678'] });
      const call = await ringing;
      expect(call.info).toMatchObject({ state: 'ringing', did: '+81312345678' });
      await call.answer();
      await sessionReaches(inviter, SessionState.Established);
      await call.hangup();
    },
    45_000,
  );

  it('registers afresh when the OS resumes, and keeps taking calls', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    line.resumed();
    await waitForLine(line, (s) => s.registration === 'connecting', 'a fresh attempt');
    await waitForLine(line, (s) => s.registration === 'registered', 'registered again');
    expect(await contactsOf(h.kam(), user.user)).toBe(1);

    const { ua: caller } = await h.caller();
    const ringing = nextRinging(line);
    const inviter = await caller.call(user.user);
    expect((await ringing).info.state).toBe('ringing');
    await inviter.cancel();
  });

  it('tries at once when the network comes back instead of waiting out the back-off', async () => {
    const events = new EventTarget();
    const onlineEvents: OnlineEvents = {
      addEventListener: (type, listener) => events.addEventListener(type, listener),
      removeEventListener: (type, listener) => events.removeEventListener(type, listener),
    };
    // Back-off always at its longest: only the online event can bring the line back quickly.
    const { line } = await h.desk({}, { onlineEvents, random: () => 1 });
    await registered(line);
    const kam = h.kam();
    await kam.kill();
    // Wait until the back-off has grown to two seconds (the third retry), then bring the server back.
    await waitForLine(line, (s) => s.retryAt !== null && s.retryAt - Date.now() > 1500, 'a long back-off', 5000);
    await kam.restart();
    const remaining = line.state.retryAt! - Date.now();
    const before = performance.now();
    events.dispatchEvent(new Event('online'));
    await waitForLine(line, (s) => s.registration === 'registered', 'registered after online', 3000);
    // Registered before the scheduled retry would even have started.
    expect(performance.now() - before).toBeLessThan(remaining);
  });

  it('renews a connected call’s media with an ICE-restart re-INVITE once the line is back after a network change', async () => {
    const online = onlineSource();
    const handlers: RecordingHandler[] = [];
    const { line, user } = await h.desk({}, { onlineEvents: online.onlineEvents, sessionDescriptionHandlerFactory: () => {
      const handler = new RecordingHandler();
      handlers.push(handler);
      return handler;
    } });
    await registered(line);
    const { ua: caller } = await h.caller();
    const ringing = nextRinging(line);
    const inviter = await caller.call(user.user);
    const call = await ringing;
    await call.answer();
    await sessionReaches(inviter, SessionState.Established);
    expect(offeredIceRestart(handlers[0]!)).toBe(false);

    const reinvites: string[] = [];
    const reached = new Promise<void>((resolve) => {
      inviter.delegate = {
        ...inviter.delegate,
        onInvite: () => {
          reinvites.push(call.info.state);
          resolve();
        },
      };
    });
    online.fire();
    await Promise.race([reached, sleep(5000).then(() => Promise.reject(new Error('no re-INVITE reached the caller')))]);
    expect(offeredIceRestart(handlers[0]!)).toBe(true);
    // The call itself never left 'active': only its media path was renewed.
    expect(reinvites).toEqual(['active']);
    await waitForLine(line, (s) => s.registration === 'registered', 'registered again');
    expect(call.info.state).toBe('active');
    await call.hangup();
  });
});
