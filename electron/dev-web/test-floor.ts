/**
 * Test-only floor identity for the dev-web harness (NODE_ENV=test and KOTOZUTE_TEST_FLOOR set): a
 * roster, which desk this is (with its key's seed) and who is signed in (with their key's seed),
 * written by an end-to-end test from test/support/roster-fixture.ts. The roster service replaces it
 * for real desks (a roster imported in Settings, the desk key in the keychain, sign-in).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Roster } from '../../shared/roster/schema.js';
import { privateKeyFromSeed, publicKeyText } from '../main/services/roster/ed25519.js';
import type { FloorIdentity } from '../main/services/roster/floor-identity.js';

const Seed = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a 32-byte base64url seed');

export const TestFloorFile = z.object({
  roster: Roster,
  deskId: z.string(),
  deskSeed: Seed,
  signedIn: z.object({ personId: z.string(), seed: Seed }).nullable(),
});
export type TestFloorFile = z.infer<typeof TestFloorFile>;

/** Reads the file and checks that the keys are the ones the roster lists. Throws on anything wrong. */
export function loadTestFloor(file: string): FloorIdentity {
  if (readFileSync(file).length > 5 * 1024 * 1024) throw new Error('test floor file larger than 5 MB');
  const parsed = TestFloorFile.parse(JSON.parse(readFileSync(file, 'utf8')));
  const desk = parsed.roster.desks.find((d) => d.id === parsed.deskId);
  const deskKey = privateKeyFromSeed(Buffer.from(parsed.deskSeed, 'base64url'));
  if (!desk || publicKeyText(deskKey) !== desk.publicKey) throw new Error('test floor: the desk key is not the roster desk’s');
  let signedIn: ReturnType<FloorIdentity['signedIn']> = null;
  if (parsed.signedIn) {
    const person = parsed.roster.people.find((p) => p.id === parsed.signedIn?.personId);
    const key = privateKeyFromSeed(Buffer.from(parsed.signedIn.seed, 'base64url'));
    if (!person || publicKeyText(key) !== person.publicKey) throw new Error('test floor: the person key is not the roster person’s');
    signedIn = { person, key, since: new Date() };
  }
  const roster = parsed.roster;
  return { roster: () => roster, thisDesk: () => desk, deskKey: () => deskKey, signedIn: () => signedIn };
}
