/**
 * The clearance through the desk's own handlers (createDesk, real keychain): only a signed-in shift
 * lead may plan, clear or list records; after a realistic session (training notes taken and handed
 * off, live notes undelivered, failed and handing off, a crash dump) every file under the data
 * directory is a kind the inventory names (docs/clearance.md), before and after the clearance.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { unlistedPaths } from '../../../electron/main/services/clearance/inventory.js';
import { createDesk, type Desk } from '../../../electron/main/services/desk.js';
import { createKeytarKeyStore, KeychainError, type KeyStore } from '../../../electron/main/services/keychain.js';
import { nullLogger } from '../../../electron/main/services/log.js';
import { fixtureIdentity, makeRoster } from '../../support/roster-fixture.js';
import { keyringReady, notReadyMessage, repoRoot } from '../services/keychain-child.js';
import { makeDay, settleAll, type DayFixture } from './clearance-fixture.js';

let fx: DayFixture | undefined;
let desk: Desk | undefined;
afterEach(async () => {
  await desk?.close();
  desk = undefined;
  await fx?.cleanup();
  fx = undefined;
});

/** The keychain, with a switch that makes writing the shift key fail (a keychain that gives out mid-clearance). */
function flakyKeychain(f: DayFixture) {
  const inner = createKeytarKeyStore({ service: f.service, timeoutMs: 5_000 });
  /** How many writes of the shift key fail from now on. */
  const state = { failures: 0 };
  const keyStore: KeyStore = {
    get: (a) => inner.get(a),
    delete: (a) => inner.delete(a),
    set: async (a, secret) => {
      if (state.failures > 0 && a.startsWith('shift-kek@') && state.failures--) throw new KeychainError('locked', 'The keyring is locked.');
      return inner.set(a, secret);
    },
  };
  return { keyStore, state };
}

async function deskOn(f: DayFixture, keyStore: KeyStore = createKeytarKeyStore({ service: f.service, timeoutMs: 5_000 })) {
  const roster = await makeRoster({
    desks: [{ id: 'desk-01', sipUri: 'sip:desk-01@pbx.test' }],
    people: [
      { id: 'op-001', roles: ['operator'], secret: '2468' },
      { id: 'sl-001', roles: ['shift-lead'], secret: 'blue kettle under the stairs' },
    ],
  });
  // The fixture's data directory was made with the day's KEK under this desk's own keychain accounts.
  const identity = fixtureIdentity(roster, 'desk-01');
  identity.signIn(null);
  desk = await createDesk({
    dataDir: f.dataDir,
    assetsDir: path.join(repoRoot, 'assets'),
    keyStore,
    log: nullLogger,
    floorIdentity: identity,
  });
  const signIn = async (id: string) => {
    const person = roster.roster.people.find((p) => p.id === id)!;
    identity.signIn({ person, key: await roster.personKey(id), since: new Date() });
  };
  return { handlers: desk.handlers, signIn, signOut: () => identity.signIn(null) };
}

describe.skipIf(!keyringReady)(`the clearance on the desk${keyringReady ? '' : ` — ${notReadyMessage}`}`, () => {
  it('refuses everyone but a signed-in shift lead, and a confirmation that is not the desk id', async () => {
    fx = await makeDay();
    const { handlers, signIn, signOut } = await deskOn(fx);
    signOut();
    await expect(handlers.planClearance(undefined)).rejects.toThrow(/Nobody is signed in/);
    await signIn('op-001');
    await expect(handlers.planClearance(undefined)).rejects.toThrow(/Only a shift lead/);
    await expect(handlers.clearDesk({ settlements: settleAll(fx), confirm: 'desk-01' })).rejects.toThrow(/Only a shift lead/);
    await expect(handlers.listDeletionRecords({ limit: 10 })).rejects.toThrow(/Only a shift lead/);
    await signIn('sl-001');
    await expect(handlers.clearDesk({ settlements: settleAll(fx), confirm: 'desk-02' })).rejects.toThrow(/Type the desk's id/);
    expect(await handlers.listDeletionRecords({ limit: 10 })).toEqual([]);
    expect((await handlers.listNotes(undefined)).length).toBe(5);
  });

  it('names every file a realistic session leaves under the data directory, before and after a clearance', async () => {
    fx = await makeDay();
    const { handlers, signIn } = await deskOn(fx);
    // A training session on top of the day's live notes: one handed off (wiped), one left open.
    const [client] = await handlers.listClients(undefined);
    for (const handOff of [true, false]) {
      const pop = await handlers.simulateCall({ clientId: client!.id, caller: { name: '練習 太郎', number: '0311112222' } });
      const note = await handlers.openNote({ callId: pop.callId });
      await handlers.saveNote({ noteId: note.summary.id, fields: { freeText: '練習の伝言' } });
      if (handOff) await handlers.handOffNote({ noteId: note.summary.id });
    }
    expect(unlistedPaths(fx.dataDir)).toEqual([]);

    await signIn('sl-001');
    const plan = await handlers.planClearance(undefined);
    expect(plan.notes.training).toBe(2);
    expect(plan.undelivered).toHaveLength(4);
    const record = await handlers.clearDesk({ settlements: settleAll(fx), confirm: 'desk-01' });
    expect(record.destroyed.notes.training).toBe(2);
    // The desk goes on at once: the carried-over note is there and opens.
    expect((await handlers.listNotes(undefined)).map((n) => n.id)).toEqual([fx.ids.failed]);
    expect(await handlers.listDeletionRecords({ limit: 10 })).toEqual([record]);
    expect(unlistedPaths(fx.dataDir)).toEqual([]);

    // And the check can fail: a file of a kind nobody listed is named.
    fs.mkdirSync(path.join(fx.dataDir, 'exports'));
    fs.writeFileSync(path.join(fx.dataDir, 'exports', 'calls.csv'), 'x');
    expect(unlistedPaths(fx.dataDir)).toEqual(['exports/calls.csv']);
  });

  it('keeps the notes closed when the keychain gives out after the commit, and finishes the clearance at the next start', async () => {
    fx = await makeDay();
    const flaky = flakyKeychain(fx);
    const first = await deskOn(fx, flaky.keyStore);
    await first.signIn('sl-001');
    flaky.state.failures = Infinity;
    // The old shift key is deleted, the new one cannot be written: no shift key at all in the keychain.
    await expect(first.handlers.clearDesk({ settlements: settleAll(fx), confirm: 'desk-01' })).rejects.toThrow(/keychain/);
    // Opening the vault now would make a fresh key and quarantine the carried-over note: it stays closed.
    await expect(Promise.resolve().then(() => first.handlers.listNotes(undefined))).rejects.toThrow(/closed/);
    await desk!.close();
    desk = undefined;

    flaky.state.failures = 0;
    const again = await deskOn(fx, flaky.keyStore);
    expect((await again.handlers.getDeskState(undefined)).warnings.map((w) => w.code)).toContain('clearance-finished');
    const notes = await again.handlers.listNotes(undefined);
    expect(notes.map((n) => n.id)).toEqual([fx.ids.failed]);
    await again.handlers.openNote({ callId: notes[0]!.callId });
    await again.signIn('sl-001');
    expect(await again.handlers.listDeletionRecords({ limit: 10 })).toHaveLength(1);
  });

  it('finishes a clearance whose keychain gave out once after the commit before the vault opens again', async () => {
    fx = await makeDay();
    const flaky = flakyKeychain(fx);
    const { handlers, signIn } = await deskOn(fx, flaky.keyStore);
    await signIn('sl-001');
    flaky.state.failures = 1;
    const record = await handlers.clearDesk({ settlements: settleAll(fx), confirm: 'desk-01' });
    expect(record.carriedOver.notes).toBe(1);
    // Finished before the vault opened: the carried-over note opens under the new key, not quarantined under a fresh one.
    const notes = await handlers.listNotes(undefined);
    expect(notes.map((n) => n.id)).toEqual([fx.ids.failed]);
    expect((await handlers.openNote({ callId: notes[0]!.callId })).fields).toEqual(fx.content.get(fx.ids.failed));
    expect(await handlers.listDeletionRecords({ limit: 10 })).toEqual([record]);
  });
});
