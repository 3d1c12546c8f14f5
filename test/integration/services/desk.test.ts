/**
 * The desk as the Electron main process and the dev-web harness create it: real keychain (gnome-keyring
 * under dbus-run-session), real encrypted store on disk, the bundled training directory.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryClipboard } from '../../../electron/main/services/clipboard/clipboard-guard.js';
import { createDesk, type Desk } from '../../../electron/main/services/desk.js';
import { createKeytarKeyStore } from '../../../electron/main/services/keychain.js';
import { nullLogger } from '../../../electron/main/services/log.js';
import { createDispatch } from '../../../electron/main/api/dispatch.js';
import { methodNames } from '../../../shared/ipc/contract.js';

const keyringReady = process.env.KOTOZUTE_KEYRING_READY === '1';
const assetsDir = path.resolve(import.meta.dirname, '../../../assets');
/** 10:00 on a Tuesday in Tokyo: business hours for every sample client. */
const tuesdayMorning = () => new Date('2026-12-01T01:00:00Z');

describe.skipIf(!keyringReady)('desk', () => {
  let dataDir: string;
  let desk: Desk | undefined;
  const service = `Kotozute-test-${process.pid}-${Date.now()}`;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'kotozute-desk-'));
  });
  afterEach(async () => {
    await desk?.close();
    desk = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  const open = async () => {
    desk = await createDesk({
      dataDir,
      assetsDir,
      keyStore: createKeytarKeyStore({ service }),
      log: nullLogger,
      now: tuesdayMorning,
    });
    return desk;
  };

  it('starts in training mode on the bundled sample directory with the keychain available', async () => {
    const { handlers } = await open();
    const state = await handlers.getDeskState(undefined);
    expect(state.mode).toBe('training');
    expect(state.keychain.ok).toBe(true);
    expect(state.directory.source).toBe('training-sample');
    expect(state.directory.clients).toBeGreaterThanOrEqual(6);
    expect(state.warnings).toEqual([]);
  });

  it('pops the chosen client with its script, answers, never-disclose list and staff board', async () => {
    const { handlers } = await open();
    const [first] = await handlers.listClients(undefined);
    expect(first).toBeDefined();
    const pop = await handlers.simulateCall({ clientId: first!.id, caller: { name: '山田 太郎', number: '09012345678' } });
    expect(pop.training).toBe(true);
    expect(pop.client?.id).toBe(first!.id);
    expect(pop.greeting).not.toBe('');
    expect(pop.client?.script.length).toBeGreaterThan(0);
    expect(pop.client?.answers.length).toBeGreaterThanOrEqual(8);
    expect(pop.client?.staff.every((s) => s.publicPhrase.length > 0)).toBe(true);
    expect(JSON.stringify(pop)).not.toMatch(/transferTarget|sip:/);
  });

  it('finds the client from the dialled number in either national or E.164 form', async () => {
    const { handlers } = await open();
    const [first] = await handlers.listClients(undefined);
    const national = first!.dids[0]!;
    const byNational = await handlers.simulateCall({ did: national, caller: { name: 'x', number: '0' } });
    const e164 = `+81${national.replace(/-/g, '').slice(1)}`;
    const byE164 = await handlers.simulateCall({ did: e164, caller: { name: 'x', number: '0' } });
    expect(byNational.client?.id).toBe(first!.id);
    expect(byE164.client?.id).toBe(first!.id);
  });

  it('pops the generic script for a number no client uses', async () => {
    const { handlers } = await open();
    const pop = await handlers.simulateCall({ did: '03-0000-0000', caller: { name: '', number: '' } });
    expect(pop.client).toBeNull();
    expect(pop.did).toBe('+81300000000');
  });

  it('keeps the language setting across a restart', async () => {
    const first = await open();
    await first.handlers.updateSettings({ locale: 'en' });
    await first.close();
    const second = await open();
    expect((await second.handlers.getSettings(undefined)).locale).toBe('en');
  });

  it('answers a clear error for a malformed argument on every API method', async () => {
    const { handlers } = await open();
    const dispatch = createDispatch(handlers, nullLogger);
    for (const method of methodNames) {
      const reply = await dispatch(method, {
        // One object wrong for every method at once: each method finds its own field malformed.
        bogus: 'x',
        clientId: 42,
        locale: 'fr',
        bundle: 7,
        limit: -1,
        noteId: 5,
        jobId: 5,
        callId: 5,
        profile: 5,
        ref: 5,
      });
      if (reply.ok) {
        // Methods that take no argument reject any argument at all.
        throw new Error(`${method} accepted a malformed argument`);
      }
      expect(reply.error.code).toBe('invalid-argument');
      expect(reply.error.message).toContain(method);
    }
    const unknown = await dispatch('deleteEverything', undefined);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });

  it('copies note text to the clipboard port it was given and clears it on close; without one (dev-web) refuses', async () => {
    const board = createMemoryClipboard();
    desk = await createDesk({ dataDir, assetsDir, keyStore: createKeytarKeyStore({ service }), log: nullLogger, now: tuesdayMorning, clipboard: board });
    const dispatch = createDispatch(desk.handlers, nullLogger);
    expect(await dispatch('copyNoteText', { text: '折り返し 090-1234-5678' })).toEqual({ ok: true, value: { clearsInMs: 30_000 } });
    expect(board).toMatchObject({ text: '折り返し 090-1234-5678', concealed: true });
    await desk.close();
    desk = undefined;
    expect(board.text).toBe('');

    const { handlers } = await open();
    expect(await createDispatch(handlers, nullLogger)('copyNoteText', { text: 'x' })).toMatchObject({ ok: false, error: { code: 'not-allowed' } });
  });

  it('refuses a directory import until an admin key is pinned, losing nothing', async () => {
    const { handlers } = await open();
    const sample = await readFile(path.join(assetsDir, 'training', 'sample-directory.kzdir'), 'utf8');
    await expect((async () => handlers.importDirectory({ bundle: sample }))()).rejects.toMatchObject({ code: 'not-allowed' });
    expect((await handlers.getDeskState(undefined)).directory.source).toBe('training-sample');
  });

  it('moves a corrupt encrypted store aside, reports it and starts', async () => {
    const first = await open();
    await first.handlers.updateSettings({ locale: 'ja' });
    await first.close();
    const files = await readdir(dataDir);
    const storeFile = files.find((f) => f.startsWith('desk') && f.endsWith('.json'));
    if (storeFile) await writeFile(path.join(dataDir, storeFile), '{"format":"kotozute-sealed","v":1,"garbage":');
    else await writeFile(path.join(dataDir, 'desk.json'), 'not json at all');
    const second = await open();
    const state = await second.handlers.getDeskState(undefined);
    expect(state.warnings.map((w) => w.code)).toContain('store-quarantined');
    expect((await readdir(dataDir)).some((f) => f.includes('.corrupt-'))).toBe(true);
  });
});
