/**
 * A real signed-off roster made in a test: desks and people with real Ed25519 keys, people's keys
 * wrapped by their secrets (cheap scrypt parameters: tests sign in many times). Everything a test
 * needs to act as any desk or person is returned beside the roster.
 */
import type { KeyObject } from 'node:crypto';
import { Roster, type Role, type RosterPolicy } from '../../shared/roster/schema.js';
import { generateEd25519, publicKeyText } from '../../electron/main/services/roster/ed25519.js';
import { createPersonKey, unwrapPersonKey } from '../../electron/main/services/roster/person-key.js';
import type { FloorIdentity, SignedInPerson } from '../../electron/main/services/roster/floor-identity.js';

export const TEST_KDF = { N: 2 ** 14, r: 8, p: 1 } as const;

export const TEST_POLICY: RosterPolicy = {
  kdf: TEST_KDF,
  secrets: {
    operator: { kind: 'pin', minLength: 4 },
    supervisor: { kind: 'passphrase', minLength: 12 },
    'shift-lead': { kind: 'passphrase', minLength: 12 },
  },
  monitor: { listen: ['supervisor', 'shift-lead'], whisper: ['supervisor'], barge: ['supervisor'] },
  tellOperatorWhenMonitored: true,
};

export interface FixtureDesk {
  id: string;
  sipUri: string;
  name?: string;
}
export interface FixturePerson {
  id: string;
  roles: Role[];
  secret: string;
  name?: string;
}

export interface RosterFixture {
  roster: Roster;
  deskKeys: Map<string, KeyObject>;
  /** Unwraps a person's key with their secret (as sign-in does). */
  personKey(id: string): Promise<KeyObject>;
  secrets: Map<string, string>;
}

export async function makeRoster(opts: {
  desks: FixtureDesk[];
  people: FixturePerson[];
  policy?: Partial<RosterPolicy>;
  serial?: number;
}): Promise<RosterFixture> {
  const policy: RosterPolicy = { ...TEST_POLICY, ...opts.policy };
  const deskKeys = new Map<string, KeyObject>();
  const desks = opts.desks.map((d) => {
    const { privateKey } = generateEd25519();
    deskKeys.set(d.id, privateKey);
    return { id: d.id, name: d.name ?? d.id, sipUri: d.sipUri, publicKey: publicKeyText(privateKey) };
  });
  const secrets = new Map<string, string>();
  const people = await Promise.all(
    opts.people.map(async (p) => {
      secrets.set(p.id, p.secret);
      const kind = /^[0-9]+$/.test(p.secret) ? 'pin' : 'passphrase';
      const key = await createPersonKey(p.secret, kind, policy.kdf);
      return { id: p.id, name: p.name ?? p.id, kana: p.name ?? p.id, roles: p.roles, ...key };
    }),
  );
  const roster = Roster.parse({
    format: 'kotozute-roster',
    version: 1,
    team: 'テストチーム',
    serial: opts.serial ?? 1,
    issuedAt: new Date().toISOString(),
    policy,
    desks,
    people,
  });
  return {
    roster,
    deskKeys,
    secrets,
    async personKey(id) {
      const person = roster.people.find((p) => p.id === id);
      const secret = secrets.get(id);
      const key = person && secret !== undefined ? await unwrapPersonKey(person, secret, policy.kdf) : null;
      if (!key) throw new Error(`no person ${id} in the fixture`);
      return key;
    },
  };
}

/** A FloorIdentity for one desk of a fixture, with whoever the test signs in. */
export function fixtureIdentity(fixture: RosterFixture, deskId: string): FloorIdentity & { signIn(person: SignedInPerson | null): void } {
  let signedIn: SignedInPerson | null = null;
  const key = fixture.deskKeys.get(deskId);
  if (!key) throw new Error(`no desk ${deskId} in the fixture`);
  return {
    roster: () => fixture.roster,
    thisDesk: () => fixture.roster.desks.find((d) => d.id === deskId) ?? null,
    deskKey: () => key,
    signedIn: () => signedIn,
    signIn(person) {
      signedIn = person;
    },
  };
}
