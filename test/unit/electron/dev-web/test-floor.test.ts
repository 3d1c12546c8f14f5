// The dev-web harness's test-only floor identity: loaded only with keys that are the roster's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTestFloor } from '../../../../electron/dev-web/test-floor.js';
import { generateEd25519, privateSeed, publicKeyText } from '../../../../electron/main/services/roster/ed25519.js';
import { makeRoster, type RosterFixture } from '../../../support/roster-fixture.js';

let fx: RosterFixture;
let dir: string;
let personSeed: string;

beforeAll(async () => {
  fx = await makeRoster({ desks: [{ id: 'desk-a', sipUri: 'sip:desk-a@pbx.test' }], people: [{ id: 'sato', roles: ['supervisor'], secret: 'correct horse battery' }] });
  personSeed = privateSeed(await fx.personKey('sato')).toString('base64url');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-test-floor-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(content: unknown): string {
  const file = path.join(dir, `floor-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

const deskSeed = () => privateSeed(fx.deskKeys.get('desk-a')!).toString('base64url');

describe('loadTestFloor', () => {
  it('gives the roster, this desk, its key and the person signed in', () => {
    const floor = loadTestFloor(write({ roster: fx.roster, deskId: 'desk-a', deskSeed: deskSeed(), signedIn: { personId: 'sato', seed: personSeed } }));
    expect(floor.roster()?.serial).toBe(fx.roster.serial);
    expect(floor.thisDesk()?.id).toBe('desk-a');
    expect(publicKeyText(floor.deskKey())).toBe(fx.roster.desks[0]!.publicKey);
    expect(floor.signedIn()?.person.id).toBe('sato');
  });

  it('refuses a desk key or a person key that is not the roster’s', () => {
    const stranger = privateSeed(generateEd25519().privateKey).toString('base64url');
    expect(() => loadTestFloor(write({ roster: fx.roster, deskId: 'desk-a', deskSeed: stranger, signedIn: null }))).toThrow(/desk key/);
    expect(() => loadTestFloor(write({ roster: fx.roster, deskId: 'desk-a', deskSeed: deskSeed(), signedIn: { personId: 'sato', seed: stranger } }))).toThrow(/person key/);
    expect(() => loadTestFloor(write({ roster: { ...fx.roster, format: 'other' }, deskId: 'desk-a', deskSeed: deskSeed(), signedIn: null }))).toThrow();
  });
});
