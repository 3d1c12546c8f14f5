/**
 * What the floor (desk states, watches, monitor requests) needs to know about who this desk is and
 * who sits at it. The roster service implements it (the roster in use, this desk's key from the
 * keychain, the person signed in); the floor services only read it, so they are tested with a
 * roster made in the test (test/support/roster-fixture.ts).
 */
import type { KeyObject } from 'node:crypto';
import type { Roster, RosterDesk, RosterPerson } from '../../../../shared/roster/schema.js';

export interface SignedInPerson {
  person: RosterPerson;
  /** The person's private key, unwrapped at sign-in; held in memory only until sign-out. */
  key: KeyObject;
  since: Date;
}

export interface FloorIdentity {
  /** The roster in use, null when the desk has none (a single operator, no sign-in). */
  roster(): Roster | null;
  /** This desk's roster entry (the one whose public key is this desk's), null if not enrolled. */
  thisDesk(): RosterDesk | null;
  /** This desk's private key (its public half is what the roster lists for thisDesk()). */
  deskKey(): KeyObject;
  /** The person signed in at this desk, null when nobody is. */
  signedIn(): SignedInPerson | null;
}
