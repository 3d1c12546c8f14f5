/**
 * Public keys of the roster in use, parsed once per roster (a state arrives every few seconds from
 * every desk: parsing a key each time would cost more than checking the signature).
 */
import type { KeyObject } from 'node:crypto';
import type { Roster, RosterDesk, RosterPerson, Role } from '../../../../shared/roster/schema.js';
import { publicKeyFromText } from '../roster/ed25519.js';

export class RosterKeys {
  private roster: Roster | null = null;
  private desks = new Map<string, { desk: RosterDesk; key: KeyObject }>();
  private people = new Map<string, { person: RosterPerson; key: KeyObject }>();

  /** Re-reads the keys when the roster object changed (a newer roster was imported). */
  use(roster: Roster | null): this {
    if (roster === this.roster) return this;
    this.roster = roster;
    this.desks = new Map((roster?.desks ?? []).map((desk) => [desk.id, { desk, key: publicKeyFromText(desk.publicKey) }]));
    this.people = new Map((roster?.people ?? []).map((person) => [person.id, { person, key: publicKeyFromText(person.publicKey) }]));
    return this;
  }

  desk(id: string): RosterDesk | undefined {
    return this.desks.get(id)?.desk;
  }

  person(id: string): RosterPerson | undefined {
    return this.people.get(id)?.person;
  }

  /** The key for a token's signer, as floor-token.ts readToken asks for it. */
  readonly keyOf = (signer: { kind: 'desk' | 'person'; id: string }): KeyObject | undefined =>
    (signer.kind === 'desk' ? this.desks.get(signer.id) : this.people.get(signer.id))?.key;
}

/** The roles whose holders may watch the floor (and so receive desk states). */
export const WATCHING_ROLES: readonly Role[] = ['supervisor', 'shift-lead'];

export function mayWatch(person: RosterPerson | undefined): boolean {
  return person !== undefined && person.roles.some((r) => WATCHING_ROLES.includes(r));
}
