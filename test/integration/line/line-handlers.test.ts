/**
 * Pairing and provisioning a line on a real desk: the real keychain (gnome-keyring under
 * test/support/with-keyring.sh), the real encrypted store on disk, real signed directory bundles.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDesk, type Desk } from '../../../electron/main/services/desk.js';
import { namespacedKeyStore } from '../../../electron/main/services/keychain-namespace.js';
import { generateAdminKeyPair, signDirectory } from '../../../electron/main/services/directory/bundle.js';
import { createKeytarKeyStore, getOrCreateKey } from '../../../electron/main/services/keychain.js';
import { PINNED_ADMIN_KEY } from '../../../electron/main/services/provisioned-directory.js';
import { openEncryptedStore } from '../../../electron/main/services/secure-store.js';
import { createLogger } from '../../../electron/main/services/log.js';
import type { LineProfile } from '../../../shared/ipc/line-contract.js';
import { generateDirectory } from '../../support/generate-directory.js';
import { repoRoot, runInSession } from '../services/keychain-child.js';

const keyringReady = process.env.KOTOZUTE_KEYRING_READY === '1';
const assetsDir = path.resolve(import.meta.dirname, '../../../assets');
const PASSWORD = 'Pw-9f3kQ-unique-marker';
const TARGET = 'sip:7779123@pbx.example.test';

const profile: LineProfile = {
  server: 'wss://sip.example.test/ws',
  aor: 'sip:desk12@example.test',
  authUser: 'desk12',
  displayName: 'Desk 12',
  iceServers: [],
  maxCalls: 2,
  dtmfMode: 'rfc4733',
};

/** A signed bundle of three generated clients; client-1's first staff member has TARGET. */
function signedBundle(privateKeyPem: string, publisher = 'Floor directory'): string {
  const dir = generateDirectory({ clients: 3, didsPerClient: 2, answersPerClient: 2 });
  dir.publisher = publisher;
  dir.clients[1]!.staff[0]!.transferTarget = TARGET;
  return signDirectory(JSON.stringify(dir), privateKeyPem).toString('utf8');
}

function provisioningText(o: { adminPublicKey: string; directoryBundle?: string; line?: Record<string, unknown> }): string {
  return JSON.stringify({
    format: 'kotozute-provisioning',
    version: 1,
    line: o.line ?? { server: profile.server, aor: profile.aor, displayName: 'Floor 3' },
    adminPublicKey: o.adminPublicKey,
    ...(o.directoryBundle !== undefined ? { directoryBundle: o.directoryBundle } : {}),
  });
}

/** Every byte of every file under dir. */
async function allBytes(dir: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (const entry of await readdir(dir, { recursive: true })) {
    const file = path.join(dir, entry);
    if ((await stat(file)).isFile()) chunks.push(await readFile(file));
  }
  return Buffer.concat(chunks);
}

describe.skipIf(!keyringReady)('line handlers', () => {
  let dataDir: string;
  let desk: Desk | undefined;
  let logLines: string[];
  const service = `Kotozute-line-test-${process.pid}-${Date.now()}`;
  const keyStore = createKeytarKeyStore({ service });

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'kotozute-line-'));
    logLines = [];
  });
  afterEach(async () => {
    // The keychain is shared by the whole run: leave no password behind.
    await Promise.resolve(desk?.handlers.unpairLine(undefined)).catch(() => undefined);
    await desk?.close();
    desk = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The keychain as this desk sees it: its accounts are namespaced by its data folder. */
  const deskKeys = () => namespacedKeyStore(keyStore, { dataDir, adoptLegacy: false });

  const open = async () => {
    await desk?.close();
    desk = await createDesk({
      dataDir,
      assetsDir,
      keyStore,
      log: createLogger((line) => logLines.push(line)),
      now: () => new Date('2026-12-01T01:00:00Z'),
    });
    return desk.handlers;
  };

  it('keeps the SIP password in the keychain and in no file under the data folder, and goes live', async () => {
    const h = await open();
    const state = await h.pairLine({ profile, password: PASSWORD });
    expect(state).toMatchObject({ paired: true, hasPassword: true, profile: { aor: profile.aor } });
    expect(await deskKeys().get('sip-password')).toBe(PASSWORD);
    expect((await h.getLinePassword(undefined)).password).toBe(PASSWORD);
    expect((await h.getDeskState(undefined)).mode).toBe('live');

    const bytes = await allBytes(dataDir);
    expect(bytes.length).toBeGreaterThan(0);
    for (const secret of [PASSWORD, Buffer.from(PASSWORD).toString('base64'), 'desk12@example.test', 'sip.example.test']) {
      expect(bytes.includes(Buffer.from(secret)), `"${secret}" found on disk`).toBe(false);
    }
    expect(logLines.join('\n')).not.toContain(PASSWORD);

    // A restart keeps the line paired and the desk live; unpairing removes the password.
    const again = await open();
    expect((await again.getLine(undefined)).paired).toBe(true);
    expect((await again.getDeskState(undefined)).mode).toBe('live');
    expect(await again.unpairLine(undefined)).toEqual({ paired: false, profile: null, hasPassword: false });
    expect(await deskKeys().get('sip-password')).toBeNull();
    expect((await again.getDeskState(undefined)).mode).toBe('training');
  });

  it('refuses ws:// to a public host and a SIP URI without a user before saving anything', async () => {
    const h = await open();
    await expect(h.pairLine({ profile: { ...profile, server: 'ws://sip.example.com/ws' }, password: PASSWORD })).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/only wss:\/\//),
    });
    await expect(h.pairLine({ profile: { ...profile, aor: 'desk12@example.test' } })).rejects.toMatchObject({
      details: [expect.stringMatching(/^aor: /)],
    });
    expect(await h.getLine(undefined)).toEqual({ paired: false, profile: null, hasPassword: false });
    expect(await deskKeys().get('sip-password')).toBeNull();
    // ws:// to this computer is fine (a local test server).
    const local = await h.pairLine({ profile: { ...profile, server: 'ws://127.0.0.1:5066' } });
    expect(local.paired).toBe(true);
  });

  it('imports a provisioning profile: pins its key, loads the directory it signed, keeps no password', async () => {
    const admin = generateAdminKeyPair();
    const h = await open();
    const state = await h.importProvisioning({
      profile: provisioningText({ adminPublicKey: admin.publicKeyPem, directoryBundle: signedBundle(admin.privateKeyPem) }),
    });
    expect(state).toMatchObject({ paired: true, hasPassword: false, profile: { authUser: 'desk12', displayName: 'Floor 3' } });
    const desk1 = await h.getDeskState(undefined);
    expect(desk1.directory).toMatchObject({ source: 'provisioned', publisher: 'Floor directory', clients: 3 });
    expect(desk1.mode).toBe('live');

    // The key is pinned: a later directory signed by it is accepted, one signed by another is not.
    await expect((async () => h.importDirectory({ bundle: signedBundle(admin.privateKeyPem, 'Floor directory v2') }))()).resolves.toMatchObject({
      publisher: 'Floor directory v2',
    });
    const stranger = generateAdminKeyPair();
    await expect((async () => h.importDirectory({ bundle: signedBundle(stranger.privateKeyPem) }))()).rejects.toMatchObject({
      code: 'directory-invalid',
    });
  });

  it("refuses a profile carrying the admin's private key, naming the field; nothing is pinned, stored or logged", async () => {
    const admin = generateAdminKeyPair();
    const h = await open();
    const body = admin.privateKeyPem.split('\n')[1]!;
    const text = provisioningText({ adminPublicKey: admin.privateKeyPem, directoryBundle: signedBundle(admin.privateKeyPem) });
    await expect((async () => h.importProvisioning({ profile: text }))()).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringContaining("adminPublicKey holds a private key, not the admin's public key"),
      details: ['adminPublicKey: a private key was given where the public key is expected'],
    });
    // The key file itself picked as the profile: refused without quoting it.
    await expect((async () => h.importProvisioning({ profile: admin.privateKeyPem }))()).rejects.toMatchObject({
      message: expect.not.stringContaining(body),
    });
    expect(await h.getLine(undefined)).toEqual({ paired: false, profile: null, hasPassword: false });
    expect((await h.getDeskState(undefined)).directory.source).not.toBe('provisioned');
    expect(logLines.join('\n')).not.toContain(body);
    await desk?.close();
    desk = undefined;
    // The store is encrypted, so look through the desk's own API after a restart as well.
    const again = await open();
    await expect((async () => again.importDirectory({ bundle: signedBundle(admin.privateKeyPem) }))()).rejects.toMatchObject({ code: 'not-allowed' });
  });

  it('replaces a private key pinned by an older desk with its public half at start-up, and says so', async () => {
    const admin = generateAdminKeyPair();
    const h = await open();
    await h.importProvisioning({ profile: provisioningText({ adminPublicKey: admin.publicKeyPem, directoryBundle: signedBundle(admin.privateKeyPem) }) });
    await desk?.close();
    desk = undefined;
    // What a desk before this fix stored: the private PEM as the pinned key.
    const key = await getOrCreateKey(deskKeys(), 'desk-store-key');
    const { store } = openEncryptedStore({ dir: dataDir, name: 'desk', key });
    store.set(PINNED_ADMIN_KEY, admin.privateKeyPem);
    const body = admin.privateKeyPem.split('\n')[1]!;

    const reopened = await open();
    const state = await reopened.getDeskState(undefined);
    expect(state.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'admin-key-was-private' })]));
    expect(state.directory).toMatchObject({ source: 'provisioned', publisher: 'Floor directory' });
    const { store: check } = openEncryptedStore({ dir: dataDir, name: 'desk', key });
    expect(check.get(PINNED_ADMIN_KEY, z.string())).toBe(admin.publicKeyPem);
    expect(logLines.join('\n')).not.toContain(body);
  });

  it('refuses a profile whose directory another key signed, changing nothing', async () => {
    const admin = generateAdminKeyPair();
    const h = await open();
    await h.importProvisioning({ profile: provisioningText({ adminPublicKey: admin.publicKeyPem, directoryBundle: signedBundle(admin.privateKeyPem) }) });
    const before = { line: await h.getLine(undefined), desk: await h.getDeskState(undefined) };

    const other = generateAdminKeyPair();
    const forger = generateAdminKeyPair();
    const bad = provisioningText({
      adminPublicKey: other.publicKeyPem,
      directoryBundle: signedBundle(forger.privateKeyPem, 'Forged'),
      line: { server: 'wss://elsewhere.example.test', aor: 'sip:intruder@elsewhere.example.test' },
    });
    await expect(h.importProvisioning({ profile: bad })).rejects.toMatchObject({
      code: 'directory-invalid',
      message: expect.stringContaining('directoryBundle'),
    });
    expect(await h.getLine(undefined)).toEqual(before.line);
    expect((await h.getDeskState(undefined)).directory).toEqual(before.desk.directory);
    // The old key is still the pinned one.
    await expect((async () => h.importDirectory({ bundle: signedBundle(admin.privateKeyPem, 'Still trusted') }))()).resolves.toMatchObject({ publisher: 'Still trusted' });
  });

  it('drops the directory the old key signed when a profile pins a new key without one, also after a restart', async () => {
    const admin = generateAdminKeyPair();
    let h = await open();
    await h.importProvisioning({ profile: provisioningText({ adminPublicKey: admin.publicKeyPem, directoryBundle: signedBundle(admin.privateKeyPem) }) });
    expect((await h.getDeskState(undefined)).directory.source).toBe('provisioned');

    const successor = generateAdminKeyPair();
    await h.importProvisioning({ profile: provisioningText({ adminPublicKey: successor.publicKeyPem }) });
    // A live desk without a directory of its own has none (never the training sample).
    expect((await h.getDeskState(undefined)).directory.source).toBe('none');

    h = await open();
    const state = await h.getDeskState(undefined);
    expect(state.directory.source).toBe('none');
    expect(state.warnings.map((w) => w.code)).not.toContain('directory-invalid');
  });

  it('names the JSON path of every problem in a provisioning profile, and refuses one carrying a password', async () => {
    const h = await open();
    const admin = generateAdminKeyPair();
    await expect(h.importProvisioning({ profile: '{"format": "kotozute-provisioning",' })).rejects.toMatchObject({
      message: expect.stringMatching(/not JSON/),
    });
    const wrong = JSON.stringify({ format: 'kotozute-provisioning', version: 1, line: { server: 'ws://pbx.example.com', aor: 'sip:a@b' }, adminPublicKey: admin.publicKeyPem });
    await expect(h.importProvisioning({ profile: wrong })).rejects.toMatchObject({ details: [expect.stringMatching(/^line\.server: /)] });
    const missing = JSON.stringify({ format: 'kotozute-provisioning', version: 1, line: { server: profile.server }, adminPublicKey: 'not a key' });
    await expect(h.importProvisioning({ profile: missing })).rejects.toMatchObject({ details: expect.arrayContaining([expect.stringMatching(/^line\.aor: /)]) });
    const badKey = provisioningText({ adminPublicKey: 'not a key' });
    await expect(h.importProvisioning({ profile: badKey })).rejects.toMatchObject({ details: [expect.stringMatching(/^adminPublicKey: /)] });
    const withPassword = JSON.stringify({ ...JSON.parse(provisioningText({ adminPublicKey: admin.publicKeyPem })), line: { ...profile, password: 'x' } });
    await expect(h.importProvisioning({ profile: withPassword })).rejects.toMatchObject({ details: ['line.password: not allowed in a provisioning profile'] });
    expect((await h.getLine(undefined)).paired).toBe(false);
  });

  it('pops the client for a real call by its national or E.164 number, and a generic pop otherwise', async () => {
    const admin = generateAdminKeyPair();
    const h = await open();
    await h.importProvisioning({ profile: provisioningText({ adminPublicKey: admin.publicKeyPem, directoryBundle: signedBundle(admin.privateKeyPem) }) });
    const caller = { name: '<b>山田</b>', number: '09012345678' };
    // client-2's DIDs: 03-0000-0200 and +81600000201 (see generate-directory's didOf).
    const national = await h.popIncomingCall({ callId: 'c-1', did: '0300000200', caller });
    const e164 = await h.popIncomingCall({ callId: 'c-2', did: '+81600000201', caller });
    expect(national).toMatchObject({ training: false, client: { id: 'client-2' }, did: '+81300000200', caller });
    expect(e164.client?.id).toBe('client-2');
    const unknown = await h.popIncomingCall({ callId: 'c-3', did: '0399999999', caller });
    const none = await h.popIncomingCall({ callId: 'c-4', did: null, caller });
    expect(unknown.client).toBeNull();
    expect(none).toMatchObject({ client: null, did: '' });
    // The pop is remembered for the note: opening one for the call uses the main side's record.
    expect(logLines.join('\n')).not.toContain('09012345678');
  });

  it('lists every client name by normalised dialled number for the ringing strip, and nothing a pop hides', async () => {
    const admin = generateAdminKeyPair();
    const h = await open();
    await h.importProvisioning({ profile: provisioningText({ adminPublicKey: admin.publicKeyPem, directoryBundle: signedBundle(admin.privateKeyPem) }) });
    const { clients } = await h.clientLabels(undefined);
    // client-2's DIDs: 03-0000-0200 and +81600000201, normalised as the pop's lookup does.
    const two = clients.find((c) => c.id === 'client-2');
    expect(two).toEqual({ id: 'client-2', name: expect.any(String) as string, dids: ['+81300000200', '+81600000201'] });
    expect(two?.name).toBe((await h.popIncomingCall({ callId: 'c-l', did: '0300000200', caller: { name: '', number: '' } })).client?.name);
    // Labels only: no staff, no transfer target, no script.
    expect(JSON.stringify(clients)).not.toContain('7779123');
    expect(Object.keys(two ?? {}).sort()).toEqual(['dids', 'id', 'name']);
  });

  it('never pops a training-sample client for a real call on a paired desk that has no directory of its own', async () => {
    const h = await open();
    const caller = { name: '山田', number: '09012345678' };
    // Training: the sample's law office answers on 03-5550-0101 (assets/training/sample-directory.json).
    expect((await h.simulateCall({ clientId: 'sato-law', did: '0355500101', caller })).client?.id).toBe('sato-law');

    await h.pairLine({ profile, password: PASSWORD });
    const live = await h.getDeskState(undefined);
    expect(live).toMatchObject({ mode: 'live', directory: { source: 'none', clients: 0 } });
    const pop = await h.popIncomingCall({ callId: 'c-sample', did: '0355500101', caller });
    expect(pop).toMatchObject({ training: false, client: null });

    // Provisioned: the desk's own directory pops.
    const admin = generateAdminKeyPair();
    await h.importProvisioning({ profile: provisioningText({ adminPublicKey: admin.publicKeyPem, directoryBundle: signedBundle(admin.privateKeyPem) }) });
    expect((await h.popIncomingCall({ callId: 'c-own', did: '0300000200', caller })).client?.id).toBe('client-2');
  });

  it('resolves a staff transfer target for the REFER, while pops never contain it', async () => {
    const admin = generateAdminKeyPair();
    const h = await open();
    await h.importProvisioning({ profile: provisioningText({ adminPublicKey: admin.publicKeyPem, directoryBundle: signedBundle(admin.privateKeyPem) }) });
    const pop = await h.popIncomingCall({ callId: 'c-5', did: '0300000100', caller: { name: '', number: '' } });
    expect(pop.client?.id).toBe('client-1');
    expect(pop.client?.staff[0]).toMatchObject({ id: 's0', transferable: true });
    expect(JSON.stringify(pop)).not.toContain('7779123');

    expect(await h.resolveTransferTarget({ clientId: 'client-1', staffId: 's0' })).toEqual({ target: TARGET });
    await expect((async () => h.resolveTransferTarget({ clientId: 'client-1', staffId: 's1' }))()).rejects.toMatchObject({ code: 'not-found' });
    await expect((async () => h.resolveTransferTarget({ clientId: 'nobody', staffId: 's0' }))()).rejects.toMatchObject({ code: 'not-found' });
    expect(logLines.join('\n')).not.toContain('7779123');
  });

  it('refuses to pair without a keychain, saying why', () => {
    // A child process with no D-Bus at all: the real keychain module finds no Secret Service.
    const deskModule = pathToFileURL(path.join(repoRoot, 'electron/main/services/desk.ts')).href;
    const { value } = runInSession(
      { kind: 'no-bus' },
      `
      const { createDesk } = await import(${JSON.stringify(deskModule)});
      const desk = await createDesk({
        dataDir: scratch + '/data',
        assetsDir: ${JSON.stringify(assetsDir)},
        keyStore: keychain.createKeytarKeyStore({ timeoutMs: 3000 }),
        log: { debug() {}, info() {}, warn() {}, error() {} },
      });
      const profile = ${JSON.stringify(profile)};
      const refused = await desk.handlers.pairLine({ profile, password: 'x' }).then(() => null, (e: { code: string; message: string }) => ({ code: e.code, message: e.message }));
      print({ refused, mode: (await desk.handlers.getDeskState(undefined)).mode });
      await desk.close();
      `,
    );
    expect(value).toEqual({
      refused: { code: 'keychain-unavailable', message: expect.stringMatching(/keychain is not available.*no Secret Service/) },
      mode: 'training',
    });
  });
});
