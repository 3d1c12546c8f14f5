/**
 * Tests and development only: a dev-web desk's place on the floor from a file, until the roster part
 * of issue 9 gives every desk its real one (keychain desk key, imported roster, sign-in). The file
 * (KOTOZUTE_FLOOR_FIXTURE, honoured only with NODE_ENV=test) holds a roster, this desk's id, the
 * desk key's 32-byte seed and optionally who is signed in with their secret; the person's key is
 * unwrapped from the roster with that secret, as sign-in does.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { Roster, RosterId } from '../../shared/roster/schema.js';
import { privateKeyFromSeed } from '../main/services/roster/ed25519.js';
import type { FloorIdentity, SignedInPerson } from '../main/services/roster/floor-identity.js';
import { unwrapPersonKey } from '../main/services/roster/person-key.js';

export const FloorFixtureFile = z.object({
  roster: z.unknown(),
  deskId: RosterId,
  /** base64url of the desk key's 32-byte Ed25519 seed. */
  deskKeySeed: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  signedIn: z.object({ person: RosterId, secret: z.string().min(1).max(256) }).nullable(),
});
export type FloorFixtureFile = z.infer<typeof FloorFixtureFile>;

export async function loadFloorFixture(file: string): Promise<FloorIdentity> {
  const text = await readFile(file, 'utf8');
  if (text.length > 5 * 1024 * 1024) throw new Error('floor fixture: larger than 5 MB');
  const parsed = FloorFixtureFile.parse(JSON.parse(text));
  const roster = Roster.parse(parsed.roster);
  const desk = roster.desks.find((d) => d.id === parsed.deskId);
  if (!desk) throw new Error(`floor fixture: no desk ${parsed.deskId} in the roster`);
  const deskKey = privateKeyFromSeed(Buffer.from(parsed.deskKeySeed, 'base64url'));
  let signedIn: SignedInPerson | null = null;
  if (parsed.signedIn) {
    const person = roster.people.find((p) => p.id === parsed.signedIn?.person);
    const key = person ? await unwrapPersonKey(person, parsed.signedIn.secret, roster.policy.kdf) : null;
    if (!person || !key) throw new Error(`floor fixture: ${parsed.signedIn.person} cannot sign in`);
    signedIn = { person, key, since: new Date() };
  }
  return { roster: () => roster, thisDesk: () => desk, deskKey: () => deskKey, signedIn: () => signedIn };
}
