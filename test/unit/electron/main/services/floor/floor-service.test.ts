import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FRESHNESS_MS, UNREACHABLE_AFTER_MS, WATCH_LEASE_MS, type DeskStatePayload, type WatchPayload } from '../../../../../../shared/floor/wire.js';
import type { DeskEvent } from '../../../../../../shared/ipc/desk-events.js';
import type { FloorReportArgs } from '../../../../../../shared/ipc/floor-contract.js';
import { generateEd25519 } from '../../../../../../electron/main/services/roster/ed25519.js';
import { signToken } from '../../../../../../electron/main/services/floor/floor-token.js';
import { createFloorService, type FloorService } from '../../../../../../electron/main/services/floor/floor-service.js';
import { createDeskAttention } from '../../../../../../electron/main/services/clearance/attention.js';
import { fixtureIdentity, makeRoster, type RosterFixture } from '../../../../../support/roster-fixture.js';

const T0 = Date.parse('2026-12-05T09:00:00Z');
let fixture: RosterFixture;

beforeAll(async () => {
  fixture = await makeRoster({
    desks: [
      { id: 'desk-01', sipUri: 'sip:desk-01@kotozute.test', name: '1番席' },
      { id: 'desk-02', sipUri: 'sip:desk-02@kotozute.test', name: '2番席' },
      { id: 'sup-01', sipUri: 'sip:sup-01@kotozute.test', name: '監督席' },
    ],
    people: [
      { id: 'sato', roles: ['operator'], secret: '4821', name: '佐藤' },
      { id: 'suzuki', roles: ['supervisor'], secret: 'correct horse battery', name: '鈴木' },
    ],
  });
});

const services: FloorService[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.close();
});

function clock(start = T0): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

async function operatorDesk(deskId: string, time: ReturnType<typeof clock>, signedIn = 'sato') {
  const identity = fixtureIdentity(fixture, deskId);
  const person = fixture.roster.people.find((p) => p.id === signedIn)!;
  identity.signIn({ person, key: await fixture.personKey(signedIn), since: new Date(time.now()) });
  const floor = createFloorService({ identity, now: time.now, outbox: () => Promise.resolve({ pending: 2, failed: 1 }) });
  services.push(floor);
  return floor;
}

async function supervisorDesk(time: ReturnType<typeof clock>) {
  const identity = fixtureIdentity(fixture, 'sup-01');
  const person = fixture.roster.people.find((p) => p.id === 'suzuki')!;
  identity.signIn({ person, key: await fixture.personKey('suzuki'), since: new Date(time.now()) });
  const events: DeskEvent[] = [];
  const floor = createFloorService({ identity, now: time.now, outbox: () => Promise.resolve({ pending: 0, failed: 0 }), push: (e) => events.push(e), sweepMs: 3_600_000 });
  services.push(floor);
  return { floor, events };
}

const talking: FloorReportArgs = {
  activity: 'talking',
  since: T0 - 5_000,
  call: { ref: 'call-ref-0001', client: { id: 'acme', name: 'アクメ商事' }, onHold: false, monitored: false },
  line: 'registered',
};

function watchToken(over: Partial<WatchPayload> = {}, key = fixture.deskKeys.get('desk-01')!): string {
  const payload: WatchPayload = {
    kind: 'watch',
    v: 1,
    person: 'suzuki',
    watcherDesk: 'sup-01',
    deskId: 'desk-01',
    sentAt: T0,
    nonce: randomBytes(16).toString('base64url'),
    leaseMs: WATCH_LEASE_MS,
    ...over,
  };
  return signToken(payload, key);
}

function stateToken(over: Partial<DeskStatePayload> = {}, key = fixture.deskKeys.get('desk-01')!): string {
  const payload: DeskStatePayload = {
    kind: 'desk-state',
    v: 1,
    deskId: 'desk-01',
    seq: 1,
    sentAt: T0,
    person: 'sato',
    activity: 'ringing',
    since: T0,
    call: { ref: 'call-ref-0001', client: null, onHold: false, monitored: false },
    outbox: { pending: 0, failed: 0 },
    line: 'registered',
    ...over,
  };
  return signToken(payload, key);
}

describe('watch leases (operator desk)', () => {
  it('sends its state only to a supervisor desk holding a live lease, at the roster SIP URI of that desk', async () => {
    const time = clock();
    const desk = await operatorDesk('desk-01', time);
    const sup = await supervisorDesk(time);
    expect((await desk.handlers.floorReport(talking)).messages).toEqual([]);

    const watches = await sup.floor.handlers.floorWatch({ end: false });
    expect(watches.renewInMs).toBe(WATCH_LEASE_MS / 3);
    expect(watches.messages.map((m) => m.to).sort()).toEqual(['sip:desk-01@kotozute.test', 'sip:desk-02@kotozute.test']);
    const mine = watches.messages.find((m) => m.to === 'sip:desk-01@kotozute.test')!;
    expect(await desk.handlers.floorDeliver({ body: mine.token, from: 'sip:someone-else@evil.test' })).toEqual({ outcome: 'watch' });

    const report = await desk.handlers.floorReport(talking);
    expect(report.messages.map((m) => m.to)).toEqual(['sip:sup-01@kotozute.test']);
  });

  it('lets the lease lapse after leaseMs unless renewed, and ends it at once on a lease of 0', async () => {
    const time = clock();
    const desk = await operatorDesk('desk-01', time);
    await desk.handlers.floorDeliver({ body: watchToken({ leaseMs: 20_000 }, await fixture.personKey('suzuki')), from: '' });
    time.advance(19_999);
    expect((await desk.handlers.floorReport(talking)).messages).toHaveLength(1);
    time.advance(1);
    expect((await desk.handlers.floorReport(talking)).messages).toHaveLength(0);

    const key = await fixture.personKey('suzuki');
    await desk.handlers.floorDeliver({ body: watchToken({ sentAt: time.now() }, key), from: '' });
    expect((await desk.handlers.floorReport(talking)).messages).toHaveLength(1);
    expect(await desk.handlers.floorDeliver({ body: watchToken({ sentAt: time.now(), leaseMs: 0 }, key), from: '' })).toEqual({ outcome: 'unwatch' });
    expect((await desk.handlers.floorReport(talking)).messages).toHaveLength(0);
  });

  it('refuses a replayed watch, a stale or future one, one for another desk, an operator\'s, and one signed by the wrong key', async () => {
    const time = clock();
    const desk = await operatorDesk('desk-01', time);
    const sup = await fixture.personKey('suzuki');
    const first = watchToken({}, sup);
    expect(await desk.handlers.floorDeliver({ body: first, from: '' })).toEqual({ outcome: 'watch' });
    const refused = [
      first,
      watchToken({ sentAt: T0 - FRESHNESS_MS - 1 }, sup),
      watchToken({ sentAt: T0 + FRESHNESS_MS + 1 }, sup),
      watchToken({ deskId: 'desk-02' }, sup),
      watchToken({ watcherDesk: 'desk-99' }, sup),
      watchToken({ person: 'sato' }, await fixture.personKey('sato')),
      watchToken({}, generateEd25519().privateKey),
      'not a token',
    ];
    for (const body of refused) expect(await desk.handlers.floorDeliver({ body, from: '' })).toEqual({ outcome: 'dropped' });
    // still exactly the one lease from the first watch
    expect((await desk.handlers.floorReport(talking)).messages).toHaveLength(1);
  });

  it('signs a state with the desk key, adding desk, person, outbox counts and a growing seq; idle with nobody signed in is signed-out', async () => {
    const time = clock();
    const desk = await operatorDesk('desk-01', time);
    await desk.handlers.floorDeliver({ body: watchToken({}, await fixture.personKey('suzuki')), from: '' });
    const sup = await supervisorDesk(time);

    const a = (await desk.handlers.floorReport(talking)).messages[0]!.token;
    const b = (await desk.handlers.floorReport({ ...talking, call: { ...talking.call!, onHold: true } })).messages[0]!.token;
    expect(await sup.floor.handlers.floorDeliver({ body: b, from: '' })).toEqual({ outcome: 'state' });
    // the older state arrives late: the board keeps the newer one
    expect(await sup.floor.handlers.floorDeliver({ body: a, from: '' })).toEqual({ outcome: 'ignored' });
    const row = (await sup.floor.handlers.getFloorBoard(undefined)).rows.find((r) => r.deskId === 'desk-01')!;
    expect(row).toMatchObject({ deskName: '1番席', operator: '佐藤', reachable: true });
    expect(row.state).toMatchObject({ activity: 'talking', person: 'sato', outbox: { pending: 2, failed: 1 }, call: { onHold: true, client: { name: 'アクメ商事' } } });

    const identity = fixtureIdentity(fixture, 'desk-02');
    const alone = createFloorService({ identity, now: time.now, outbox: () => Promise.resolve({ pending: 0, failed: 0 }) });
    services.push(alone);
    await alone.handlers.floorDeliver({ body: watchToken({ deskId: 'desk-02' }, await fixture.personKey('suzuki')), from: '' });
    const token = (await alone.handlers.floorReport({ activity: 'idle', since: T0, call: null, line: 'registered' })).messages[0]!.token;
    await sup.floor.handlers.floorDeliver({ body: token, from: '' });
    const idle = (await sup.floor.handlers.getFloorBoard(undefined)).rows.find((r) => r.deskId === 'desk-02')!;
    expect(idle.state).toMatchObject({ activity: 'signed-out', person: null });
    expect(idle.operator).toBeNull();
  });
});

describe('needs attention (issue 10)', () => {
  it("carries the desk's 'needs attention' and its counts in the signed state, so the board shows it, and none once resolved", async () => {
    const time = clock();
    const attention = createDeskAttention(time.now);
    const identity = fixtureIdentity(fixture, 'desk-01');
    const desk = createFloorService({ identity, now: time.now, outbox: () => Promise.resolve({ pending: 0, failed: 2 }), attention: () => attention.current() });
    services.push(desk);
    await desk.handlers.floorDeliver({ body: watchToken({}, await fixture.personKey('suzuki')), from: '' });
    const sup = await supervisorDesk(time);
    const row = async () => {
      const token = (await desk.handlers.floorReport(talking)).messages[0]!.token;
      time.advance(1);
      expect(await sup.floor.handlers.floorDeliver({ body: token, from: '' })).toEqual({ outcome: 'state' });
      return (await sup.floor.handlers.getFloorBoard(undefined)).rows.find((r) => r.deskId === 'desk-01')!;
    };
    expect((await row()).state?.attention).toBeNull();
    attention.raiseNeedsAttention('schedule', { undelivered: 3, failed: 2 });
    expect((await row()).state?.attention).toEqual({ source: 'schedule', counts: { undelivered: 3, failed: 2 }, since: T0 + 1 });
    attention.resolve();
    expect((await row()).state?.attention).toBeNull();
  });
});

describe('the board (supervisor desk)', () => {
  it('drops and counts forged, unknown-desk, unsigned, stale and wrong-kind tokens, pushing the counter', async () => {
    const time = clock();
    const { floor, events } = await supervisorDesk(time);
    const forgedKey = generateEd25519().privateKey;
    const [payload] = stateToken().split('.');
    const cases = [
      stateToken({}, forgedKey), // forged: desk-01 named, another key signed
      stateToken({ deskId: 'desk-77' }, forgedKey), // no such desk in the roster
      `${payload}.${'A'.repeat(86)}`, // signature of zeros
      payload ?? '', // unsigned
      stateToken({ sentAt: T0 - FRESHNESS_MS - 1 }), // stale (a replay from long ago)
    ];
    for (const body of cases) expect(await floor.handlers.floorDeliver({ body, from: '' })).toEqual({ outcome: 'dropped' });
    const board = await floor.handlers.getFloorBoard(undefined);
    expect(board.dropped).toEqual({ malformed: 1, schema: 0, 'unknown-signer': 1, 'bad-signature': 2, stale: 1, 'wrong-kind': 0 });
    expect(board.rows.every((r) => r.state === null)).toBe(true);
    const last = events.at(-1);
    expect(last?.type === 'floor-board' && last.board.dropped['bad-signature']).toBe(2);
  });

  it('lists every roster desk but its own, and turns a desk unreachable once silent for UNREACHABLE_AFTER_MS', async () => {
    const time = clock();
    const { floor, events } = await supervisorDesk(time);
    expect((await floor.handlers.getFloorBoard(undefined)).rows.map((r) => [r.deskId, r.reachable])).toEqual([
      ['desk-01', false],
      ['desk-02', false],
    ]);
    await floor.handlers.floorDeliver({ body: stateToken({ seq: 5 }), from: '' });
    expect((await floor.handlers.getFloorBoard(undefined)).rows[0]?.reachable).toBe(true);

    time.advance(UNREACHABLE_AFTER_MS - 1);
    const before = events.length;
    floor.sweep();
    expect(events).toHaveLength(before);
    time.advance(1);
    floor.sweep();
    expect(events).toHaveLength(before + 1);
    const pushed = events.at(-1);
    expect(pushed?.type === 'floor-board' && pushed.board.rows[0]?.reachable).toBe(false);
    // it keeps its last state (greyed on the board), and comes back with the next one
    expect(pushed?.type === 'floor-board' && pushed.board.rows[0]?.state?.activity).toBe('ringing');
    await floor.handlers.floorDeliver({ body: stateToken({ seq: 6, sentAt: time.now() }), from: '' });
    expect((await floor.handlers.getFloorBoard(undefined)).rows[0]?.reachable).toBe(true);
  });

  it('pushes no board to a locked page, and the board is current when asked for after unlocking', async () => {
    const time = clock();
    const identity = fixtureIdentity(fixture, 'sup-01');
    const person = fixture.roster.people.find((p) => p.id === 'suzuki')!;
    identity.signIn({ person, key: await fixture.personKey('suzuki'), since: new Date(time.now()) });
    const events: DeskEvent[] = [];
    let locked = true;
    const floor = createFloorService({ identity, now: time.now, outbox: () => Promise.resolve({ pending: 0, failed: 0 }), push: (e) => events.push(e), locked: () => locked, sweepMs: 3_600_000 });
    services.push(floor);
    await floor.handlers.floorDeliver({ body: stateToken({ seq: 7 }), from: '' });
    expect(events.filter((e) => e.type === 'floor-board')).toEqual([]);
    locked = false;
    expect((await floor.handlers.getFloorBoard(undefined)).rows[0]?.state?.activity).toBe('ringing');
    await floor.handlers.floorDeliver({ body: stateToken({ seq: 8, activity: 'talking' }), from: '' });
    expect(events.filter((e) => e.type === 'floor-board')).toHaveLength(1);
  });

  it('gives no watches to a desk where nobody with a watching role is signed in', async () => {
    const time = clock();
    const desk = await operatorDesk('desk-01', time);
    expect(await desk.handlers.floorWatch({ end: false })).toEqual({ messages: [], renewInMs: null });
  });
});
