// The dev-web harness's one test-only floor fixture: honoured only with NODE_ENV=test, and only with
// keys the roster vouches for (the desk key is the roster desk's, the person's key unwraps with the secret).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floorFixtureFromEnv, loadFloorFixture } from '../../../../electron/dev-web/floor-fixture.js';
import { generateEd25519, privateSeed, publicKeyText } from '../../../../electron/main/services/roster/ed25519.js';
import { makeRoster, type RosterFixture } from '../../../support/roster-fixture.js';
import { floorFixtureFile } from '../../../support/floor-desk.js';

let fx: RosterFixture;
let dir: string;

beforeAll(async () => {
  fx = await makeRoster({
    desks: [
      { id: 'desk-a', sipUri: 'sip:desk-a@pbx.test' },
      { id: 'desk-b', sipUri: 'sip:desk-b@pbx.test' },
    ],
    people: [{ id: 'sato', roles: ['supervisor'], secret: 'correct horse battery' }],
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-floor-fixture-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(content: unknown): string {
  const file = path.join(dir, `floor-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const deskSeed = (id: string) => privateSeed(fx.deskKeys.get(id)!).toString('base64url');

describe('loadFloorFixture', () => {
  it('gives the roster, this desk, its key and the person signed in with their unwrapped key', async () => {
    const floor = await loadFloorFixture(write(await floorFixtureFile(fx, 'desk-a', 'sato')));
    expect(floor.roster()?.serial).toBe(fx.roster.serial);
    expect(floor.thisDesk()?.id).toBe('desk-a');
    expect(publicKeyText(floor.deskKey())).toBe(fx.roster.desks[0]!.publicKey);
    expect(floor.signedIn()?.person.id).toBe('sato');
    expect(publicKeyText(floor.signedIn()!.key)).toBe(publicKeyText(await fx.personKey('sato')));
  });

  it('a desk with nobody signed in', async () => {
    const floor = await loadFloorFixture(write(await floorFixtureFile(fx, 'desk-b', null)));
    expect(floor.thisDesk()?.id).toBe('desk-b');
    expect(floor.signedIn()).toBeNull();
  });

  it('refuses a desk key that is not the roster desk’s, another desk’s key included', async () => {
    const stranger = privateSeed(generateEd25519().privateKey).toString('base64url');
    await expect(loadFloorFixture(write({ roster: fx.roster, deskId: 'desk-a', deskKeySeed: stranger, signedIn: null }))).rejects.toThrow(/desk key/);
    await expect(loadFloorFixture(write({ roster: fx.roster, deskId: 'desk-a', deskKeySeed: deskSeed('desk-b'), signedIn: null }))).rejects.toThrow(/desk key/);
  });

  it('refuses a desk or a person the roster does not list, and a wrong secret', async () => {
    await expect(loadFloorFixture(write({ roster: fx.roster, deskId: 'desk-z', deskKeySeed: deskSeed('desk-a'), signedIn: null }))).rejects.toThrow(/no desk desk-z/);
    const base = { roster: fx.roster, deskId: 'desk-a', deskKeySeed: deskSeed('desk-a') };
    await expect(loadFloorFixture(write({ ...base, signedIn: { person: 'nobody', secret: 'x' } }))).rejects.toThrow(/nobody cannot sign in/);
    await expect(loadFloorFixture(write({ ...base, signedIn: { person: 'sato', secret: 'wrong horse battery' } }))).rejects.toThrow(/sato cannot sign in/);
  });

  it('refuses a file that does not fit the schema, a roster that is not one, and a file over the roster cap', async () => {
    const base = { roster: fx.roster, deskId: 'desk-a', deskKeySeed: deskSeed('desk-a'), signedIn: null };
    await expect(loadFloorFixture(write({ ...base, roster: { ...fx.roster, format: 'other' } }))).rejects.toThrow();
    await expect(loadFloorFixture(write({ ...base, extra: true }))).rejects.toThrow();
    await expect(loadFloorFixture(write({ ...base, deskKeySeed: 'short' }))).rejects.toThrow(/seed/);
    await expect(loadFloorFixture(write('not json'))).rejects.toThrow();
    await expect(loadFloorFixture(write(' '.repeat(5 * 1024 * 1024 + 1)))).rejects.toThrow(/roster file/);
  });
});

describe('floorFixtureFromEnv', () => {
  it('is honoured only with NODE_ENV=test', async () => {
    const file = write(await floorFixtureFile(fx, 'desk-a', null));
    expect(await floorFixtureFromEnv({ KOTOZUTE_FLOOR_FIXTURE: file })).toBeUndefined();
    expect(await floorFixtureFromEnv({ KOTOZUTE_FLOOR_FIXTURE: file, NODE_ENV: 'production' })).toBeUndefined();
    expect(await floorFixtureFromEnv({ NODE_ENV: 'test' })).toBeUndefined();
    expect((await floorFixtureFromEnv({ KOTOZUTE_FLOOR_FIXTURE: file, NODE_ENV: 'test' }))?.thisDesk()?.id).toBe('desk-a');
  });
});
