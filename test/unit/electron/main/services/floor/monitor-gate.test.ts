// The operator desk's checks on a monitor request: every way a request can be wrong is refused with
// its own reason and exactly one audit event; a good one opens a session that a mode change and a
// stop act on.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MonitorPayload } from '../../../../../../shared/floor/wire.js';
import type { AuditInput } from '../../../../../../electron/main/services/audit/audit-log.js';
import { MonitorGate, signMonitorRequest, sipAddress } from '../../../../../../electron/main/services/floor/monitor-gate.js';
import { signToken } from '../../../../../../electron/main/services/floor/floor-token.js';
import { generateEd25519 } from '../../../../../../electron/main/services/roster/ed25519.js';
import { fixtureIdentity, makeRoster, type RosterFixture } from '../../../../../support/roster-fixture.js';

const T0 = Date.UTC(2026, 11, 5, 9, 0, 0);
const CALL = 'call-ref-0001';
const SUP_FROM = 'sip:desk-sup@kotozute.test';

let fx: RosterFixture;
let supKey: Awaited<ReturnType<RosterFixture['personKey']>>;
let leadKey: typeof supKey;
let opKey: typeof supKey;

beforeAll(async () => {
  fx = await makeRoster({
    desks: [
      { id: 'desk-op', sipUri: 'sip:desk-op@kotozute.test' },
      { id: 'desk-sup', sipUri: SUP_FROM },
      { id: 'desk-other', sipUri: 'sip:desk-other@kotozute.test' },
    ],
    people: [
      { id: 'sato', roles: ['supervisor'], secret: 'correct horse battery' },
      { id: 'lead', roles: ['shift-lead'], secret: 'another long passphrase' },
      { id: 'tanaka', roles: ['operator'], secret: '4821' },
    ],
  });
  [supKey, leadKey, opKey] = await Promise.all([fx.personKey('sato'), fx.personKey('lead'), fx.personKey('tanaka')]);
});

const nonce = (): string => randomBytes(16).toString('base64url');

function payload(over: Partial<MonitorPayload> = {}): MonitorPayload {
  return { kind: 'monitor', v: 1, person: 'sato', supervisorDesk: 'desk-sup', deskId: 'desk-op', callRef: CALL, mode: 'listen', sentAt: T0, nonce: nonce(), ...over };
}

function gate(opts: { now?: number; identity?: ReturnType<typeof fixtureIdentity>; maxNonces?: number } = {}) {
  const events: AuditInput[] = [];
  let now = opts.now ?? T0;
  const g = new MonitorGate({
    identity: opts.identity ?? fixtureIdentity(fx, 'desk-op'),
    audit: (e) => events.push(e),
    now: () => now,
    ...(opts.maxNonces === undefined ? {} : { maxNonces: opts.maxNonces }),
  });
  return { g, events, setNow: (t: number) => (now = t) };
}

const request = (token: string | null, from = SUP_FROM, live: string[] = [CALL]) => ({ token, from, liveCallRefs: live });

describe('a monitor request is refused, audited once, with its reason', () => {
  const cases: Array<[string, () => { token: string | null; from?: string; live?: string[] }, string]> = [
    ['with no token', () => ({ token: null }), 'no-token'],
    ['with an empty token', () => ({ token: '  ' }), 'no-token'],
    ['when the token is not a token', () => ({ token: 'not-a-token' }), 'malformed'],
    ['when the payload breaks the schema', () => ({ token: signToken({ ...payload(), mode: 'spy' } as unknown as MonitorPayload, supKey) }), 'malformed'],
    ['with a forged From', () => ({ token: signToken(payload(), supKey), from: 'sip:desk-other@kotozute.test' }), 'forged-from'],
    ['with a From that is no SIP URI', () => ({ token: signToken(payload(), supKey), from: 'desk-sup' }), 'forged-from'],
    ['with a bad signature (signed by another key)', () => ({ token: signToken(payload(), generateEd25519().privateKey) }), 'bad-signature'],
    ['with a signature over other bytes', () => {
      const [, sig] = signToken(payload(), supKey).split('.');
      return { token: `${Buffer.from(JSON.stringify(payload())).toString('base64url')}.${sig}` };
    }, 'bad-signature'],
    ['from a person missing from the roster', () => ({ token: signToken(payload({ person: 'ghost' }), supKey) }), 'unknown-person'],
    ['from a person without the role (an operator)', () => ({ token: signToken(payload({ person: 'tanaka' }), opKey) }), 'role-not-allowed'],
    ['for a mode the roster does not allow the role (a shift lead barging)', () => ({ token: signToken(payload({ person: 'lead', mode: 'barge' }), leadKey) }), 'role-not-allowed'],
    ['sent 31 s ago', () => ({ token: signToken(payload({ sentAt: T0 - 31_000 }), supKey) }), 'stale'],
    ['sent 31 s in the future', () => ({ token: signToken(payload({ sentAt: T0 + 31_000 }), supKey) }), 'stale'],
    ['for another desk', () => ({ token: signToken(payload({ deskId: 'desk-other' }), supKey) }), 'wrong-desk'],
    ['for a call not live on this desk', () => ({ token: signToken(payload({ callRef: 'some-other-call' }), supKey) }), 'no-such-call'],
    ['when the desk has no live call', () => ({ token: signToken(payload(), supKey), live: [] }), 'no-such-call'],
    ['from a supervisor desk not in the roster', () => ({ token: signToken(payload({ supervisorDesk: 'desk-gone' }), supKey) }), 'unknown-desk'],
  ];
  for (const [what, make, reason] of cases) {
    it(`${what}: ${reason}`, () => {
      const { g, events } = gate();
      const r = make();
      const verdict = g.start(request(r.token, r.from ?? SUP_FROM, r.live ?? [CALL]));
      expect(verdict).toEqual({ ok: false, reason });
      expect(events).toEqual([{ type: 'monitor-refused', reason }]);
    });
  }

  it('when the token is a desk state or a watch, not a monitor request: wrong-kind', () => {
    const { g, events } = gate();
    const watch = signToken({ kind: 'watch', v: 1, person: 'sato', watcherDesk: 'desk-sup', deskId: 'desk-op', sentAt: T0, nonce: nonce(), leaseMs: 60_000 }, supKey);
    expect(g.start(request(watch))).toEqual({ ok: false, reason: 'wrong-kind' });
    expect(events).toEqual([{ type: 'monitor-refused', reason: 'wrong-kind' }]);
  });

  it('when the nonce was seen before (a replay), even after the first session ended', () => {
    const { g, events, setNow } = gate();
    const token = signToken(payload(), supKey);
    const first = g.start(request(token));
    expect(first.ok).toBe(true);
    if (first.ok) g.stop(first.sessionId, 'supervisor-left');
    setNow(T0 + 20_000);
    expect(g.start(request(token))).toEqual({ ok: false, reason: 'replayed' });
    expect(events.map((e) => e.type)).toEqual(['monitor-started', 'monitor-stopped', 'monitor-refused']);
    expect(events.at(-1)).toEqual({ type: 'monitor-refused', reason: 'replayed' });
  });

  it('when a person was removed in a newer roster: absent from the roster in use', async () => {
    const newer = await makeRoster({
      desks: fx.roster.desks.map((d) => ({ id: d.id, sipUri: d.sipUri })),
      people: [{ id: 'lead', roles: ['shift-lead'], secret: 'another long passphrase' }],
      serial: 2,
    });
    const identity = fixtureIdentity(newer, 'desk-op');
    const { g, events } = gate({ identity });
    // sato's token, signed with the key the older roster listed.
    const verdict = g.start({ token: signToken(payload({ supervisorDesk: 'desk-sup' }), supKey), from: SUP_FROM, liveCallRefs: [CALL] });
    expect(verdict).toEqual({ ok: false, reason: 'unknown-person' });
    expect(events).toEqual([{ type: 'monitor-refused', reason: 'unknown-person' }]);
  });

  it('when the desk has no roster (a single-operator desk): no-roster', () => {
    const identity = { ...fixtureIdentity(fx, 'desk-op'), roster: () => null };
    const { g, events } = gate({ identity: identity as ReturnType<typeof fixtureIdentity> });
    expect(g.start(request(signToken(payload(), supKey)))).toEqual({ ok: false, reason: 'no-roster' });
    expect(events).toHaveLength(1);
  });

  it('when the nonce store is full of live nonces: flood (never forgetting one early)', () => {
    const { g } = gate({ maxNonces: 2 });
    expect(g.start(request(signToken(payload(), supKey))).ok).toBe(true);
    expect(g.start(request(signToken(payload(), supKey))).ok).toBe(true);
    expect(g.start(request(signToken(payload(), supKey)))).toEqual({ ok: false, reason: 'flood' });
  });
});

describe('a good monitor request', () => {
  it('opens a session in its mode, audited as started with the mode only', () => {
    const { g, events } = gate();
    const verdict = g.start(request(signToken(payload({ mode: 'whisper' }), supKey)));
    expect(verdict).toMatchObject({ ok: true, mode: 'whisper', callRef: CALL, tellOperator: true });
    expect(events).toEqual([{ type: 'monitor-started', reason: 'whisper' }]);
  });

  it('says whether the operator is told, as the roster policy says', async () => {
    const quiet = await makeRoster({
      desks: fx.roster.desks.map((d) => ({ id: d.id, sipUri: d.sipUri })),
      people: [{ id: 'sato', roles: ['supervisor'], secret: 'correct horse battery' }],
      policy: { tellOperatorWhenMonitored: false },
    });
    const { g } = gate({ identity: fixtureIdentity(quiet, 'desk-op') });
    const verdict = g.start(request(signToken(payload(), await quiet.personKey('sato'))));
    expect(verdict).toMatchObject({ ok: true, tellOperator: false });
  });

  it('is accepted 29 s late by the sender clock, and from a From with a display name and parameters', () => {
    const { g } = gate({ now: T0 + 29_000 });
    expect(g.start(request(signToken(payload(), supKey), '"Sup" <sip:DESK-SUP@kotozute.test;transport=ws>;tag=abc')).ok).toBe(true);
  });

  it('forgets nonces after twice the window, so the store stays bounded', () => {
    const { g, setNow } = gate({ maxNonces: 1 });
    expect(g.start(request(signToken(payload(), supKey))).ok).toBe(true);
    setNow(T0 + 61_000);
    expect(g.start(request(signToken(payload({ sentAt: T0 + 61_000 }), supKey))).ok).toBe(true);
  });

  it('changes mode with a new token from the same person for the same call, audited as mode', () => {
    const { g, events } = gate();
    const start = g.start(request(signToken(payload(), supKey)));
    if (!start.ok) throw new Error('start refused');
    const change = g.change(start.sessionId, request(signToken(payload({ mode: 'barge' }), supKey)));
    expect(change).toMatchObject({ ok: true, mode: 'barge', sessionId: start.sessionId });
    expect(g.session(start.sessionId)?.mode).toBe('barge');
    expect(events.at(-1)).toEqual({ type: 'monitor-mode', reason: 'barge' });
  });

  it('refuses a mode change by another person, or a replayed start token as a change', () => {
    const { g, events } = gate();
    const token = signToken(payload(), supKey);
    const start = g.start(request(token));
    if (!start.ok) throw new Error('start refused');
    expect(g.change(start.sessionId, request(signToken(payload({ person: 'lead' }), leadKey)))).toEqual({ ok: false, reason: 'session-mismatch' });
    expect(g.change(start.sessionId, request(token))).toEqual({ ok: false, reason: 'replayed' });
    expect(g.change('no-such-session', request(signToken(payload(), supKey)))).toEqual({ ok: false, reason: 'session-mismatch' });
    expect(events.slice(1).map((e) => e.reason)).toEqual(['session-mismatch', 'replayed', 'session-mismatch']);
    expect(g.session(start.sessionId)?.mode).toBe('listen');
  });

  it('is stopped once, audited with the cause', () => {
    const { g, events } = gate();
    const start = g.start(request(signToken(payload(), supKey)));
    if (!start.ok) throw new Error('start refused');
    expect(g.stop(start.sessionId, 'call-ended')).toBe(true);
    expect(g.stop(start.sessionId, 'call-ended')).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'monitor-stopped', reason: 'call-ended' });
    expect(events).toHaveLength(2);
  });
});

describe('the supervisor desk signs a request', () => {
  it('with the signed-in person key, for the target desk, which the operator desk accepts', () => {
    const sup = fixtureIdentity(fx, 'desk-sup');
    sup.signIn({ person: fx.roster.people.find((p) => p.id === 'sato')!, key: supKey, since: new Date(T0) });
    const signed = signMonitorRequest(sup, { deskId: 'desk-op', callRef: CALL, mode: 'listen' }, T0, nonce());
    if (!signed.ok) throw new Error(signed.reason);
    expect(signed.target).toBe('sip:desk-op@kotozute.test');
    expect(gate().g.start(request(signed.token)).ok).toBe(true);
  });

  it('refuses when nobody is signed in, or the role may not use the mode', () => {
    const sup = fixtureIdentity(fx, 'desk-sup');
    expect(signMonitorRequest(sup, { deskId: 'desk-op', callRef: CALL, mode: 'listen' }, T0, nonce())).toEqual({ ok: false, reason: 'not-signed-in' });
    sup.signIn({ person: fx.roster.people.find((p) => p.id === 'lead')!, key: leadKey, since: new Date(T0) });
    expect(signMonitorRequest(sup, { deskId: 'desk-op', callRef: CALL, mode: 'whisper' }, T0, nonce())).toEqual({ ok: false, reason: 'role-not-allowed' });
    expect(signMonitorRequest(sup, { deskId: 'desk-nope', callRef: CALL, mode: 'listen' }, T0, nonce())).toEqual({ ok: false, reason: 'unknown-desk' });
  });
});

describe('sipAddress', () => {
  it('compares user and host, ignoring scheme case, display name, parameters and the default port', () => {
    expect(sipAddress('"A" <SIP:Desk-1@Example.JP:5060;transport=ws>')).toBe('desk-1@example.jp');
    expect(sipAddress('sip:desk-1@example.jp:5070')).toBe('desk-1@example.jp:5070');
    expect(sipAddress('tel:+81312345678')).toBeNull();
  });
});
