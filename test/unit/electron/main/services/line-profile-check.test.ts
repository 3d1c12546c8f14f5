/**
 * What the desk accepts as a line profile or a provisioning profile, checked before anything is
 * written: errors name the JSON path, never quote the value, and a profile never carries a password.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateAdminKeyPair } from '../../../../../electron/main/services/directory/admin-key.js';
import { ApiError } from '../../../../../shared/ipc/errors.js';
import { aorUser, checkLineProfile, parseProvisioningProfile } from '../../../../../electron/main/services/line-profile-check.js';

const repo = path.resolve(import.meta.dirname, '../../../../..');
const demoKey = readFileSync(path.join(repo, 'assets/training/demo-admin.pub'), 'utf8');

function refusalOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    return (err as { details: string[] }).details;
  }
  throw new Error('expected a refusal');
}

describe('line profile check', () => {
  it('accepts wss:// anywhere and ws:// only to this computer', () => {
    for (const server of ['wss://pbx.example.jp/ws', 'ws://127.0.0.1:5066', 'ws://localhost:8080/ws', 'ws://[::1]:5066']) {
      expect(() => checkLineProfile({ server, aor: 'sip:a@b.jp' })).not.toThrow();
    }
    expect(problemsOf(() => checkLineProfile({ server: 'ws://pbx.example.jp/ws', aor: 'sip:a@b.jp' }))).toEqual([
      expect.stringMatching(/^server: .*only wss:\/\/.*Nothing was sent/),
    ]);
    expect(problemsOf(() => checkLineProfile({ server: 'https://pbx.example.jp', aor: 'sip:a@b.jp' }))[0]).toMatch(/^server: .*wss:\/\//);
    expect(problemsOf(() => checkLineProfile({ server: 'wss://u:p@pbx.example.jp', aor: 'sip:a@b.jp' }))[0]).toMatch(/user name or password/);
  });

  it('wants a SIP URI with a user, and never quotes what was typed', () => {
    expect(aorUser('sip:desk-301@example.jp')).toBe('desk-301');
    expect(aorUser('sips:desk@[2001:db8::1]:5061;transport=ws')).toBe('desk');
    for (const aor of ['desk@example.jp', 'sip:example.jp', 'tel:+81312345678', 'sip:a b@c', '<sip:a@b>']) {
      expect(aorUser(aor)).toBeNull();
    }
    const problems = problemsOf(() => checkLineProfile({ server: 'ws://secret-customer.example', aor: 'secret-user@x' }));
    expect(problems.map((p) => p.split(':')[0])).toEqual(['server', 'aor']);
    expect(problems.join(' ')).not.toMatch(/secret-customer|secret-user/);
  });
});

describe('provisioning profile', () => {
  it('parses the example in docs/provisioning.md', () => {
    const doc = readFileSync(path.join(repo, 'docs/provisioning.md'), 'utf8');
    const example = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const checked = parseProvisioningProfile(example!);
    expect(checked.line).toMatchObject({ authUser: 'desk-301', maxCalls: 2, dtmfMode: 'rfc4733' });
    expect(checked.adminPublicKey).toBe(demoKey);
    expect(checked.directoryBundle).toBeUndefined();
  });

  it('defaults the auth user to the SIP URI user', () => {
    const text = JSON.stringify({ format: 'kotozute-provisioning', version: 1, line: { server: 'wss://p.jp', aor: 'sip:desk-7@p.jp' }, adminPublicKey: demoKey });
    expect(parseProvisioningProfile(text).line).toMatchObject({ authUser: 'desk-7', displayName: '', iceServers: [] });
  });

  it('refuses a password anywhere except a TURN credential', () => {
    const base = { format: 'kotozute-provisioning', version: 1, adminPublicKey: demoKey };
    const line = { server: 'wss://p.jp', aor: 'sip:d@p.jp' };
    expect(problemsOf(() => parseProvisioningProfile(JSON.stringify({ ...base, line, password: 'x' })))).toEqual(['password: not allowed in a provisioning profile']);
    expect(problemsOf(() => parseProvisioningProfile(JSON.stringify({ ...base, line: { ...line, authPassword: 'x' } })))).toEqual([
      'line.authPassword: not allowed in a provisioning profile',
    ]);
    const turn = { ...base, line: { ...line, iceServers: [{ urls: 'turn:t.p.jp', username: 'u', credential: 'c' }] } };
    expect(parseProvisioningProfile(JSON.stringify(turn)).line.iceServers).toHaveLength(1);
  });

  it('names the JSON path of schema problems and of an unusable key', () => {
    expect(problemsOf(() => parseProvisioningProfile('{"format":"kotozute-provisioning","version":2}'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^version: /), expect.stringMatching(/^line: /), expect.stringMatching(/^adminPublicKey: /)]),
    );
    const rsa = JSON.stringify({ format: 'kotozute-provisioning', version: 1, line: { server: 'wss://p.jp', aor: 'sip:d@p.jp' }, adminPublicKey: 'nope' });
    expect(problemsOf(() => parseProvisioningProfile(rsa))).toEqual([expect.stringMatching(/^adminPublicKey: .*not a PEM public key/)]);
  });

  it("refuses the admin's private key in adminPublicKey, naming the field and never quoting the key", () => {
    const admin = generateAdminKeyPair();
    const body = admin.privateKeyPem.split('\n')[1]!;
    const text = JSON.stringify({ format: 'kotozute-provisioning', version: 1, line: { server: 'wss://p.jp', aor: 'sip:d@p.jp' }, adminPublicKey: admin.privateKeyPem });
    const err = refusalOf(() => parseProvisioningProfile(text));
    expect(err.message).toMatch(/^The provisioning profile's adminPublicKey holds a private key, not the admin's public key/);
    expect(err.details).toEqual(['adminPublicKey: a private key was given where the public key is expected']);
    expect(JSON.stringify(err)).not.toContain(body);
  });

  it('refuses a private key file picked as the profile without quoting it (JSON.parse would)', () => {
    const admin = generateAdminKeyPair();
    const err = refusalOf(() => parseProvisioningProfile(admin.privateKeyPem));
    expect(err.message).toMatch(/the file holds a private key/);
    expect(err.message + err.details.join(' ')).not.toContain(admin.privateKeyPem.split('\n')[1]!.slice(0, 16));
  });
});
