// The SIP test infrastructure itself, against a real Kamailio: registration with digest auth, calls
// between sip.js user agents over WebSocket, a sipp caller over UDP, and recovery after Kamailio is
// killed. Also prints Kamailio's start-to-ready time and INVITE → onInvite latency (not asserted).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SessionState, type Invitation } from 'sip.js';
import { startKamailio, type Kamailio, type SipUser } from '../../support/kamailio.js';
import { createNodeUa, sessionReaches, SipRejectedError, type NodeUa } from '../../support/sip-node-ua.js';
import { sippCall, sippCallee } from '../../support/sipp.js';

const CALL_TEST_TIMEOUT = 10_000;

// Both domains the harness offers: the server's own address, and a name that differs from it (as in
// production), which proves nothing conflates the SIP domain with the WebSocket host.
describe.each(['127.0.0.1', 'kotozute.test'] as const)('test SIP server (Kamailio, domain %s) with Node user agents', (domain) => {
  let kam: Kamailio;
  let uas: NodeUa[] = [];

  beforeAll(async () => {
    kam = await startKamailio({ domain });
    console.info(`[sip] (${domain}) kamailio start-to-ready: ${kam.startToReadyMs.toFixed(0)} ms (log ${kam.logPath})`);
  }, 15_000);

  afterAll(async () => {
    await kam?.stop();
  });

  beforeEach((ctx) => {
    ctx.onTestFailed(() => {
      kam.keepLogs();
      console.error(`[sip] kamailio log kept at ${kam.logPath}`);
    });
  });

  afterEach(async () => {
    await Promise.all(uas.map((ua) => ua.stop()));
    uas = [];
  });

  async function connect(user: SipUser): Promise<NodeUa> {
    const ua = await createNodeUa({ wsUrl: kam.wsUrl, domain: kam.domain, ...user });
    uas.push(ua);
    return ua;
  }

  async function registered(prefix: string): Promise<{ ua: NodeUa; user: SipUser }> {
    const user = await kam.newUser(prefix);
    const ua = await connect(user);
    await ua.register();
    return { ua, user };
  }

  it('registers with the right password and refuses a wrong one with 403', async () => {
    const user = await kam.newUser('desk');
    const good = await connect(user);
    await expect(good.register()).resolves.toBeUndefined();

    const bad = await connect({ user: user.user, password: `${user.password}-wrong` });
    const error = await bad.register().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(SipRejectedError);
    expect((error as SipRejectedError).statusCode).toBe(403);

    const stranger = await connect({ user: 'nobody-here', password: 'whatever' });
    const strangerError = await stranger.register().catch((err: unknown) => err);
    expect(strangerError).toBeInstanceOf(SipRejectedError);
    expect([401, 403]).toContain((strangerError as SipRejectedError).statusCode);
  });

  it('answers 404 to a call for a user who is not registered', async () => {
    const { ua: caller } = await registered('caller');
    const absent = await kam.newUser('absent');
    let status = 0;
    const inviter = await caller.call(absent.user, {
      requestDelegate: { onReject: (response) => (status = response.message.statusCode ?? 0) },
    });
    await sessionReaches(inviter, SessionState.Terminated);
    expect(status).toBe(404);
  });

  it(
    'carries a call between two WebSocket user agents with the dialled-number headers intact',
    async () => {
      const { ua: alice } = await registered('alice');
      const { ua: bob, user: bobUser } = await registered('bob');

      const incoming = bob.nextInvite();
      const inviter = await alice.call(bobUser.user, {
        displayName: 'Alice Caller',
        extraHeaders: [
          'X-Called-Number: 0312345678',
          'P-Called-Party-ID: <sip:+81312345678@example.invalid>',
          'Diversion: <sip:0312345678@example.invalid>;reason=unconditional',
        ],
      });
      const invitation = await incoming;

      expect(invitation.request.getHeader('X-Called-Number')).toBe('0312345678');
      expect(invitation.request.getHeader('P-Called-Party-ID')).toBe('<sip:+81312345678@example.invalid>');
      expect(invitation.request.getHeader('Diversion')).toBe('<sip:0312345678@example.invalid>;reason=unconditional');
      expect(invitation.request.to.uri.user).toBe(bobUser.user);
      expect(invitation.request.from.displayName).toBe('Alice Caller');

      await invitation.accept();
      await sessionReaches(inviter, SessionState.Established);
      await sessionReaches(invitation, SessionState.Established);

      await inviter.bye();
      await sessionReaches(invitation, SessionState.Terminated);
      await sessionReaches(inviter, SessionState.Terminated);
    },
    CALL_TEST_TIMEOUT,
  );

  it(
    'carries a sipp call over UDP to a WebSocket user agent, headers intact, closed by BYE',
    async () => {
      const { ua: desk, user: deskUser } = await registered('desk');
      const answered: Invitation[] = [];
      desk.onInvite((invitation) => {
        answered.push(invitation);
        void invitation.accept();
      });

      const result = await sippCall({
        udpPort: kam.udpPort,
        domain: kam.domain,
        callee: deskUser.user,
        calledNumber: '0312345678',
        callerNumber: '0901234567',
      });
      expect(result.exitCode, `${result.output}\n${result.errors}`).toBe(0);

      expect(answered).toHaveLength(1);
      const invitation = answered[0]!;
      expect(invitation.request.getHeader('X-Called-Number')).toBe('0312345678');
      expect(invitation.request.from.uri.user).toBe('0901234567');
      expect(invitation.request.to.uri.user).toBe(deskUser.user);
      await sessionReaches(invitation, SessionState.Terminated);
    },
    CALL_TEST_TIMEOUT,
  );

  it(
    'carries a call from a WebSocket user agent to a sipp callee registered over UDP',
    async () => {
      const { ua: caller } = await registered('caller');
      const calleeUser = await kam.newUser('udp');
      const callee = await sippCallee({ udpPort: kam.udpPort, domain: kam.domain, ...calleeUser });
      try {
        expect(await kam.contactCount(calleeUser.user)).toBe(1);

        const inviter = await caller.call(calleeUser.user, { extraHeaders: ['X-Called-Number: 0312345678'] });
        await sessionReaches(inviter, SessionState.Established);
        await inviter.bye();
        await sessionReaches(inviter, SessionState.Terminated);

        const result = await callee.done;
        expect(result.exitCode, `${result.output}\n${result.errors}`).toBe(0);
      } finally {
        await callee.stop();
      }
    },
    CALL_TEST_TIMEOUT,
  );

  it(
    'lets a user agent register again after Kamailio is killed and restarted on the same ports',
    async () => {
      const { ua: desk, user: deskUser } = await registered('desk');
      const oldPid = kam.pid;
      const wsUrl = kam.wsUrl;

      await kam.kill();
      await waitFor(() => !desk.ua.isConnected(), 3000, 'the user agent to notice the lost connection');

      const restartedAt = performance.now();
      await kam.restart();
      expect(kam.pid).not.toBe(oldPid);
      expect(kam.wsUrl).toBe(wsUrl);

      // The app drives reconnection itself; a fresh Registerer replaces the one from before the loss.
      await desk.reconnect();
      await desk.register();
      console.info(
        `[sip] (${domain}) kamailio restart: ready in ${kam.startToReadyMs.toFixed(0)} ms, ` +
          `user agent registered again ${(performance.now() - restartedAt).toFixed(0)} ms after restart began`,
      );

      // Registrations were in memory only: the next call proves the new one is live.
      const { ua: caller } = await registered('caller');
      const incoming = desk.nextInvite();
      const inviter = await caller.call(deskUser.user, { extraHeaders: ['X-Called-Number: 0312345678'] });
      const invitation = await incoming;
      await invitation.reject({ statusCode: 486 });
      await sessionReaches(inviter, SessionState.Terminated);
    },
    CALL_TEST_TIMEOUT,
  );

  it(
    'delivers 50 calls between Node user agents and reports INVITE → onInvite latency',
    async () => {
      const { ua: caller } = await registered('caller');
      const { ua: callee, user: calleeUser } = await registered('callee');
      const latencies: number[] = [];
      let sentAt = 0;
      callee.onInvite((invitation) => {
        latencies.push(performance.now() - sentAt);
        void invitation.reject({ statusCode: 486 });
      });

      for (let i = 0; i < 50; i += 1) {
        sentAt = performance.now();
        const inviter = await caller.call(calleeUser.user, { extraHeaders: [`X-Called-Number: 03${String(i).padStart(8, '0')}`] });
        await sessionReaches(inviter, SessionState.Terminated);
      }

      expect(latencies).toHaveLength(50);
      console.info(
        `[sip] (${domain}) INVITE → onInvite over ${latencies.length} calls (Node → Kamailio → Node, one process): ` +
          `p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, ` +
          `max ${Math.max(...latencies).toFixed(1)} ms`,
      );
    },
    CALL_TEST_TIMEOUT,
  );
});

describe('test SIP server with a short registration expiry', () => {
  let kam: Kamailio;
  let ua: NodeUa | undefined;

  beforeAll(async () => {
    kam = await startKamailio({ maxExpiresSec: 4 });
  }, 15_000);
  afterAll(async () => {
    await ua?.stop();
    await kam?.stop();
  });

  it('grants no more than its maximum, so a client refreshes within seconds and stays live', async () => {
    const user = await kam.newUser('short');
    expect(await kam.liveContacts(user.user)).toEqual([]);
    ua = await createNodeUa({ wsUrl: kam.wsUrl, domain: kam.domain, ...user });
    await ua.register(); // asks for sip.js's default of 600 s
    const granted = await kam.liveContacts(user.user);
    expect(granted).toHaveLength(1);
    expect(granted[0]).toBeLessThanOrEqual(4);
    // Seconds left only go up when the client registers again: sip.js refreshed on the granted expiry.
    let last = granted[0]!;
    let refreshed = false;
    const deadline = performance.now() + 8000;
    while (!refreshed && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Whole seconds: just before a refresh the contact may read as having none left.
      const [left = 0] = await kam.liveContacts(user.user);
      refreshed = left > last;
      last = left;
    }
    expect(refreshed).toBe(true);
  }, 15_000);
});

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
