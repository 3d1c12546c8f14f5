import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../../electron/admin/cli.js';
import { generateAdminKeyPair } from '../../../../electron/main/services/directory/admin-key.js';
import { generateEd25519, publicKeyText } from '../../../../electron/main/services/roster/ed25519.js';
import { enrolmentString } from '../../../../electron/main/services/roster/desk-key.js';
import { unwrapPersonKey } from '../../../../electron/main/services/roster/person-key.js';
import { Roster } from '../../../../shared/roster/schema.js';

let dir: string;
let out: string[];
let err: string[];
let secrets: string[];
const admin = generateAdminKeyPair();
const other = generateAdminKeyPair();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kotozute-roster-cli-'));
  out = [];
  err = [];
  secrets = [];
  await writeFile(join(dir, 'admin.key'), admin.privateKeyPem, { mode: 0o600 });
  await writeFile(join(dir, 'admin.pub'), admin.publicKeyPem);
  await writeFile(join(dir, 'other.pub'), other.publicKeyPem);
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const at = (f: string) => join(dir, f);
const run = (...argv: string[]) =>
  main(['roster', ...argv], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readSecret: async () => secrets.shift() ?? '',
    now: () => new Date('2026-12-01T00:00:00Z'),
  });
const roster = async () => Roster.parse(JSON.parse(await readFile(at('roster.json'), 'utf8')));

describe('kotozute-admin roster', () => {
  it('creates, adds a desk by enrolment string and people, signs and verifies', async () => {
    expect(await run('create', '--team', 'あおば電話代行', '--out', at('roster.json'))).toBe(0);
    const publicKey = publicKeyText(generateEd25519().publicKey);
    const enrolment = enrolmentString({ name: 'desk-01', sipUri: 'sip:desk-01@pbx.example.test', publicKey });
    expect(await run('add-desk', '--roster', at('roster.json'), '--id', 'desk-01', '--enrolment', enrolment)).toBe(0);
    secrets.push('246810');
    expect(await run('add-person', '--roster', at('roster.json'), '--id', 'op-001', '--name', '田中 花子', '--kana', 'タナカ ハナコ', '--roles', 'operator')).toBe(0);
    secrets.push('blue kettle under the stairs');
    expect(await run('add-person', '--roster', at('roster.json'), '--id', 'sv-001', '--name', '佐藤 一郎', '--kana', 'サトウ イチロウ', '--roles', 'supervisor,operator')).toBe(0);
    const r = await roster();
    expect(r.serial).toBe(4);
    expect(r.desks).toEqual([{ id: 'desk-01', name: 'desk-01', sipUri: 'sip:desk-01@pbx.example.test', publicKey }]);
    expect(r.people.map((p) => [p.id, p.secret.kind])).toEqual([
      ['op-001', 'pin'],
      ['sv-001', 'passphrase'],
    ]);
    // The file holds no secret: only the wrapped key, which the secret opens.
    const text = await readFile(at('roster.json'), 'utf8');
    expect(text).not.toContain('246810');
    expect(await unwrapPersonKey(r.people[0]!, '246810', r.policy.kdf)).not.toBeNull();

    expect(await run('sign', '--key', at('admin.key'), '--in', at('roster.json'), '--out', at('roster.bundle'))).toBe(0);
    expect(out.at(-1)).toMatch(/signed team "あおば電話代行", serial 4, 1 desk, 2 people, key id [0-9a-f]{32}/);
    expect(await run('verify', '--pub', at('admin.pub'), at('roster.bundle'))).toBe(0);
    expect(out.at(-1)).toMatch(/^OK team "あおば電話代行", serial 4/);
    expect(await run('verify', '--pub', at('other.pub'), at('roster.bundle'))).toBe(1);
    expect(err.join('\n')).toMatch(/signed by another key/);
  });

  it('refuses a secret weaker than the policy for the strongest role, and writes nothing', async () => {
    await run('create', '--team', 'T', '--out', at('roster.json'));
    const before = await readFile(at('roster.json'), 'utf8');
    const tries: Array<[string, string, RegExp]> = [
      ['operator', '12a4', /a PIN is digits only/],
      ['operator', '12345', /at least 6 digits \(this one has 5\)/],
      ['supervisor,operator', '246810', /must not be digits only/],
      ['operator,shift-lead', 'short phrase', /at least 14 characters/],
    ];
    for (const [roles, secret, why] of tries) {
      secrets.push(secret);
      expect(await run('add-person', '--roster', at('roster.json'), '--id', 'p-1', '--name', 'N', '--kana', 'エヌ', '--roles', roles)).toBe(1);
      expect(err.at(-1)).toMatch(why);
      expect(err.join('\n')).not.toContain(secret);
    }
    expect(await readFile(at('roster.json'), 'utf8')).toBe(before);
  });

  it('refuses to overwrite a roster, an unknown role and a duplicate id', async () => {
    await run('create', '--team', 'T', '--out', at('roster.json'));
    expect(await run('create', '--team', 'T', '--out', at('roster.json'))).toBe(1);
    expect(await run('add-person', '--roster', at('roster.json'), '--id', 'p-1', '--name', 'N', '--kana', 'K', '--roles', 'boss'))
      .toBe(2);
    secrets.push('135790');
    await run('add-person', '--roster', at('roster.json'), '--id', 'p-1', '--name', 'N', '--kana', 'K', '--roles', 'operator');
    secrets.push('135790');
    expect(await run('add-person', '--roster', at('roster.json'), '--id', 'p-1', '--name', 'N', '--kana', 'K', '--roles', 'operator')).toBe(1);
    expect(err.at(-1)).toMatch(/already listed/);
  });

  it('refuses to sign a roster with a schema error, naming the JSON path', async () => {
    await run('create', '--team', 'T', '--out', at('roster.json'));
    const r = JSON.parse(await readFile(at('roster.json'), 'utf8')) as { policy: { kdf: { N: number } } };
    r.policy.kdf.N = 1000;
    await writeFile(at('roster.json'), JSON.stringify(r));
    expect(await run('sign', '--key', at('admin.key'), '--in', at('roster.json'), '--out', at('roster.bundle'))).toBe(1);
    expect(err.join('\n')).toContain('policy.kdf.N');
  });

  it('prints its usage for a missing command (exit 2) and --help (exit 0)', async () => {
    expect(await run()).toBe(2);
    expect(await run('--help')).toBe(0);
    expect(out.join('\n')).toContain('kotozute-admin roster add-person');
  });
});
