/**
 * The keychain locked mid-shift, on the real Secret Service (test/support/with-keyring.sh): the
 * login collection is locked and unlocked as the desktop does it (test/support/keyring-lock.ts).
 * What the desk relies on: a locked keyring reads as 'locked', never as "no such secret"; notes
 * saved while it is locked survive the unlock and a restart; a desk started on it refuses notes with
 * the 'locked' reason and changes no file; a clearance it refuses leaves the desk whole.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../../electron/main/services/desk.js';
import { createKeytarKeyStore, KeychainError } from '../../../electron/main/services/keychain.js';
import { nullLogger } from '../../../electron/main/services/log.js';
import { canUnlockKeyring, keyringLocked, lockKeyring, unlockKeyring } from '../../support/keyring-lock.js';
import { fixtureIdentity, makeRoster } from '../../support/roster-fixture.js';
import { keyringReady, notReadyMessage, repoRoot } from './keychain-child.js';

const ready = keyringReady && canUnlockKeyring();
const service = `Kotozute-test-locked-${process.pid}-${Date.now()}`;
const keyStore = createKeytarKeyStore({ service, timeoutMs: 5_000 });
const caller = { name: '山田 太郎', number: '09012345678' };

let dataDir: string;
const desks: Desk[] = [];
const open = async (extra: Partial<Parameters<typeof createDesk>[0]> = {}) => {
  const desk = await createDesk({ dataDir, assetsDir: path.join(repoRoot, 'assets'), keyStore, log: nullLogger, ...extra });
  desks.push(desk);
  return desk;
};

/** Every file under `dir` with its size, mode and modification time. */
function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).map((e) => {
    const p = path.join(e.parentPath, e.name);
    const st = fs.statSync(p);
    return `${path.relative(dir, p)} ${e.isDirectory() ? 'dir' : st.size} ${st.mode.toString(8)} ${st.mtimeMs}`;
  }).sort();
}

/** What a call rejected with: its code and its details. */
async function refusal(call: () => unknown): Promise<{ code: unknown; details: unknown }> {
  try {
    await call();
  } catch (err) {
    const e = err as { code?: unknown; details?: unknown };
    return { code: e.code, details: e.details };
  }
  throw new Error('the call was not refused');
}

describe.skipIf(!ready)(`a keychain locked mid-shift${ready ? '' : ` — ${notReadyMessage}`}`, () => {
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-locked-'));
  });
  afterEach(async () => {
    for (const d of desks.splice(0)) await d.close();
    if (await keyringLocked()) await unlockKeyring();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads and deletes on a locked keyring answer "locked", not "no such secret", and the secret is there after the unlock', async () => {
    await keyStore.set('kept', 'a secret kept before the lock');
    await lockKeyring();
    const locked = await keyStore.get('kept').then(() => null, (err: unknown) => err);
    expect(locked).toBeInstanceOf(KeychainError);
    expect((locked as KeychainError).reason).toBe('locked');
    await expect(keyStore.get('never-stored')).rejects.toMatchObject({ reason: 'locked' });
    await expect(keyStore.delete('kept')).rejects.toMatchObject({ reason: 'locked' });
    await unlockKeyring();
    expect(await keyStore.get('kept')).toBe('a secret kept before the lock');
    expect(await keyStore.get('never-stored')).toBeNull();
    expect(await keyStore.delete('kept')).toBe(true);
  });

  it('keeps a note saved while the keychain is locked; a desk started on it refuses with "locked" and changes no file; after the unlock it starts with the note', async () => {
    const first = await open();
    const [client] = await first.handlers.listClients(undefined);
    const pop = await first.handlers.simulateCall({ clientId: client!.id, caller });
    const note = await first.handlers.openNote({ callId: pop.callId });

    await lockKeyring();
    await first.handlers.saveNote({ noteId: note.summary.id, fields: { freeText: '施錠中に保存した伝言' } });
    await desks.splice(0)[0]!.close();

    const before = files(dataDir);
    const onLocked = await open();
    const state = await onLocked.handlers.getDeskState(undefined);
    expect(state.keychain).toMatchObject({ ok: false, reason: 'locked' });
    expect(await refusal(() => onLocked.handlers.listNotes(undefined))).toMatchObject({ code: 'keychain-unavailable', details: ['locked', expect.any(String)] });
    expect(await refusal(() => onLocked.handlers.openNote({ callId: pop.callId }))).toMatchObject({ code: 'keychain-unavailable' });
    await desks.splice(0)[0]!.close();
    expect(files(dataDir)).toEqual(before);

    await unlockKeyring();
    const again = await open();
    expect((await again.handlers.getDeskState(undefined)).keychain).toEqual({ ok: true });
    expect((await again.handlers.openNote({ callId: pop.callId })).fields).toEqual({ freeText: '施錠中に保存した伝言' });
  });

  it('refuses a clearance on a locked keychain with "locked" and leaves the notes open', async () => {
    const roster = await makeRoster({
      desks: [{ id: 'desk-01', sipUri: 'sip:desk-01@pbx.test' }],
      people: [{ id: 'sl-001', roles: ['shift-lead'], secret: 'blue kettle under the stairs' }],
    });
    const identity = fixtureIdentity(roster, 'desk-01');
    identity.signIn({ person: roster.roster.people[0]!, key: await roster.personKey('sl-001'), since: new Date() });
    const desk = await open({ floorIdentity: identity });
    const [client] = await desk.handlers.listClients(undefined);
    const pop = await desk.handlers.simulateCall({ clientId: client!.id, caller });
    const note = await desk.handlers.openNote({ callId: pop.callId });

    await lockKeyring();
    expect(await refusal(() => desk.handlers.planClearance(undefined))).toMatchObject({ code: 'keychain-unavailable', details: ['locked'] });
    expect(await refusal(() => desk.handlers.clearDesk({ settlements: [], confirm: 'desk-01' }))).toMatchObject({ code: 'keychain-unavailable', details: ['locked'] });
    // Whole: the note is still open for typing, and listed.
    await desk.handlers.saveNote({ noteId: note.summary.id, fields: { freeText: 'クリア拒否の後も入力できる' } });
    expect((await desk.handlers.listNotes(undefined)).map((n) => n.id)).toEqual([note.summary.id]);

    await unlockKeyring();
    expect((await desk.handlers.planClearance(undefined)).shiftKey).toBe(true);
  });
});
