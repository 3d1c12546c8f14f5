// Clearing the floor through a real Kamailio (issue 10 §4): a shift lead desk (the renderer's line in
// Node, the main process's floor service with the lead signed in) sends a signed clearance command to
// four roster desks. Three are whole desks (createDesk, the real keychain, their own lines): one with
// nothing undelivered clears and its signed record comes back; one holding undelivered notes clears
// nothing and needs attention; one on a call answers busy and clears once its report says idle. The
// fourth is not registered: the server does not take the command, so it shows offline.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FloorReportArgs } from '../../../shared/ipc/floor-contract.js';
import type { ClearanceCommandPayload } from '../../../shared/floor/wire.js';
import { signToken } from '../../../electron/main/services/floor/floor-token.js';
import { generateEd25519 } from '../../../electron/main/services/roster/ed25519.js';
import type { FloorClearanceView } from '../../../shared/ipc/floor-clearance-contract.js';
import { createDesk, type Desk } from '../../../electron/main/services/desk.js';
import { listRecords } from '../../../electron/main/services/clearance/deletion-record.js';
import { nullLogger } from '../../../electron/main/services/log.js';
import { createKeytarKeyStore } from '../../../electron/main/services/keychain.js';
import { createLine } from '../../../renderer/src/line/line.js';
import type { Line } from '../../../renderer/src/line/types.js';
import type { SipUser } from '../../support/kamailio.js';
import { startFloorDesk, type FloorDesk } from '../../support/floor-desk.js';
import { fixtureIdentity, makeRoster, type RosterFixture } from '../../support/roster-fixture.js';
import { StubSessionDescriptionHandler } from '../../support/sip-node-ua.js';
import { keyringReady, notReadyMessage, repoRoot } from '../services/keychain-child.js';
import { keyStoreFor, makeDay, type DayFixture } from '../clearance/clearance-fixture.js';
import { sleep, useLineHarness } from '../line/line-fixture.js';

const h = useLineHarness();
let users: Record<'lead' | 'd1' | 'd2' | 'd3' | 'd4', SipUser>;
let fixture: RosterFixture;

beforeAll(async () => {
  const kam = h.kam();
  users = { lead: await kam.newUser('lead'), d1: await kam.newUser('desk'), d2: await kam.newUser('desk'), d3: await kam.newUser('desk'), d4: await kam.newUser('desk') };
  const uri = (u: SipUser) => `sip:${u.user}@${kam.domain}`;
  fixture = await makeRoster({
    desks: [
      { id: 'lead-01', sipUri: uri(users.lead), name: 'リーダー席' },
      { id: 'desk-01', sipUri: uri(users.d1), name: '1番席' },
      { id: 'desk-02', sipUri: uri(users.d2), name: '2番席' },
      { id: 'desk-03', sipUri: uri(users.d3), name: '3番席' },
      { id: 'desk-04', sipUri: uri(users.d4), name: '4番席' },
    ],
    people: [
      { id: 'sl-001', roles: ['shift-lead'], secret: 'lantern by the north door', name: '山本' },
      { id: 'sato', roles: ['operator'], secret: '4821', name: '佐藤' },
    ],
  });
}, 30_000);

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step();
});

interface WholeDesk {
  desk: Desk;
  line: Line;
  dataDir: string;
}

/** A whole desk (createDesk on the real keychain) carrying its floor MESSAGEs with its own line, as the renderer does. */
async function wholeDesk(deskId: string, user: SipUser, day?: DayFixture): Promise<WholeDesk> {
  const service = day?.service ?? `Kotozute-test-floorclear-${process.pid}-${randomUUID().slice(0, 8)}`;
  const dataDir = day?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-floorclear-'));
  // createDesk keeps its keychain accounts under its data directory's own names (as the fixture did).
  const keyStore = keyStoreFor(service, dataDir);
  const identity = fixtureIdentity(fixture, deskId);
  identity.signIn(null);
  const desk = await createDesk({ dataDir, assetsDir: path.join(repoRoot, 'assets'), keyStore: createKeytarKeyStore({ service, timeoutMs: 5_000 }), log: nullLogger, floorIdentity: identity });
  const line = createLine(
    { server: h.kam().wsUrl, aor: `sip:${user.user}@${h.kam().domain}`, authUser: user.user, password: user.password, displayName: deskId },
    { sessionDescriptionHandlerFactory: () => new StubSessionDescriptionHandler() },
  );
  cleanups.push(async () => {
    await line.disconnect();
    await desk.close();
    if (!day) {
      for (const account of ['desk-store-key', 'outbox-store-key', 'desk-identity-key', 'shift-kek', 'shift-kek-next']) await keyStore.delete(account).catch(() => false);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
  expect((await line.connect()).registration).toBe('registered');
  line.onFloorMessage(({ body, from }) => {
    void Promise.resolve(desk.handlers.floorDeliver({ body, from })).then((r) => {
      for (const m of r.messages ?? []) void line.sendFloorMessage(m.to, m.token).catch(() => undefined);
    });
  });
  return { desk, line, dataDir };
}

/** What the renderer's floor link does with a state: main may hand back a kept clearance's report to send. */
async function report(d: WholeDesk, args: FloorReportArgs): Promise<void> {
  const { messages } = await d.desk.handlers.floorReport(args);
  await Promise.all(messages.map((m) => d.line.sendFloorMessage(m.to, m.token)));
}

async function statusUntil(lead: FloorDesk, what: string, predicate: (v: FloorClearanceView) => boolean, timeoutMs = 20_000): Promise<FloorClearanceView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = lead.floor.clearance.status();
    if (predicate(view)) return view;
    if (Date.now() > deadline) throw new Error(`the floor clearance never showed ${what}: ${JSON.stringify(view.rows.map((r) => [r.deskId, r.status]))}`);
    await sleep(50);
  }
}

const statusOf = (v: FloorClearanceView, deskId: string) => v.rows.find((r) => r.deskId === deskId)?.status;
const idle: FloorReportArgs = { activity: 'idle', since: Date.now(), call: null, line: 'registered' };
const talking: FloorReportArgs = { activity: 'talking', since: Date.now(), call: { ref: 'AAAAAAAAAAAAAAAAAAAAAA', client: null, onHold: false, monitored: false }, line: 'registered' };

describe.skipIf(!keyringReady)(`clearing the floor through Kamailio${keyringReady ? '' : ` — ${notReadyMessage}`}`, () => {
  it('clears the idle desk with its signed record, leaves the desk holding undelivered notes untouched, clears the busy desk when idle, and lists the unregistered desk offline', async () => {
    const day = await makeDay();
    cleanups.push(() => day.cleanup());
    const lead = await startFloorDesk({ server: { wsUrl: h.kam().wsUrl, domain: h.kam().domain }, user: users.lead, fixture, deskId: 'lead-01', person: 'sl-001' });
    cleanups.push(() => lead.stop());
    const d1 = await wholeDesk('desk-01', users.d1);
    const d2 = await wholeDesk('desk-02', users.d2, day);
    const d3 = await wholeDesk('desk-03', users.d3);
    await report(d1, idle);
    await report(d3, talking);

    const { messages } = await lead.floor.handlers.floorClearAll({ confirm: '4' });
    expect(messages.map((m) => m.deskId)).toEqual(['desk-01', 'desk-02', 'desk-03', 'desk-04']);
    // What the shift lead's screen does: send each; a desk that did not take it is offline.
    await Promise.all(
      messages.map((m) => lead.line.sendFloorMessage(m.to, m.token, { answered: true }).catch(() => lead.floor.handlers.floorClearanceUnsent({ deskId: m.deskId, nonce: m.nonce }))),
    );

    let view = await statusUntil(lead, 'cleared / needs attention / busy / offline', (v) =>
      statusOf(v, 'desk-01') === 'cleared' && statusOf(v, 'desk-02') === 'needs-attention' && statusOf(v, 'desk-03') === 'busy' && statusOf(v, 'desk-04') === 'offline',
    );
    // The idle desk's record is the one it wrote, by the shift lead of the command.
    const r1 = view.rows.find((r) => r.deskId === 'desk-01')!;
    expect(listRecords(d1.dataDir)).toEqual([r1.record]);
    expect(r1.record).toMatchObject({ deskId: 'desk-01', by: { personId: 'sl-001', role: 'shift-lead' } });
    // The desk holding undelivered messages cleared nothing and said how many.
    // (Its outbox may have failed the one handing off since it started: four undelivered either way.)
    const counts = view.rows.find((r) => r.deskId === 'desk-02')!.counts!;
    expect(counts.draft).toBe(1);
    expect(counts.draft + counts.ready + counts.handingOff + counts.failed).toBe(4);
    expect(listRecords(d2.dataDir)).toEqual([]);
    expect(fs.readdirSync(path.join(day.dataDir, 'vault', 'notes')).filter((n) => n.endsWith('.note'))).toHaveLength(day.notes.length);
    expect(listRecords(d3.dataDir)).toEqual([]);

    // The call ends and the note is handed off: the kept command runs, its report rides out with the state.
    await report(d3, { ...talking, activity: 'wrap-up', call: null });
    expect(listRecords(d3.dataDir)).toEqual([]);
    await report(d3, idle);
    view = await statusUntil(lead, 'desk-03 cleared', (v) => statusOf(v, 'desk-03') === 'cleared');
    expect(listRecords(d3.dataDir)).toEqual([view.rows.find((r) => r.deskId === 'desk-03')!.record]);
  }, 60_000);

  it('refuses a command from an operator, a forged one and a replay, each with an audit event, and clears nothing for them', async () => {
    const lead = await startFloorDesk({ server: { wsUrl: h.kam().wsUrl, domain: h.kam().domain }, user: users.lead, fixture, deskId: 'lead-01', person: 'sl-001' });
    cleanups.push(() => lead.stop());
    const d1 = await wholeDesk('desk-01', users.d1);
    const command = (person: string, nonce = randomBytes(16).toString('base64url')): ClearanceCommandPayload => ({
      kind: 'clearance',
      v: 1,
      person,
      leadDesk: 'lead-01',
      targets: ['desk-01'],
      sentAt: Date.now(),
      nonce,
    });
    const to = fixture.roster.desks.find((d) => d.id === 'desk-01')!.sipUri;
    await lead.line.sendFloorMessage(to, signToken(command('sato'), await fixture.personKey('sato')), { answered: true });
    await lead.line.sendFloorMessage(to, signToken(command('sl-001'), generateEd25519().privateKey), { answered: true });
    const audited = async (n: number) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const file = path.join(d1.dataDir, 'audit', 'audit.jsonl');
        const events = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; reason?: string }) : [];
        const refused = events.filter((e) => e.type === 'clearance-refused').map((e) => e.reason);
        if (refused.length >= n || Date.now() > deadline) return refused;
        await sleep(50);
      }
    };
    expect(await audited(2)).toEqual(['role-not-allowed', 'bad-signature']);
    const valid = signToken(command('sl-001'), await fixture.personKey('sl-001'));
    await lead.line.sendFloorMessage(to, valid, { answered: true });
    await waitFor(() => listRecords(d1.dataDir).length === 1);
    await lead.line.sendFloorMessage(to, valid, { answered: true });
    expect(await audited(3)).toEqual(['role-not-allowed', 'bad-signature', 'replayed']);
    expect(listRecords(d1.dataDir)).toHaveLength(1);
  }, 60_000);
});

async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
}
