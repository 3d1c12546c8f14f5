import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignInResult } from '../../../../../../shared/ipc/roster-contract.js';
import { openAuditLog, type AuditLog } from '../../../../../../electron/main/services/audit/audit-log.js';
import { generateAdminKeyPair } from '../../../../../../electron/main/services/directory/admin-key.js';
import { nullLogger } from '../../../../../../electron/main/services/log.js';
import { signRoster } from '../../../../../../electron/main/services/roster/roster-bundle.js';
import { personRef, RosterService } from '../../../../../../electron/main/services/roster/roster-service.js';
import { openEncryptedStore } from '../../../../../../electron/main/services/secure-store.js';
import { makeRoster, type RosterFixture } from '../../../../../support/roster-fixture.js';

const admin = generateAdminKeyPair();
const desks = [
  { id: 'desk-01', sipUri: 'sip:desk-01@pbx.example.test' },
  { id: 'desk-02', sipUri: 'sip:desk-02@pbx.example.test' },
];
const people = [
  { id: 'op-1', roles: ['operator' as const], secret: '2468', name: '田中 花子' },
  { id: 'sv-1', roles: ['supervisor' as const, 'operator' as const], secret: 'correct horse battery', name: '佐藤 一郎' },
];
let fixture: RosterFixture;
let dir: string;
let audit: AuditLog;
let clock: Date;
const storeKey = randomBytes(32);

beforeAll(async () => {
  fixture = await makeRoster({ desks, people, serial: 3 });
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kotozute-roster-svc-'));
  audit = openAuditLog({ dir: join(dir, 'audit') });
  clock = new Date('2026-12-01T01:00:00Z');
});
afterEach(async () => {
  audit.close();
  await rm(dir, { recursive: true, force: true });
});

/** A desk's roster service over the stores in `dir`, as desk-01 (a restart makes a new one). */
function service(deskId = 'desk-01'): RosterService {
  const rosterStore = openEncryptedStore({ dir, name: 'roster', key: storeKey }).store;
  const desk = openEncryptedStore({ dir, name: 'desk', key: storeKey }).store;
  return new RosterService({
    store: desk,
    rosterStore,
    pinnedKey: () => admin.publicKeyPem,
    deskKey: fixture.deskKeys.get(deskId)!,
    audit: () => audit,
    log: nullLogger,
    now: () => clock,
  });
}

const bundle = (roster: object = fixture.roster) => signRoster(JSON.stringify(roster), admin.privateKeyPem).toString('utf8');
const types = () => audit.read().map((e) => [e.type, e.reason ?? null]);

describe('the roster service', () => {
  it('is empty without a roster: nobody to sign in, no desk entry', async () => {
    const s = service();
    expect(s.state()).toEqual({ roster: null, signedIn: null, locked: false });
    expect(s.thisDesk()).toBeNull();
    await expect(s.signIn('op-1', '2468')).rejects.toMatchObject({ code: 'not-allowed' });
  });

  it('imports a roster, finds this desk by its key, and keeps it across a restart', () => {
    const s = service('desk-02');
    const state = s.import(bundle());
    expect(state.roster).toMatchObject({ team: 'テストチーム', serial: 3, desks: 2 });
    expect(state.roster!.people.map((p) => [p.id, p.secretKind])).toEqual([
      ['op-1', 'pin'],
      ['sv-1', 'passphrase'],
    ]);
    expect(s.thisDesk()?.id).toBe('desk-02');
    const restarted = service('desk-02');
    expect(restarted.load()).toBeNull();
    expect(restarted.roster()?.serial).toBe(3);
    expect(types()).toEqual([['roster-imported', null]]);
  });

  it('refuses an older roster and audits the refusal with its reason only', async () => {
    const s = service();
    const newer = await makeRoster({ desks, people: people.slice(0, 1), serial: 9 });
    s.import(bundle(newer.roster));
    expect(() => s.import(bundle())).toThrow(/older \(serial 3\)/);
    expect(() => s.import('{"format":"kotozute-roster"}')).toThrow(/unsigned/);
    expect(s.roster()?.serial).toBe(9);
    expect(types()).toEqual([
      ['roster-imported', null],
      ['roster-refused', 'older-serial'],
      ['roster-refused', 'unsigned'],
    ]);
  });

  it('signs a person in with the right secret and holds their key until sign-out', async () => {
    const s = service();
    s.import(bundle());
    const result = await s.signIn('sv-1', 'correct horse battery');
    expect(result).toMatchObject({ ok: true, state: { signedIn: { id: 'sv-1', roles: ['supervisor', 'operator'] } } });
    expect(s.signedIn()?.key.asymmetricKeyType).toBe('ed25519');
    expect(s.signOut().signedIn).toBeNull();
    expect(s.signedIn()).toBeNull();
    expect(types().slice(1)).toEqual([
      ['signed-in', null],
      ['signed-out', null],
    ]);
  });

  it('locks a person out after five wrong tries for five minutes, even across a restart, then lets them in', async () => {
    let s = service();
    s.import(bundle());
    for (let left = 4; left >= 1; left--) {
      expect(await s.signIn('op-1', '0000')).toEqual({ ok: false, reason: 'wrong-secret', triesLeft: left });
    }
    const until = new Date(clock.getTime() + 5 * 60_000).toISOString();
    expect(await s.signIn('op-1', '0000')).toEqual({ ok: false, reason: 'locked', until });
    s = service(); // a restart does not reset it
    s.load();
    expect(await s.signIn('op-1', '2468')).toEqual({ ok: false, reason: 'locked', until });
    // Another person on the same desk is not locked.
    expect((await s.signIn('sv-1', 'correct horse battery')).ok).toBe(true);
    clock = new Date(clock.getTime() + 5 * 60_000 - 1);
    expect((await s.signIn('op-1', '2468')).ok).toBe(false);
    clock = new Date(clock.getTime() + 1);
    expect(await s.signIn('op-1', '2468')).toMatchObject({ ok: true, state: { signedIn: { id: 'op-1' } } });
    // The switch signed the supervisor out first.
    const ref = personRef('op-1');
    const events = audit.read().slice(1);
    expect(events.map((e) => [e.type, e.reason ?? null])).toEqual([
      ['sign-in-refused', 'wrong-secret'],
      ['sign-in-refused', 'wrong-secret'],
      ['sign-in-refused', 'wrong-secret'],
      ['sign-in-refused', 'wrong-secret'],
      ['locked-out', null],
      ['sign-in-refused', 'locked-out'],
      ['signed-in', null],
      ['sign-in-refused', 'locked-out'],
      ['signed-out', 'switched'],
      ['signed-in', null],
    ]);
    expect(events[0]!.personRef).toBe(ref);
    const file = await readFile(audit.path, 'utf8');
    expect(file).not.toContain('op-1');
    expect(file).not.toContain('田中');
  });

  it('unlocks the idle lock only with the signed-in person\'s secret, counting wrong tries as sign-in does, and keeps the session', async () => {
    const s = service();
    s.import(bundle());
    expect(s.state().roster?.idleLockMinutes).toBe(10);
    await expect(s.unlock('2468')).rejects.toMatchObject({ code: 'not-allowed' });
    const since = (await s.signIn('op-1', '2468')).ok && s.state().signedIn!.since;
    clock = new Date(clock.getTime() + 60_000);
    // Another person's secret does not open this person's desk.
    expect(await s.unlock('correct horse battery')).toEqual({ ok: false, reason: 'wrong-secret', triesLeft: 4 });
    expect(await s.unlock('2468')).toMatchObject({ ok: true, state: { signedIn: { id: 'op-1', since } } });
    for (let left = 4; left >= 1; left--) expect(await s.unlock('0000')).toEqual({ ok: false, reason: 'wrong-secret', triesLeft: left });
    const until = new Date(clock.getTime() + 5 * 60_000).toISOString();
    expect(await s.unlock('0000')).toEqual({ ok: false, reason: 'locked', until });
    expect(await s.unlock('2468')).toEqual({ ok: false, reason: 'locked', until });
    // Still signed in (the lock screen stays up), and the key is still held.
    expect(s.signedIn()?.key.asymmetricKeyType).toBe('ed25519');
    expect(types().slice(1).map(([t]) => t)).toEqual(['signed-in', 'sign-in-refused', 'sign-in-refused', 'sign-in-refused', 'sign-in-refused', 'sign-in-refused', 'locked-out', 'sign-in-refused']);
  });

  it('holds the idle lock while someone is signed in: on at lock(), off at unlock, sign-in or sign-out only', async () => {
    const s = service();
    s.import(bundle());
    expect(s.lock().locked).toBe(false); // nobody to lock
    await s.signIn('op-1', '2468');
    expect(s.lock().locked).toBe(true);
    expect(s.state().locked).toBe(true);
    expect((await s.unlock('0000')).ok).toBe(false);
    expect(s.state().locked).toBe(true);
    expect(await s.unlock('2468')).toMatchObject({ ok: true, state: { locked: false } });
    s.lock();
    expect((await s.signIn('sv-1', 'correct horse battery')).ok).toBe(true);
    expect(s.state().locked).toBe(false);
    s.lock();
    expect(s.signOut().locked).toBe(false);
  });

  it('takes the idle lock delay from the roster policy', async () => {
    const custom = await makeRoster({ desks, people: people.slice(0, 1), serial: 4, policy: { idleLockMinutes: 3 } });
    const s = service();
    s.import(signRoster(JSON.stringify({ ...custom.roster, desks: fixture.roster.desks }), admin.privateKeyPem).toString('utf8'));
    expect(s.state().roster?.idleLockMinutes).toBe(3);
  });

  it('starts the count again after a successful sign-in', async () => {
    const s = service();
    s.import(bundle());
    for (let i = 0; i < 4; i++) await s.signIn('op-1', '9999');
    expect((await s.signIn('op-1', '2468')).ok).toBe(true);
    expect(await s.signIn('op-1', '9999')).toEqual({ ok: false, reason: 'wrong-secret', triesLeft: 4 });
  });

  it('runs concurrent guesses one at a time, so the fifth locks and the sixth is refused unchecked', async () => {
    const s = service();
    s.import(bundle());
    const results = await Promise.all(Array.from({ length: 7 }, () => s.signIn('op-1', '1111')));
    // Every outcome crosses the process boundary as the contract says.
    for (const r of [...results, await s.signIn('sv-1', 'correct horse battery')]) expect(SignInResult.parse(r)).toEqual(r);
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['wrong-secret', 'wrong-secret', 'wrong-secret', 'wrong-secret', 'locked', 'locked', 'locked']);
  });

  it('signs out a person a newer roster no longer lists', async () => {
    const s = service();
    s.import(bundle());
    await s.signIn('sv-1', 'correct horse battery');
    const newer = await makeRoster({ desks, people: people.slice(0, 1), serial: 4 });
    expect(s.import(bundle(newer.roster)).signedIn).toBeNull();
    expect(types().slice(-2)).toEqual([
      ['roster-imported', null],
      ['signed-out', 'roster-changed'],
    ]);
  });
});
