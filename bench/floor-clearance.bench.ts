/**
 * Clearing the floor (issue 10 §4): 50 whole desks (createDesk on the real keychain — npm run bench
 * runs under with-keyring.sh — each with its own line registered on a Kamailio on loopback) each hold
 * NOTES_PER_DESK delivered notes. A shift lead desk (test/support/floor-desk.ts: the renderer's line
 * with main's floor service, the lead signed in) signs the commands; the time runs from the confirm
 * (floorClearAll) to the last desk's verified record in the lead's live status — the very view the
 * `floor-clearance` desk event carries to the shift lead's screen. Target ≤ 10 s. Every desk
 * really clears: new shift key, cryptographic erase, file deletion, signed record.
 *
 * BENCH_QUICK=1 runs 5 desks of 20 notes, to try the bench itself (its figure then means nothing).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openAuditLog } from '../electron/main/services/audit/audit-log.js';
import { createDesk, type Desk } from '../electron/main/services/desk.js';
import { createKeytarKeyStore, type KeyStore } from '../electron/main/services/keychain.js';
import { namespacedKeyStore } from '../electron/main/services/keychain-namespace.js';
import { nullLogger } from '../electron/main/services/log.js';
import { openVault } from '../electron/main/services/vault/vault.js';
import { createLine } from '../renderer/src/line/line.js';
import type { Line } from '../renderer/src/line/types.js';
import { startFloorDesk, type FloorDesk } from '../test/support/floor-desk.js';
import { startKamailio, type SipUser } from '../test/support/kamailio.js';
import { fixtureIdentity, makeRoster } from '../test/support/roster-fixture.js';
import { StubSessionDescriptionHandler } from '../test/support/sip-node-ua.js';
import { round, type Bench, type BenchResult } from './harness.js';
import { sleep } from './support/page-clock.js';

const QUICK = process.env.BENCH_QUICK === '1';
const DESKS = QUICK ? 5 : 50;
const NOTES_PER_DESK = QUICK ? 20 : 200;
const TARGET_MS = 10_000;
const ASSETS = path.join(import.meta.dirname, '..', 'assets');
const call = { did: '0355550101', callerName: '佐藤 花子', callerNumber: '09012345678', receivedAt: '2026-12-05T09:30:00.000Z' };
const ACCOUNTS = ['desk-store-key', 'outbox-store-key', 'desk-identity-key', 'shift-kek', 'shift-kek-next'];

/** A desk's data directory holding `n` delivered notes (under its own shift key). */
async function dayOnDisk(dataDir: string, keyStore: KeyStore, n: number): Promise<void> {
  const audit = openAuditLog({ dir: path.join(dataDir, 'audit') });
  const vault = await openVault({ dir: path.join(dataDir, 'vault'), keyStore, audit, log: nullLogger });
  for (let i = 0; i < n; i++) {
    const m = vault.create({ callId: `bench-${i}`, clientId: `client-${i % 20}`, training: false, call });
    vault.save(m.id, { callerName: '佐藤 花子', freeText: `折り返しをお願いします ${i}` });
    vault.setState(m.id, 'ready');
    vault.setState(m.id, 'handing-off');
    vault.setState(m.id, 'delivered');
  }
  vault.close();
  audit.close();
}

interface BenchDesk {
  desk: Desk;
  line: Line;
  stop(): Promise<void>;
}

const bench: Bench = {
  title: `a shift lead clears ${DESKS} desks (${NOTES_PER_DESK} notes each) through Kamailio: confirm → every signed record back`,
  async run(): Promise<BenchResult[]> {
    const kam = await startKamailio();
    const root = await mkdtemp(path.join(tmpdir(), 'kotozute-floorclear-bench-'));
    const service = `Kotozute-bench-floorclear-${randomUUID().slice(0, 8)}`;
    const desks: BenchDesk[] = [];
    let lead: FloorDesk | undefined;
    try {
      const leadUser = await kam.newUser('lead');
      const users: SipUser[] = [];
      for (let i = 0; i < DESKS; i++) users.push(await kam.newUser('desk'));
      const uri = (u: SipUser) => `sip:${u.user}@${kam.domain}`;
      const fixture = await makeRoster({
        desks: [{ id: 'lead', sipUri: uri(leadUser), name: 'リーダー席' }, ...users.map((u, i) => ({ id: `desk-${i}`, sipUri: uri(u), name: `${i + 1}番席` }))],
        people: [{ id: 'sl-001', roles: ['shift-lead'], secret: 'lantern by the north door', name: '山本' }],
      });
      for (const [i, user] of users.entries()) {
        const dataDir = path.join(root, `desk-${i}`);
        const raw = createKeytarKeyStore({ service });
        const own = namespacedKeyStore(raw, { dataDir, adoptLegacy: false });
        await dayOnDisk(dataDir, own, NOTES_PER_DESK);
        const identity = fixtureIdentity(fixture, `desk-${i}`);
        const desk = await createDesk({ dataDir, assetsDir: ASSETS, keyStore: raw, log: nullLogger, floorIdentity: identity });
        const line = createLine(
          { server: kam.wsUrl, aor: uri(user), authUser: user.user, password: user.password, displayName: `desk-${i}` },
          { sessionDescriptionHandlerFactory: () => new StubSessionDescriptionHandler() },
        );
        if ((await line.connect()).registration !== 'registered') throw new Error(`floor-clearance bench: desk-${i} did not register`);
        // As the renderer's floor link does: a token to main, the report main hands back to the line.
        line.onFloorMessage(({ body, from }) => {
          void Promise.resolve(desk.handlers.floorDeliver({ body, from })).then((r) => {
            for (const m of r.messages ?? []) void line.sendFloorMessage(m.to, m.token).catch(() => undefined);
          });
        });
        await desk.handlers.floorReport({ activity: 'idle', since: Date.now(), call: null, line: 'registered' });
        desks.push({
          desk,
          line,
          async stop() {
            await line.disconnect().catch(() => undefined);
            await desk.close().catch(() => undefined);
            for (const account of ACCOUNTS) await own.delete(account).catch(() => false);
          },
        });
      }
      lead = await startFloorDesk({ server: kam, user: leadUser, fixture, deskId: 'lead', person: 'sl-001' });
      const l = lead;

      const start = performance.now();
      const { messages } = await l.floor.handlers.floorClearAll({ confirm: String(DESKS) });
      await Promise.all(messages.map((m) => l.line.sendFloorMessage(m.to, m.token, { answered: true }).catch(() => l.floor.handlers.floorClearanceUnsent({ deskId: m.deskId, nonce: m.nonce }))));
      const deadline = Date.now() + 60_000;
      for (;;) {
        const rows = l.floor.clearance.status().rows;
        if (rows.every((r) => r.status === 'cleared')) break;
        const stuck = rows.filter((r) => r.status !== 'clearing' && r.status !== 'cleared');
        if (stuck.length || Date.now() > deadline) throw new Error(`floor-clearance bench: ${JSON.stringify(rows.filter((r) => r.status !== 'cleared').map((r) => [r.deskId, r.status]))}`);
        await sleep(5);
      }
      const elapsed = performance.now() - start;
      const destroyed = l.floor.clearance.status().rows.reduce((n, r) => n + (r.record?.destroyed.notes.delivered ?? 0), 0);
      if (destroyed !== DESKS * NOTES_PER_DESK) throw new Error(`floor-clearance bench: the records count ${destroyed} notes destroyed, not ${DESKS * NOTES_PER_DESK}`);
      return [
        { name: 'floor-clearance', metric: `confirm → last signed record on the shift lead's status (${DESKS} desks × ${NOTES_PER_DESK} notes)`, value: round(elapsed), unit: 'ms', target: TARGET_MS },
      ];
    } finally {
      await lead?.stop().catch(() => undefined);
      for (const d of desks) await d.stop();
      await kam.stop();
      await rm(root, { recursive: true, force: true });
    }
  },
};

export default bench;
