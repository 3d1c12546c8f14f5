import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLEARANCE_FRESHNESS_MS, type ClearanceCommandPayload, type ClearanceReportPayload, type UndeliveredCounts } from '../../../../../../shared/floor/wire.js';
import type { DeletionRecord } from '../../../../../../shared/clearance/schema.js';
import type { DeskEvent } from '../../../../../../shared/ipc/desk-events.js';
import type { FloorReportArgs } from '../../../../../../shared/ipc/floor-contract.js';
import { CLEARANCE_ANSWER_MS, type ClearanceMessage } from '../../../../../../shared/ipc/floor-clearance-contract.js';
import { generateEd25519 } from '../../../../../../electron/main/services/roster/ed25519.js';
import { signToken } from '../../../../../../electron/main/services/floor/floor-token.js';
import { createFloorService, type FloorService } from '../../../../../../electron/main/services/floor/floor-service.js';
import { recordHash, signRecord } from '../../../../../../electron/main/services/clearance/deletion-record.js';
import { PENDING_CLEARANCE_MS, type ClearanceRefusal } from '../../../../../../electron/main/services/floor/floor-clearance.js';
import { fixtureIdentity, makeRoster, type RosterFixture } from '../../../../../support/roster-fixture.js';
import { unsignedRecord } from '../../../../../support/record-fixture.js';

const T0 = Date.parse('2026-12-05T13:00:00Z');
let fixture: RosterFixture;

beforeAll(async () => {
  fixture = await makeRoster({
    desks: [
      { id: 'lead-01', sipUri: 'sip:lead-01@kotozute.test', name: 'リーダー席' },
      { id: 'desk-01', sipUri: 'sip:desk-01@kotozute.test', name: '1番席' },
      { id: 'desk-02', sipUri: 'sip:desk-02@kotozute.test', name: '2番席' },
    ],
    people: [
      { id: 'sl-001', roles: ['shift-lead'], secret: 'lantern by the north door', name: '山本' },
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

const NONE: UndeliveredCounts = { draft: 0, ready: 0, handingOff: 0, failed: 0 };
const idle: FloorReportArgs = { activity: 'idle', since: T0, call: null, line: 'registered' };
const talking: FloorReportArgs = { activity: 'talking', since: T0, call: { ref: 'call-ref-0001', client: null, onHold: false, monitored: false }, line: 'registered' };

async function leadDesk(time: ReturnType<typeof clock>, person = 'sl-001') {
  const identity = fixtureIdentity(fixture, 'lead-01');
  const who = fixture.roster.people.find((p) => p.id === person)!;
  identity.signIn({ person: who, key: await fixture.personKey(person), since: new Date(time.now()) });
  const events: DeskEvent[] = [];
  const floor = createFloorService({ identity, now: time.now, outbox: () => Promise.resolve({ pending: 0, failed: 0 }), push: (e) => events.push(e), sweepMs: 3_600_000 });
  services.push(floor);
  return { floor, events };
}

/** A target desk whose notes are a stub: `held` undelivered, and a clear that signs a real record with the desk key. */
function targetDesk(deskId: string, time: ReturnType<typeof clock>, held: UndeliveredCounts = NONE) {
  const identity = fixtureIdentity(fixture, deskId);
  const cleared: string[] = [];
  const notices: Array<{ by: string; counts: UndeliveredCounts }> = [];
  const refused: Array<{ what: string; reason: ClearanceRefusal }> = [];
  const floor = createFloorService({
    identity,
    now: time.now,
    outbox: () => Promise.resolve({ pending: 0, failed: 0 }),
    sweepMs: 3_600_000,
    clearance: {
      port: {
        undelivered: () => Promise.resolve(held),
        clear: (by) => {
          cleared.push(by);
          return Promise.resolve(signRecord(unsignedRecord({ deskId, by: { personId: by, role: 'shift-lead' } }), fixture.deskKeys.get(deskId)!));
        },
      },
      onNeedsAttention: ({ by, counts }) => notices.push({ by, counts }),
      onRefused: (what, reason) => refused.push({ what, reason }),
    },
  });
  services.push(floor);
  return { floor, cleared, notices, refused };
}

function decode<T>(token: string): T {
  return JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as T;
}

function commandFor(messages: readonly ClearanceMessage[], deskId: string): ClearanceMessage {
  const m = messages.find((x) => x.deskId === deskId);
  if (!m) throw new Error(`no command for ${deskId}`);
  return m;
}

function command(over: Partial<ClearanceCommandPayload> = {}): ClearanceCommandPayload {
  return { kind: 'clearance', v: 1, person: 'sl-001', leadDesk: 'lead-01', targets: ['desk-01'], sentAt: T0, nonce: randomBytes(16).toString('base64url'), ...over };
}

describe('the shift lead desk signs clearance commands', () => {
  it('signs one command per other roster desk with the shift lead key, naming only that desk, and lists each as clearing', async () => {
    const time = clock();
    const { floor, events } = await leadDesk(time);
    const { messages, status } = await floor.handlers.floorClearAll({ confirm: '2' });
    expect(messages.map((m) => [m.deskId, m.to])).toEqual([
      ['desk-01', 'sip:desk-01@kotozute.test'],
      ['desk-02', 'sip:desk-02@kotozute.test'],
    ]);
    const payload = decode<ClearanceCommandPayload>(commandFor(messages, 'desk-02').token);
    expect(payload).toMatchObject({ kind: 'clearance', person: 'sl-001', leadDesk: 'lead-01', targets: ['desk-02'], sentAt: T0 });
    expect(payload.nonce).toBe(commandFor(messages, 'desk-02').nonce);
    expect(status.rows.map((r) => [r.deskId, r.status])).toEqual([
      ['desk-01', 'clearing'],
      ['desk-02', 'clearing'],
    ]);
    expect(events.at(-1)).toEqual({ type: 'floor-clearance', status });
  });

  it('refuses without the typed number of desks, for a desk not in the roster, and for anyone but a shift lead', async () => {
    const time = clock();
    const { floor } = await leadDesk(time);
    await expect(Promise.resolve().then(() => floor.handlers.floorClearAll({ confirm: '3' }))).rejects.toThrow(/number of desks/);
    await expect(Promise.resolve().then(() => floor.handlers.floorClearAll({ confirm: '1', desks: ['desk-09'] }))).rejects.toThrow(/not in the team roster/);
    const { floor: supervisor } = await leadDesk(time, 'suzuki');
    await expect(Promise.resolve().then(() => supervisor.handlers.floorClearAll({ confirm: '2' }))).rejects.toThrow(/Only a shift lead/);
    expect(floor.clearance.status()).toEqual({ round: null, rows: [] });
  });
});

describe('a target desk checks the command', () => {
  it('clears when it holds nothing undelivered, confirmed by the command shift lead, and the lead keeps its verified record', async () => {
    const time = clock();
    const lead = await leadDesk(time);
    const desk = targetDesk('desk-01', time);
    const { messages } = await lead.floor.handlers.floorClearAll({ confirm: '1', desks: ['desk-01'] });
    const answer = await desk.floor.handlers.floorDeliver({ body: commandFor(messages, 'desk-01').token, from: 'sip:lead-01@kotozute.test' });
    expect(answer.outcome).toBe('clearance');
    expect(desk.cleared).toEqual(['sl-001']);
    expect(answer.messages).toHaveLength(1);
    expect(answer.messages![0]!.to).toBe('sip:lead-01@kotozute.test');
    const report = decode<ClearanceReportPayload>(answer.messages![0]!.token);
    expect(report).toMatchObject({ kind: 'clearance-report', deskId: 'desk-01', status: 'cleared', counts: null });

    const kept = await lead.floor.handlers.floorDeliver({ body: answer.messages![0]!.token, from: 'sip:desk-01@kotozute.test' });
    expect(kept.outcome).toBe('clearance-report');
    const row = lead.floor.clearance.status().rows[0]!;
    expect(row.status).toBe('cleared');
    expect(row.record).toEqual(report.record);
    expect(row.recordHash).toBe(recordHash(report.record as DeletionRecord));
    // The same report again is a replay.
    expect((await lead.floor.handlers.floorDeliver({ body: answer.messages![0]!.token, from: '' })).outcome).toBe('dropped');
  });

  it('clears nothing and reports the counts when it holds undelivered messages, and tells its own operator', async () => {
    const time = clock();
    const lead = await leadDesk(time);
    const held = { draft: 1, ready: 0, handingOff: 2, failed: 1 };
    const desk = targetDesk('desk-02', time, held);
    const { messages } = await lead.floor.handlers.floorClearAll({ confirm: '1', desks: ['desk-02'] });
    const answer = await desk.floor.handlers.floorDeliver({ body: commandFor(messages, 'desk-02').token, from: '' });
    expect(desk.cleared).toEqual([]);
    expect(desk.notices).toEqual([{ by: 'sl-001', counts: held }]);
    await lead.floor.handlers.floorDeliver({ body: answer.messages![0]!.token, from: '' });
    expect(lead.floor.clearance.status().rows[0]).toMatchObject({ deskId: 'desk-02', status: 'needs-attention', counts: held, record: null });
  });

  it('answers busy during a call, keeps the command, and clears once its floor report says idle', async () => {
    const time = clock();
    const lead = await leadDesk(time);
    const desk = targetDesk('desk-01', time);
    await desk.floor.handlers.floorReport(talking);
    const { messages } = await lead.floor.handlers.floorClearAll({ confirm: '1', desks: ['desk-01'] });
    const busy = await desk.floor.handlers.floorDeliver({ body: commandFor(messages, 'desk-01').token, from: '' });
    expect(decode<ClearanceReportPayload>(busy.messages![0]!.token).status).toBe('busy');
    expect(desk.cleared).toEqual([]);
    await lead.floor.handlers.floorDeliver({ body: busy.messages![0]!.token, from: '' });
    expect(lead.floor.clearance.status().rows[0]!.status).toBe('busy');

    // Still talking (and then writing the note): nothing yet.
    time.advance(60_000);
    expect((await desk.floor.handlers.floorReport({ ...talking, activity: 'wrap-up', call: null })).messages).toEqual([]);
    expect(desk.cleared).toEqual([]);
    // Long after the command's freshness window, idle: it clears and the report goes out with the state.
    time.advance(10 * 60_000);
    const { messages: out } = await desk.floor.handlers.floorReport(idle);
    expect(desk.cleared).toEqual(['sl-001']);
    await lead.floor.handlers.floorDeliver({ body: out[0]!.token, from: '' });
    expect(lead.floor.clearance.status().rows[0]!.status).toBe('cleared');
    // Run once only.
    expect((await desk.floor.handlers.floorReport(idle)).messages).toEqual([]);
  });

  it('drops a kept command that waited longer than its expiry', async () => {
    const time = clock();
    const lead = await leadDesk(time);
    const desk = targetDesk('desk-01', time);
    await desk.floor.handlers.floorReport(talking);
    const { messages } = await lead.floor.handlers.floorClearAll({ confirm: '1', desks: ['desk-01'] });
    await desk.floor.handlers.floorDeliver({ body: commandFor(messages, 'desk-01').token, from: '' });
    expect(desk.floor.clearance.hasPending).toBe(true);
    time.advance(PENDING_CLEARANCE_MS + 1);
    expect((await desk.floor.handlers.floorReport(idle)).messages).toEqual([]);
    expect(desk.cleared).toEqual([]);
  });

  const refusals: Array<[string, ClearanceRefusal, () => Promise<string>]> = [
    ['forged (signed by a key that is not the shift lead)', 'bad-signature', () => Promise.resolve(signToken(command(), generateEd25519().privateKey))],
    ['stale (older than the freshness window)', 'stale', async () => signToken(command({ sentAt: T0 - CLEARANCE_FRESHNESS_MS - 1 }), await fixture.personKey('sl-001'))],
    ['from the future', 'stale', async () => signToken(command({ sentAt: T0 + CLEARANCE_FRESHNESS_MS + 1 }), await fixture.personKey('sl-001'))],
    ['signed by an operator', 'role-not-allowed', async () => signToken(command({ person: 'sato' }), await fixture.personKey('sato'))],
    ['signed by a supervisor', 'role-not-allowed', async () => signToken(command({ person: 'suzuki' }), await fixture.personKey('suzuki'))],
    ['for another desk', 'wrong-desk', async () => signToken(command({ targets: ['desk-02'] }), await fixture.personKey('sl-001'))],
    ['from a lead desk not in the roster', 'unknown-desk', async () => signToken(command({ leadDesk: 'desk-99' }), await fixture.personKey('sl-001'))],
    ['from a person not in the roster', 'unknown-person', async () => signToken(command({ person: 'nobody' }), generateEd25519().privateKey)],
    ['naming no desk (off the schema)', 'malformed', async () => signToken({ ...command(), targets: [] } as never, await fixture.personKey('sl-001'))],
  ];
  for (const [what, reason, token] of refusals) {
    it(`refuses a command ${what} (${reason}), clears nothing and answers nothing`, async () => {
      const desk = targetDesk('desk-01', clock());
      const answer = await desk.floor.handlers.floorDeliver({ body: await token(), from: 'sip:lead-01@kotozute.test' });
      expect(answer.outcome).toBe('dropped');
      expect(answer.messages ?? []).toEqual([]);
      expect(desk.cleared).toEqual([]);
      expect(desk.refused).toEqual([{ what: 'command', reason }]);
    });
  }

  it('refuses a replayed command: the second delivery of the same token clears nothing', async () => {
    const desk = targetDesk('desk-01', clock());
    const token = signToken(command(), await fixture.personKey('sl-001'));
    expect((await desk.floor.handlers.floorDeliver({ body: token, from: '' })).outcome).toBe('clearance');
    expect((await desk.floor.handlers.floorDeliver({ body: token, from: '' })).outcome).toBe('dropped');
    expect(desk.cleared).toEqual(['sl-001']);
    expect(desk.refused).toEqual([{ what: 'command', reason: 'replayed' }]);
  });
});

describe('the shift lead desk checks the reports', () => {
  async function round() {
    const time = clock();
    const lead = await leadDesk(time);
    const { messages } = await lead.floor.handlers.floorClearAll({ confirm: '2' });
    const nonce = commandFor(messages, 'desk-01').nonce;
    const report = (over: Partial<ClearanceReportPayload> = {}): ClearanceReportPayload => ({
      kind: 'clearance-report',
      v: 1,
      deskId: 'desk-01',
      leadDesk: 'lead-01',
      nonce,
      sentAt: T0,
      status: 'cleared',
      record: signRecord(unsignedRecord({ deskId: 'desk-01' }), fixture.deskKeys.get('desk-01')!),
      counts: null,
      ...over,
    });
    return { time, lead, messages, report };
  }

  const forged: Array<[string, (r: Awaited<ReturnType<typeof round>>) => string]> = [
    ['signed by another desk', ({ report }) => signToken(report(), fixture.deskKeys.get('desk-02')!)],
    ['answering another nonce', ({ report }) => signToken(report({ nonce: randomBytes(16).toString('base64url') }), fixture.deskKeys.get('desk-01')!)],
    ['answering the nonce sent to another desk', ({ report, messages }) => signToken(report({ nonce: commandFor(messages, 'desk-02').nonce }), fixture.deskKeys.get('desk-01')!)],
    ['carrying a record signed by another desk key', ({ report }) => signToken(report({ record: signRecord(unsignedRecord({ deskId: 'desk-01' }), fixture.deskKeys.get('desk-02')!) }), fixture.deskKeys.get('desk-01')!)],
    ['carrying another desk record', ({ report }) => signToken(report({ record: signRecord(unsignedRecord({ deskId: 'desk-02' }), fixture.deskKeys.get('desk-02')!) }), fixture.deskKeys.get('desk-01')!)],
    ['addressed to another lead desk', ({ report }) => signToken(report({ leadDesk: 'desk-02' }), fixture.deskKeys.get('desk-01')!)],
  ];
  for (const [what, make] of forged) {
    it(`drops a report ${what}; the desk stays clearing`, async () => {
      const r = await round();
      expect((await r.lead.floor.handlers.floorDeliver({ body: make(r), from: '' })).outcome).toBe('dropped');
      expect(r.lead.floor.clearance.status().rows.find((x) => x.deskId === 'desk-01')!.status).toBe('clearing');
    });
  }

  it('lists a desk offline when its command could not be sent, or no answer came in time; a late answer still counts', async () => {
    const { time, lead, messages, report } = await round();
    const d2 = commandFor(messages, 'desk-02');
    expect(lead.floor.clearance.unsent('desk-02', d2.nonce).rows.find((x) => x.deskId === 'desk-02')!.status).toBe('offline');
    time.advance(CLEARANCE_ANSWER_MS - 1);
    lead.floor.sweep();
    expect(lead.floor.clearance.status().rows.find((x) => x.deskId === 'desk-01')!.status).toBe('clearing');
    time.advance(2);
    lead.floor.sweep();
    expect(lead.floor.clearance.status().rows.find((x) => x.deskId === 'desk-01')!.status).toBe('offline');
    await lead.floor.handlers.floorDeliver({ body: signToken(report(), fixture.deskKeys.get('desk-01')!), from: '' });
    expect(lead.floor.clearance.status().rows.find((x) => x.deskId === 'desk-01')!.status).toBe('cleared');
  });
});
