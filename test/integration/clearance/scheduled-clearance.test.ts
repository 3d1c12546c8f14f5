/**
 * The daily scheduled clearance through the desk itself (createDesk, real keychain, roster policy
 * 22:00 Asia/Tokyo): a desk that was off at the time clears at its next start, before its API exists
 * (so before any note can be opened), and its record says so (by the schedule, late, due time);
 * a desk holding undelivered messages clears nothing and says "needs attention" with the counts.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../../electron/main/services/desk.js';
import { verifyRecordSignature } from '../../../electron/main/services/clearance/deletion-record.js';
import { createKeytarKeyStore, type KeyStore } from '../../../electron/main/services/keychain.js';
import { namespacedKeyStore } from '../../../electron/main/services/keychain-namespace.js';
import { nullLogger } from '../../../electron/main/services/log.js';
import { publicKeyFromText } from '../../../electron/main/services/roster/ed25519.js';
import { SHIFT_KEK_ACCOUNT } from '../../../electron/main/services/vault/vault.js';
import { fixtureIdentity, makeRoster, type RosterFixture } from '../../support/roster-fixture.js';
import { keyringReady, notReadyMessage, repoRoot } from '../services/keychain-child.js';
import { makeDay, type DayFixture } from './clearance-fixture.js';

/** 22:00 Tokyo on 2026-12-05. */
const DUE = Date.parse('2026-12-05T13:00:00Z');
const HOUR = 3_600_000;

let desk: Desk | undefined;
let fx: DayFixture | undefined;
let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await desk?.close();
  desk = undefined;
  await fx?.cleanup();
  fx = undefined;
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

let roster: RosterFixture | undefined;
async function scheduledRoster(): Promise<RosterFixture> {
  roster ??= await makeRoster({
    desks: [{ id: 'desk-01', sipUri: 'sip:desk-01@pbx.test' }],
    people: [{ id: 'op-001', roles: ['operator'], secret: '2468' }],
    policy: { clearance: { dailyAt: '22:00', timeZone: 'Asia/Tokyo' } },
  });
  return roster;
}

async function start(dataDir: string, service: string, at: number): Promise<Desk> {
  const r = await scheduledRoster();
  desk = await createDesk({
    dataDir,
    assetsDir: path.join(repoRoot, 'assets'),
    keyStore: createKeytarKeyStore({ service, timeoutMs: 5_000 }),
    log: nullLogger,
    floorIdentity: fixtureIdentity(r, 'desk-01'),
    now: () => new Date(at),
  });
  return desk;
}

async function stop(): Promise<void> {
  await desk?.close();
  desk = undefined;
}

describe.skipIf(!keyringReady)(`the scheduled clearance on the desk${keyringReady ? '' : ` — ${notReadyMessage}`}`, () => {
  it('clears a desk that was off at the time at its next start, before any note can be opened, and records that it was late', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-sched-'));
    const service = `Kotozute-test-sched-${process.pid}-${randomUUID().slice(0, 8)}`;
    const keys: KeyStore = namespacedKeyStore(createKeytarKeyStore({ service, timeoutMs: 5_000 }), { dataDir, adoptLegacy: false });
    cleanup.push(async () => {
      for (const a of [SHIFT_KEK_ACCOUNT, 'shift-kek-next', 'outbox-store-key', 'desk-store-key', 'desk-identity-key']) await keys.delete(a).catch(() => false);
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    // 20:00 Tokyo: the desk runs, takes a (training) note, nothing undelivered; it is closed before 22:00.
    let handlers = (await start(dataDir, service, DUE - 2 * HOUR)).handlers;
    const pop = await handlers.simulateCall({ did: '0120-000-000', caller: { name: '練習 太郎', number: '0311112222' } });
    const note = await handlers.openNote({ callId: pop.callId });
    await handlers.saveNote({ noteId: note.summary.id, fields: { freeText: '練習の伝言' } });
    const kekBefore = await keys.get(SHIFT_KEK_ACCOUNT);
    expect(await handlers.listNotes(undefined)).toHaveLength(1);
    await stop();
    const noteFile = path.join(dataDir, 'vault', 'notes', `${note.summary.id}.note`);
    expect(fs.existsSync(noteFile)).toBe(true);

    // The next morning, 09:00 Tokyo: by the time the desk (and so its API) exists, it is cleared.
    handlers = (await start(dataDir, service, DUE + 11 * HOUR)).handlers;
    expect(fs.existsSync(noteFile)).toBe(false);
    expect(await keys.get(SHIFT_KEK_ACCOUNT)).not.toBe(kekBefore);
    expect(await handlers.listNotes(undefined)).toEqual([]);

    const notice = await handlers.getClearanceNotice(undefined);
    expect(notice.attention).toBeNull();
    expect(notice.cleared).toEqual({ seq: 1, at: new Date(DUE + 11 * HOUR).toISOString(), by: { kind: 'schedule' }, late: true, due: new Date(DUE).toISOString() });

    const [record] = fs.readdirSync(path.join(dataDir, 'records')).map((f) => JSON.parse(fs.readFileSync(path.join(dataDir, 'records', f), 'utf8')) as import('../../../shared/clearance/schema.js').DeletionRecord);
    expect(record).toMatchObject({ by: { role: 'schedule' }, schedule: { due: new Date(DUE).toISOString(), late: true }, destroyed: { notes: { training: 1 } } });
    const r = await scheduledRoster();
    expect(verifyRecordSignature(record!, publicKeyFromText(r.roster.desks[0]!.publicKey))).toBe(true);
    // The audit line names no person for a clearance by the schedule.
    const cleared = (await handlers.getAudit({ limit: 50 })).events.filter((e) => e.type === 'desk-cleared');
    expect(cleared).toHaveLength(1);
    expect(cleared[0]!.personRef).toBeUndefined();

    // Dismissed, the notice stays dismissed across a restart; the same day does not clear again.
    await handlers.dismissClearanceNotice({ seq: 1 });
    await stop();
    handlers = (await start(dataDir, service, DUE + 12 * HOUR)).handlers;
    expect(await handlers.getClearanceNotice(undefined)).toEqual({ cleared: null, attention: null });
    expect(fs.readdirSync(path.join(dataDir, 'records'))).toHaveLength(1);
  });

  it('clears nothing on a desk holding undelivered messages and says it needs attention, with the counts', async () => {
    fx = await makeDay();
    // First start (20:00): the desk sees the policy; it is closed before 22:00.
    await start(fx.dataDir, fx.service, DUE - 2 * HOUR);
    await stop();
    const handlers = (await start(fx.dataDir, fx.service, DUE + 11 * HOUR)).handlers;
    expect(await handlers.listNotes(undefined)).toHaveLength(5);
    expect(fs.existsSync(path.join(fx.dataDir, 'records'))).toBe(false);
    const notice = await handlers.getClearanceNotice(undefined);
    expect(notice.cleared).toBeNull();
    expect(notice.attention).toMatchObject({ source: 'schedule', counts: { undelivered: 4, failed: 1 } });
  });
});
