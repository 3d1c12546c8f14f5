/**
 * Desk identity and keychain namespacing with the real keychain (gnome-keyring under with-keyring.sh):
 * two data directories on one computer get two desk keys and two store keys; the default profile
 * adopts the secrets an installed desk kept under the old, bare account names.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDesk, type Desk } from '../../../electron/main/services/desk.js';
import { createKeytarKeyStore, getOrCreateKey } from '../../../electron/main/services/keychain.js';
import { keychainNamespace, namespacedAccount, namespacedKeyStore } from '../../../electron/main/services/keychain-namespace.js';
import { nullLogger } from '../../../electron/main/services/log.js';
import { generateAdminKeyPair } from '../../../electron/main/services/directory/admin-key.js';
import { signRoster } from '../../../electron/main/services/roster/roster-bundle.js';
import { makeRoster } from '../../support/roster-fixture.js';
import { DESK_KEY_ACCOUNT, readEnrolment } from '../../../electron/main/services/roster/desk-key.js';
import { openEncryptedStore } from '../../../electron/main/services/secure-store.js';
import { LINE_PROFILE_KEY } from '../../../electron/main/services/line-handlers.js';

const keyringReady = process.env.KOTOZUTE_KEYRING_READY === '1';
const assetsDir = path.resolve(import.meta.dirname, '../../../assets');

describe.skipIf(!keyringReady)('desk identity in the real keychain', () => {
  const service = `Kotozute-identity-${process.pid}-${Date.now()}`;
  const raw = createKeytarKeyStore({ service, timeoutMs: 3000 });
  const dirs: string[] = [];
  const desks: Desk[] = [];
  let a: string;
  let b: string;

  beforeEach(async () => {
    a = await mkdtemp(path.join(os.tmpdir(), 'kotozute-id-a-'));
    b = await mkdtemp(path.join(os.tmpdir(), 'kotozute-id-b-'));
    dirs.push(a, b);
  });
  afterEach(async () => {
    for (const d of desks.splice(0)) await d.close();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  const open = async (dataDir: string, adoptLegacyKeychain = false) => {
    const desk = await createDesk({ dataDir, assetsDir, keyStore: createKeytarKeyStore({ service }), log: nullLogger, adoptLegacyKeychain });
    desks.push(desk);
    return desk;
  };

  it('gives two data directories two different desk keys, each kept across a restart', async () => {
    const first = await (await open(a)).handlers.deskIdentity(undefined);
    const second = await (await open(b)).handlers.deskIdentity(undefined);
    if (!first.ok || !second.ok) throw new Error('no desk identity');
    expect(first.publicKey).not.toBe(second.publicKey);
    expect(first.enrolment).toMatch(/^kotozute-desk:/);
    for (const d of desks.splice(0)) await d.close();
    const again = await (await open(a)).handlers.deskIdentity(undefined);
    expect(again.ok && again.publicKey).toBe(first.publicKey);
    // The seed is in the keychain under the namespaced account, not under the bare name.
    expect(await raw.get(namespacedAccount(DESK_KEY_ACCOUNT, keychainNamespace(a)))).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await raw.get(DESK_KEY_ACCOUNT)).toBeNull();
  });

  it('keeps each desk its own SIP password: pairing one desk on this computer never changes another', async () => {
    const profile = (user: string) => ({ server: 'ws://127.0.0.1:9/ws', aor: `sip:${user}@pbx.example.test`, authUser: user, displayName: user, iceServers: [], maxCalls: 2, dtmfMode: 'rfc4733' as const });
    const deskA = await open(a);
    const deskB = await open(b);
    await deskA.handlers.pairLine({ profile: profile('desk-a'), password: 'password-of-a' });
    await deskB.handlers.pairLine({ profile: profile('desk-b'), password: 'password-of-b' });
    expect(await deskA.handlers.getLinePassword(undefined)).toEqual({ password: 'password-of-a' });
    expect(await deskB.handlers.getLinePassword(undefined)).toEqual({ password: 'password-of-b' });
    await deskB.handlers.unpairLine(undefined);
    expect(await deskA.handlers.getLinePassword(undefined)).toEqual({ password: 'password-of-a' });
  });

  it('lets the default profile adopt an old bare account once, and no other profile', async () => {
    const old = await getOrCreateKey(raw, 'desk-store-key');
    const other = namespacedKeyStore(raw, { dataDir: b, adoptLegacy: false });
    expect(await other.get('desk-store-key')).toBeNull();
    const adopting = namespacedKeyStore(raw, { dataDir: a, adoptLegacy: true });
    expect(Buffer.from((await adopting.get('desk-store-key'))!, 'base64')).toEqual(old);
    expect(await raw.get('desk-store-key')).toBeNull();
    expect(await raw.get(namespacedAccount('desk-store-key', keychainNamespace(a)))).toBe(old.toString('base64'));
    // Adopted once: a second default-profile reader finds it namespaced, another profile still nothing.
    expect(Buffer.from((await adopting.get('desk-store-key'))!, 'base64')).toEqual(old);
    expect(await other.get('desk-store-key')).toBeNull();
  });

  it("keeps an installed desk's sealed settings readable after the upgrade (default profile)", async () => {
    // Before namespacing: the store key under the bare name, and the line sealed with it.
    const before = await getOrCreateKey(raw, 'desk-store-key');
    const profile = { server: 'wss://pbx.example.test:8443', aor: 'sip:desk-09@pbx.example.test', authUser: 'desk-09' };
    openEncryptedStore({ dir: a, name: 'desk', key: before }).store.set(LINE_PROFILE_KEY, profile);
    const desk = await open(a, true);
    expect((await desk.handlers.getLine(undefined)).profile).toMatchObject(profile);
    expect((await desk.handlers.getDeskState(undefined)).warnings).toEqual([]);
    // The enrolment string carries the paired SIP URI.
    const id = await desk.handlers.deskIdentity(undefined);
    const enrolment = id.ok ? readEnrolment(id.enrolment) : null;
    expect(enrolment).toMatchObject({ name: 'desk-09', sipUri: 'sip:desk-09@pbx.example.test' });
  });

  it('imports the roster a provisioning profile carries, and refuses the whole profile when its roster is signed by another key', async () => {
    const admin = generateAdminKeyPair();
    const other = generateAdminKeyPair();
    const fixture = await makeRoster({ desks: [{ id: 'desk-01', sipUri: 'sip:desk-01@pbx.example.test' }], people: [{ id: 'op-1', roles: ['operator'], secret: '2468' }] });
    const profile = (rosterBundle: string) =>
      JSON.stringify({
        format: 'kotozute-provisioning',
        version: 1,
        line: { server: 'wss://pbx.example.test:8443', aor: 'sip:desk-01@pbx.example.test' },
        adminPublicKey: admin.publicKeyPem,
        rosterBundle,
      });
    const desk = await open(a);
    await expect(desk.handlers.importProvisioning({ profile: profile(signRoster(JSON.stringify(fixture.roster), other.privateKeyPem).toString()) })).rejects.toMatchObject({
      code: 'roster-invalid',
      message: expect.stringMatching(/^The provisioning profile was not imported: its rosterBundle the roster was signed by another key/),
    });
    expect((await desk.handlers.getLine(undefined)).paired).toBe(false);
    await desk.handlers.importProvisioning({ profile: profile(signRoster(JSON.stringify(fixture.roster), admin.privateKeyPem).toString()) });
    expect((await desk.handlers.rosterState(undefined)).roster).toMatchObject({ team: 'テストチーム', serial: 1 });
    expect(await desk.handlers.signIn({ personId: 'op-1', secret: '2468' })).toMatchObject({ ok: true });
    const audit = await desk.handlers.getAudit({ limit: 10 });
    expect(audit.events.map((e) => e.type)).toEqual(['signed-in', 'roster-imported', 'roster-refused']); // newest first
  });
});
