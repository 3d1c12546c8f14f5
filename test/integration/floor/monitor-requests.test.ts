// Monitor requests through a real Kamailio to an operator desk's line (renderer code in Node, stub
// media) whose checks are the main process's MonitorGate writing the real hash-chained audit trail.
// Rogue requests from a Node SIP user agent each get 403, never a session, and one audit event; a
// good one from a supervisor desk's line is answered by itself, is never a call, changes mode by
// INFO and ends with the monitored call.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionState, type Core, type Inviter } from 'sip.js';
import { MONITOR_HEADER, type MonitorPayload } from '../../../shared/floor/wire.js';
import { openAuditLog, type AuditLog } from '../../../electron/main/services/audit/audit-log.js';
import { MonitorGate, signMonitorRequest } from '../../../electron/main/services/floor/monitor-gate.js';
import { signToken } from '../../../electron/main/services/floor/floor-token.js';
import { generateEd25519 } from '../../../electron/main/services/roster/ed25519.js';
import type { SipUser } from '../../support/kamailio.js';
import { createNodeUa, sessionReaches, type NodeUa } from '../../support/sip-node-ua.js';
import { fixtureIdentity, makeRoster, type RosterFixture } from '../../support/roster-fixture.js';
import type { Call, Line, MonitorPort } from '../../../renderer/src/line/types.js';
import { nextRinging, registered, useLineHarness, waitForLine } from '../line/line-fixture.js';

const h = useLineHarness();

let fx: RosterFixture;
let opUser: SipUser;
let supUser: SipUser;
let rogueUser: SipUser;
let audit: AuditLog;
let auditDir: string;
let gate: MonitorGate;
let supKey: Awaited<ReturnType<RosterFixture['personKey']>>;
let opKey: typeof supKey;
let leadKey: typeof supKey;

beforeAll(async () => {
  const kam = h.kam();
  [opUser, supUser, rogueUser] = await Promise.all([kam.newUser('desk-op'), kam.newUser('desk-sup'), kam.newUser('rogue')]);
  fx = await makeRoster({
    desks: [
      { id: 'desk-op', sipUri: `sip:${opUser.user}@${kam.domain}` },
      { id: 'desk-sup', sipUri: `sip:${supUser.user}@${kam.domain}` },
    ],
    people: [
      { id: 'sato', roles: ['supervisor'], secret: 'correct horse battery' },
      { id: 'lead', roles: ['shift-lead'], secret: 'another long passphrase' },
      { id: 'tanaka', roles: ['operator'], secret: '4821' },
    ],
  });
  [supKey, opKey, leadKey] = await Promise.all([fx.personKey('sato'), fx.personKey('tanaka'), fx.personKey('lead')]);
  auditDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-monitor-audit-'));
  audit = openAuditLog({ dir: auditDir });
  gate = new MonitorGate({ identity: fixtureIdentity(fx, 'desk-op'), audit: (e) => audit.append(e) });
}, 20_000);

afterAll(() => {
  audit.close();
  fs.rmSync(auditDir, { recursive: true, force: true });
});

/** The main process's side of the port, as the IPC handlers do it. */
const port: MonitorPort = {
  check: (args) => Promise.resolve(args.sessionId === undefined ? gate.start(args) : gate.change(args.sessionId, args)),
  ended: (args) => Promise.resolve(gate.stop(args.sessionId, args.cause)),
};

/** An operator desk with one answered call from a caller; returns the call. */
async function deskInACall(maxCalls = 2): Promise<{ line: Line; call: Call; caller: Inviter }> {
  const { line } = await h.desk({ maxCalls }, { monitorPort: port }, opUser);
  await registered(line);
  const { ua } = await h.caller();
  const ringing = nextRinging(line);
  const caller = await ua.call(opUser.user);
  const call = await ringing;
  await call.answer();
  await sessionReaches(caller, SessionState.Established);
  return { line, call, caller };
}

function payload(callRef: string, over: Partial<MonitorPayload> = {}): MonitorPayload {
  return { kind: 'monitor', v: 1, person: 'sato', supervisorDesk: 'desk-sup', deskId: 'desk-op', callRef, mode: 'listen', sentAt: Date.now(), nonce: randomBytes(16).toString('base64url'), ...over };
}

/** Sends an INVITE with the given monitor header (none when null) and resolves with its final status. */
async function inviteStatus(ua: NodeUa, header: string | null): Promise<number> {
  let settle: (code: number) => void = () => undefined;
  const status = new Promise<number>((resolve) => (settle = resolve));
  const delegate: Core.OutgoingRequestDelegate = {
    onAccept: () => settle(200),
    onReject: (response) => settle(response.message.statusCode ?? 0),
  };
  const inviter = await ua.call(opUser.user, { extraHeaders: header === null ? [] : [`${MONITOR_HEADER}: ${header}`], requestDelegate: delegate });
  const code = await status;
  if (code === 200) {
    await sessionReaches(inviter, SessionState.Established);
    await inviter.bye();
  }
  return code;
}

const uaFor = async (user: SipUser): Promise<NodeUa> => {
  const kam = h.kam();
  const ua = await createNodeUa({ wsUrl: kam.wsUrl, domain: kam.domain, ...user });
  await ua.register();
  return ua;
};

describe('rogue monitor requests through Kamailio', () => {
  const cases: Array<[string, 'sup' | 'rogue', (ref: string) => string, string]> = [
    ['an empty monitor header', 'sup', () => '', 'no-token'],
    ['a token that is not one', 'sup', () => 'garbage.garbage', 'malformed'],
    ['a forged From (a valid token sent by another account)', 'rogue', (ref) => signToken(payload(ref), supKey), 'forged-from'],
    ['a bad signature', 'sup', (ref) => signToken(payload(ref), generateEd25519().privateKey), 'bad-signature'],
    ['a person without the role', 'sup', (ref) => signToken(payload(ref, { person: 'tanaka' }), opKey), 'role-not-allowed'],
    ['a person missing from the roster', 'sup', (ref) => signToken(payload(ref, { person: 'removed-person' }), supKey), 'unknown-person'],
    ['a stale time', 'sup', (ref) => signToken(payload(ref, { sentAt: Date.now() - 45_000 }), supKey), 'stale'],
    ['a token for another desk', 'sup', (ref) => signToken(payload(ref, { deskId: 'desk-sup' }), supKey), 'wrong-desk'],
    ['a token for another call', 'sup', () => signToken(payload('not-the-live-call'), supKey), 'no-such-call'],
    ['a mode the roster does not allow (shift lead barging)', 'sup', (ref) => signToken(payload(ref, { person: 'lead', mode: 'barge' }), leadKey), 'role-not-allowed'],
  ];

  for (const [what, from, token, reason] of cases) {
    it(`${what}: 403, no session, one audit event (${reason})`, async () => {
      const { line, call } = await deskInACall();
      const ua = await uaFor(from === 'sup' ? supUser : rogueUser);
      try {
        const before = audit.read().length;
        expect(await inviteStatus(ua, token(call.info.ref))).toBe(403);
        const events = audit.read().slice(before);
        expect(events.map((e) => [e.type, e.reason])).toEqual([['monitor-refused', reason]]);
        expect(line.state.monitors).toEqual([]);
        expect(line.state.calls.filter((c) => c.state !== 'ended')).toHaveLength(1);
      } finally {
        await ua.stop();
      }
    });
  }

  it('a replayed nonce: the first is answered, the replay gets 403 and one refusal event', async () => {
    const { line, call } = await deskInACall();
    const ua = await uaFor(supUser);
    try {
      const token = signToken(payload(call.info.ref), supKey);
      expect(await inviteStatus(ua, token)).toBe(200);
      await waitForLine(line, (s) => s.monitors.length === 0, 'the first session to end');
      const before = audit.read().length;
      expect(await inviteStatus(ua, token)).toBe(403);
      expect(audit.read().slice(before).map((e) => [e.type, e.reason])).toEqual([['monitor-refused', 'replayed']]);
    } finally {
      await ua.stop();
    }
  });

  it('a desk without a monitor port (no roster) refuses every monitor INVITE', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const ua = await uaFor(supUser);
    try {
      const code = await new Promise<number>((resolve) => {
        void ua.call(user.user, {
          extraHeaders: [`${MONITOR_HEADER}: ${signToken(payload('call-ref-0001'), supKey)}`],
          requestDelegate: { onReject: (r) => resolve(r.message.statusCode ?? 0), onAccept: () => resolve(200) },
        });
      });
      expect(code).toBe(403);
      expect(line.state.monitors).toEqual([]);
    } finally {
      await ua.stop();
    }
  });
});

describe('a monitor session is never a call', () => {
  it('is answered on a desk at capacity, and leaves room for the next real call', async () => {
    const full = await deskInACall(1);
    const ua = await uaFor(supUser);
    try {
      expect(await inviteStatusKeep(ua, signToken(payload(full.call.info.ref), supKey))).toBe(200);
      await waitForLine(full.line, (s) => s.monitors[0]?.state === 'active', 'the session on a full desk');
      expect(full.line.state.calls.filter((c) => c.state !== 'ended')).toHaveLength(1);
    } finally {
      await ua.stop();
    }
  });

  it('does not take a call slot: a second real call still rings beside it', async () => {
    const { line, call } = await deskInACall(2);
    const ua = await uaFor(supUser);
    try {
      expect(await inviteStatusKeep(ua, signToken(payload(call.info.ref), supKey))).toBe(200);
      await waitForLine(line, (s) => s.monitors[0]?.state === 'active', 'the session');
      const { ua: second } = await h.caller();
      const ringing = nextRinging(line);
      await second.call(opUser.user);
      expect((await ringing).info.state).toBe('ringing');
    } finally {
      await ua.stop();
    }
  });
});

/** Like inviteStatus, but leaves an accepted session up. */
async function inviteStatusKeep(ua: NodeUa, header: string): Promise<number> {
  return new Promise<number>((resolve) => {
    void ua.call(opUser.user, {
      extraHeaders: [`${MONITOR_HEADER}: ${header}`],
      requestDelegate: { onAccept: () => resolve(200), onReject: (r) => resolve(r.message.statusCode ?? 0) },
    });
  });
}

describe('a supervisor desk listens in', () => {
  it('is answered without ringing, never counted as a call, changes mode by INFO, and ends with the call', async () => {
    const { line: opLine, call, caller } = await deskInACall();
    const { line: supLine } = await h.desk({}, {}, supUser);
    await registered(supLine);
    const sup = fixtureIdentity(fx, 'desk-sup');
    sup.signIn({ person: fx.roster.people.find((p) => p.id === 'sato')!, key: supKey, since: new Date() });
    const sign = (mode: 'listen' | 'whisper' | 'barge'): { token: string; target: string } => {
      const signed = signMonitorRequest(sup, { deskId: 'desk-op', callRef: call.info.ref, mode }, Date.now(), randomBytes(16).toString('base64url'));
      if (!signed.ok) throw new Error(signed.reason);
      return signed;
    };

    const before = audit.read().length;
    const listen = sign('listen');
    const monitor = await supLine.startMonitor({ target: listen.target, token: listen.token, callRef: call.info.ref, mode: 'listen' });
    await waitForLine(supLine, (s) => s.monitors[0]?.state === 'active', 'the supervisor session to be up');
    const opState = await waitForLine(opLine, (s) => s.monitors[0]?.state === 'active', 'the operator desk to answer by itself');
    expect(opState.monitors[0]).toMatchObject({ direction: 'incoming', callId: call.id, callRef: call.info.ref, mode: 'listen', tellOperator: true });
    // Never a call: no second call rings, capacity untouched.
    expect(opState.calls.filter((c) => c.state !== 'ended').map((c) => c.id)).toEqual([call.id]);

    const whisper = sign('whisper');
    await monitor.setMode('whisper', whisper.token);
    await waitForLine(opLine, (s) => s.monitors[0]?.mode === 'whisper', 'the mode change to arrive');
    expect(supLine.state.monitors[0]?.mode).toBe('whisper');

    // A replayed mode token is refused 403 and the mode stays.
    await expect(monitor.setMode('barge', whisper.token)).rejects.toThrow(/403/);
    expect(opLine.state.monitors[0]?.mode).toBe('whisper');

    // The caller hangs up: the monitor session ends with the call.
    await caller.bye();
    await waitForLine(opLine, (s) => s.monitors.length === 0, 'the monitor session to end with the call');
    await waitForLine(supLine, (s) => s.monitors.length === 0, 'the supervisor side to see the end');
    expect(audit.read().slice(before).map((e) => [e.type, e.reason])).toEqual([
      ['monitor-started', 'listen'],
      ['monitor-mode', 'whisper'],
      ['monitor-refused', 'replayed'],
      ['monitor-stopped', 'call-ended'],
    ]);
  });
});
