import { createPrivateKey, sign } from 'node:crypto';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAdminKeyPair, keyIdOfKey } from '../../../../../../electron/main/services/directory/admin-key.js';
import {
  MAX_ROSTER_BYTES,
  openRoster,
  readRosterFile,
  RosterInvalidError,
  signRoster,
} from '../../../../../../electron/main/services/roster/roster-bundle.js';
import { makeRoster, type RosterFixture } from '../../../../../support/roster-fixture.js';

const admin = generateAdminKeyPair();
const other = generateAdminKeyPair();
let fixture: RosterFixture;
let dir: string;

beforeAll(async () => {
  fixture = await makeRoster({
    desks: [{ id: 'desk-01', sipUri: 'sip:desk-01@pbx.example.test' }],
    people: [{ id: 'op-1', roles: ['operator'], secret: '2468' }],
    serial: 7,
  });
  dir = await mkdtemp(join(tmpdir(), 'kotozute-roster-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const json = () => JSON.stringify(fixture.roster, null, 2);

/** The refusal a bundle gets, as reason + message. */
function refusal(run: () => unknown): { reason: string; message: string; details: string[] } {
  try {
    run();
  } catch (err) {
    if (err instanceof RosterInvalidError) return { reason: err.refusal, message: err.message, details: err.details };
    throw err;
  }
  throw new Error('not refused');
}

describe('roster bundles', () => {
  it('open to the roster that was signed, as text or bytes', () => {
    const bundle = signRoster(json(), admin.privateKeyPem);
    expect(openRoster(bundle, admin.publicKeyPem)).toEqual(fixture.roster);
    expect(openRoster(bundle.toString('utf8'), admin.publicKeyPem).serial).toBe(7);
  });

  it('refuse the unsigned roster JSON and say how to sign it', () => {
    const r = refusal(() => openRoster(json(), admin.publicKeyPem));
    expect(r.reason).toBe('unsigned');
    expect(r.message).toMatch(/kotozute-admin roster sign/);
  });

  it('refuse a roster signed by another key, naming both key ids', () => {
    const r = refusal(() => openRoster(signRoster(json(), other.privateKeyPem), admin.publicKeyPem));
    expect(r.reason).toBe('wrong-key');
    expect(r.message).toMatch(/another key: [0-9a-f]{32}; this desk trusts [0-9a-f]{32}/);
  });

  it('refuse a roster altered after signing', () => {
    const bundle = signRoster(json(), admin.privateKeyPem).toString('utf8').replace('"serial": 7', '"serial": 8');
    expect(refusal(() => openRoster(bundle, admin.publicKeyPem)).reason).toBe('tampered');
  });

  it('refuse a schema error naming the JSON path, at signing and on the desk', () => {
    const bad = JSON.parse(json()) as { people: Array<{ secret: { salt: string } }> };
    bad.people[0]!.secret.salt = 'short';
    const atSigning = refusal(() => signRoster(JSON.stringify(bad), admin.privateKeyPem));
    expect(atSigning.reason).toBe('schema');
    expect(atSigning.message).toContain('people.0.secret.salt');
    // Signed anyway (by hand, without the signer's check): the desk names the same path.
    const body = Buffer.from(JSON.stringify(bad));
    const key = createPrivateKey(admin.privateKeyPem);
    const bundle = Buffer.concat([Buffer.from(`KOTOZUTE-ROSTER 1 ${keyIdOfKey(key)} ${sign(null, body, key).toString('base64')}\n`), body]);
    const onDesk = refusal(() => openRoster(bundle, admin.publicKeyPem));
    expect(onDesk.reason).toBe('schema');
    expect(onDesk.details[0]).toMatch(/^people.0.secret.salt: /);
  });

  it('refuse a roster older than the one held, and accept the same or a newer serial', () => {
    const bundle = signRoster(json(), admin.privateKeyPem);
    const r = refusal(() => openRoster(bundle, admin.publicKeyPem, { heldSerial: 8 }));
    expect(r.reason).toBe('older-serial');
    expect(r.message).toMatch(/serial 7.*serial 8/);
    expect(openRoster(bundle, admin.publicKeyPem, { heldSerial: 7 }).serial).toBe(7);
    expect(openRoster(bundle, admin.publicKeyPem, { heldSerial: 6 }).serial).toBe(7);
  });

  it('refuse more than 5 MB before looking inside', () => {
    const huge = `${'x'.repeat(MAX_ROSTER_BYTES + 1)}`;
    expect(refusal(() => openRoster(huge, admin.publicKeyPem)).reason).toBe('too-large');
    expect(refusal(() => openRoster(Buffer.alloc(MAX_ROSTER_BYTES + 1), admin.publicKeyPem)).reason).toBe('too-large');
  });

  it('refuse a file over 5 MB from its size, and read a good file whole', async () => {
    const big = join(dir, 'big.roster');
    await writeFile(big, '');
    await truncate(big, MAX_ROSTER_BYTES + 1);
    await expect(readRosterFile(big)).rejects.toMatchObject({ refusal: 'too-large' });
    const good = join(dir, 'good.roster');
    await writeFile(good, signRoster(json(), admin.privateKeyPem));
    expect(openRoster(await readRosterFile(good), admin.publicKeyPem).team).toBe('テストチーム');
  });

  it('refuse a header that is not a roster header', () => {
    expect(refusal(() => openRoster('KOTOZUTE-DIRECTORY-BUNDLE 2 x y\n{}', admin.publicKeyPem)).reason).toBe('malformed');
    const bundle = signRoster(json(), admin.privateKeyPem).toString('utf8').replace('KOTOZUTE-ROSTER 1', 'KOTOZUTE-ROSTER 2');
    expect(refusal(() => openRoster(bundle, admin.publicKeyPem)).message).toMatch(/version 2 is not supported/);
  });
});
