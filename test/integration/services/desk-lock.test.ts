/**
 * The idle lock held by the main process (issue 11 §2), through the desk's own handlers on real
 * parts (a real gnome-keyring under test/support/with-keyring.sh, the vault on disk): while the
 * signed-in person's desk is locked a note's content is refused, while its autosave goes on; once
 * unlocked the note comes back with what was saved meanwhile.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../../electron/main/services/desk.js';
import { generateAdminKeyPair } from '../../../electron/main/services/directory/admin-key.js';
import { createKeytarKeyStore } from '../../../electron/main/services/keychain.js';
import { nullLogger } from '../../../electron/main/services/log.js';
import { createDispatch } from '../../../electron/main/api/dispatch.js';
import { provisioningProfile } from '../../support/provisioning-profile.js';
import { makeRoster } from '../../support/roster-fixture.js';

const keyringReady = process.env.KOTOZUTE_KEYRING_READY === '1';
const assetsDir = path.resolve(import.meta.dirname, '../../../assets');
const caller = { name: '山田 太郎', number: '09012345678' };

/** Runs a handler that may throw at once or reject later, as a promise either way. */
const call = <T>(run: () => T | Promise<T>): Promise<T> => (async () => run())();

describe.skipIf(!keyringReady)('the idle lock in the main process', () => {
  const service = `Kotozute-lock-${process.pid}-${Date.now()}`;
  let dataDir: string;
  let desk: Desk | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'kotozute-lock-'));
  });
  afterEach(async () => {
    await desk?.close();
    desk = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A desk provisioned with a one-person roster, that person signed in. */
  async function signedInDesk(): Promise<Desk> {
    const admin = generateAdminKeyPair();
    const fixture = await makeRoster({ desks: [{ id: 'desk-01', sipUri: 'sip:desk-01@pbx.example.test' }], people: [{ id: 'op-1', roles: ['operator'], secret: '2468' }] });
    desk = await createDesk({ dataDir, assetsDir, keyStore: createKeytarKeyStore({ service, timeoutMs: 5_000 }), log: nullLogger });
    await desk.handlers.importProvisioning({
      profile: provisioningProfile(admin, { line: { server: 'wss://pbx.example.test:8443', aor: 'sip:desk-01@pbx.example.test' }, roster: fixture.roster }),
    });
    expect(await desk.handlers.signIn({ personId: 'op-1', secret: '2468' })).toMatchObject({ ok: true });
    return desk;
  }

  it("refuses a note's content while locked, keeps autosaving it, and gives it back after unlocking", async () => {
    const { handlers } = await signedInDesk();
    const callId = randomUUID();
    await handlers.popIncomingCall({ callId, did: '0312345678', caller });
    const opened = await handlers.openNote({ callId });

    expect((await handlers.lockDesk(undefined)).locked).toBe(true);
    await expect(call(() => handlers.openNote({ callId }))).rejects.toMatchObject({ code: 'desk-locked' });
    await expect(call(() => handlers.listNotes(undefined))).rejects.toMatchObject({ code: 'desk-locked' });
    await expect(call(() => handlers.popIncomingCall({ callId: randomUUID(), did: '0312345678', caller }))).rejects.toMatchObject({ code: 'desk-locked' });
    // Autosave of the note already open goes on underneath.
    const saved = await handlers.saveNote({ noteId: opened.summary.id, fields: { callerName: '佐藤 花子', freeText: '折り返しを希望' } });
    expect(saved.saves).toBe(1);
    // The lock itself can be asked about.
    expect((await handlers.rosterState(undefined)).locked).toBe(true);

    // A wrong secret leaves it locked.
    expect(await handlers.unlock({ secret: '0000' })).toMatchObject({ ok: false });
    await expect(call(() => handlers.openNote({ callId }))).rejects.toMatchObject({ code: 'desk-locked' });

    expect(await handlers.unlock({ secret: '2468' })).toMatchObject({ ok: true });
    expect((await handlers.openNote({ callId })).fields).toEqual({ callerName: '佐藤 花子', freeText: '折り返しを希望' });
    expect((await handlers.listNotes(undefined)).map((n) => n.id)).toEqual([opened.summary.id]);
  });

  it('answers the refusal as a typed error envelope through the dispatch both transports use', async () => {
    const { handlers } = await signedInDesk();
    const dispatch = createDispatch(handlers, nullLogger);
    await handlers.lockDesk(undefined);
    expect(await dispatch('listOutbox', undefined)).toMatchObject({ ok: false, error: { code: 'desk-locked' } });
    expect(await dispatch('getDeskState', undefined)).toMatchObject({ ok: true });
    expect(await handlers.unlock({ secret: '2468' })).toMatchObject({ ok: true });
    expect(await dispatch('listOutbox', undefined)).toEqual({ ok: true, value: [] });
  });
});
