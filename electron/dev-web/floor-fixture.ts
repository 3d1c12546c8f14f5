/**
 * Tests only: a dev-web desk's place on the floor from a file written by the test, instead of the
 * roster service's (a roster imported in Settings, the desk key in the keychain, sign-in). The one
 * floor fixture every test and benchmark uses (test/support/floor-desk.ts `floorFixtureFile`).
 *
 * The file (KOTOZUTE_FLOOR_FIXTURE, honoured only with NODE_ENV=test: `floorFixtureFromEnv`) holds a
 * roster, this desk's id, the desk key's 32-byte seed and optionally who is signed in with their
 * secret. The desk key must be the one the roster lists for that desk, and the person's key is
 * unwrapped from the roster with the secret, as sign-in does: a fixture cannot give a desk keys the
 * roster does not vouch for. Read through the bounded reader (a roster's cap, regular files only).
 */
import path from 'node:path';
import { z } from 'zod';
import { Roster, RosterId } from '../../shared/roster/schema.js';
import { readBoundedText } from '../main/services/fs/bounded-read.js';
import { privateKeyFromSeed, publicKeyText } from '../main/services/roster/ed25519.js';
import type { FloorIdentity, SignedInPerson } from '../main/services/roster/floor-identity.js';
import { unwrapPersonKey } from '../main/services/roster/person-key.js';

export const FloorFixtureFile = z.strictObject({
  roster: Roster,
  deskId: RosterId,
  /** base64url of the desk key's 32-byte Ed25519 seed. */
  deskKeySeed: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a 32-byte base64url seed'),
  /** Who is signed in, with the secret that unwraps their key; null for nobody. */
  signedIn: z.strictObject({ person: RosterId, secret: z.string().min(1).max(256) }).nullable(),
});
export type FloorFixtureFile = z.infer<typeof FloorFixtureFile>;

/** Reads and checks the file. Throws on anything wrong (the harness then refuses to start). */
export async function loadFloorFixture(file: string): Promise<FloorIdentity> {
  const parsed = FloorFixtureFile.parse(JSON.parse(await readBoundedText(file, { kind: 'roster' })));
  const roster = parsed.roster;
  const desk = roster.desks.find((d) => d.id === parsed.deskId);
  if (!desk) throw new Error(`floor fixture: no desk ${parsed.deskId} in the roster`);
  const deskKey = privateKeyFromSeed(Buffer.from(parsed.deskKeySeed, 'base64url'));
  if (publicKeyText(deskKey) !== desk.publicKey) throw new Error(`floor fixture: the desk key is not the one the roster lists for ${desk.id}`);
  let signedIn: SignedInPerson | null = null;
  if (parsed.signedIn) {
    const who = parsed.signedIn.person;
    const person = roster.people.find((p) => p.id === who);
    const key = person ? await unwrapPersonKey(person, parsed.signedIn.secret, roster.policy.kdf) : null;
    if (!person || !key) throw new Error(`floor fixture: ${who} cannot sign in with that secret`);
    signedIn = { person, key, since: new Date() };
  }
  return { roster: () => roster, thisDesk: () => desk, deskKey: () => deskKey, signedIn: () => signedIn };
}

/** The fixture named by KOTOZUTE_FLOOR_FIXTURE, only with NODE_ENV=test; otherwise none (undefined). */
export async function floorFixtureFromEnv(env: NodeJS.ProcessEnv): Promise<FloorIdentity | undefined> {
  const file = env.KOTOZUTE_FLOOR_FIXTURE;
  if (env.NODE_ENV !== 'test' || !file) return undefined;
  return loadFloorFixture(path.resolve(file));
}
