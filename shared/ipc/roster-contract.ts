/**
 * The roster's methods on the IPC contract (issue 9): this desk's identity, the roster in use,
 * importing a roster, and signing a person in and out. Secrets cross only into signIn, are never
 * returned, and nothing here carries a private key.
 */
import { z } from 'zod';
import { Role, RosterId } from '../roster/schema.js';

const NoArgs = z.undefined();

function method<A extends z.ZodType, R extends z.ZodType>(args: A, result: R) {
  return { args, result };
}

/** This desk's public identity, for Settings: nothing here is secret. */
export const DeskIdentity = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    publicKey: z.string(),
    /** SHA-256 of the public key, 32 hex digits in groups of four. */
    fingerprint: z.string(),
    /** `kotozute-desk:…`: name suggestion, SIP URI when paired, public key (for `roster add-desk --enrolment`). */
    enrolment: z.string(),
    /** The roster's entry for this desk, when it is enrolled in the roster in use. */
    enrolledAs: z.object({ id: z.string(), name: z.string() }).nullable(),
  }),
  /** No desk key: the keychain is unavailable (its message says why). */
  z.object({ ok: z.literal(false), message: z.string() }),
]);
export type DeskIdentity = z.infer<typeof DeskIdentity>;

/** Who may sign in: names (for the picker), never keys or secrets. */
export const RosterPersonView = z.object({
  id: RosterId,
  name: z.string(),
  kana: z.string(),
  roles: z.array(Role),
  secretKind: z.enum(['pin', 'passphrase']),
});
export type RosterPersonView = z.infer<typeof RosterPersonView>;

export const SignedInView = z.object({
  id: RosterId,
  name: z.string(),
  roles: z.array(Role),
  since: z.string(),
});
export type SignedInView = z.infer<typeof SignedInView>;

export const RosterState = z.object({
  /** null: no roster, the desk works as a single operator without sign-in. */
  roster: z
    .object({
      team: z.string(),
      serial: z.number().int(),
      issuedAt: z.string(),
      desks: z.number().int(),
      people: z.array(RosterPersonView),
      /** Minutes without input before the desk locks (the roster's policy, else the default). */
      idleLockMinutes: z.number().int().min(1).max(60),
    })
    .nullable(),
  signedIn: SignedInView.nullable(),
  /**
   * The idle lock is on (issue 11 §2): the main process holds it, so a reloaded or recovered page
   * starts locked. Only with someone signed in; unlock or sign-out ends it.
   */
  locked: z.boolean(),
});
export type RosterState = z.infer<typeof RosterState>;

export const SignInResult = z.union([
  z.object({ ok: z.literal(true), state: RosterState }),
  /** wrong-secret: triesLeft before the lock; locked: until when (ISO). */
  z.object({ ok: z.literal(false), reason: z.literal('wrong-secret'), triesLeft: z.number().int().min(0) }),
  z.object({ ok: z.literal(false), reason: z.literal('locked'), until: z.string() }),
]);
export type SignInResult = z.infer<typeof SignInResult>;

export const rosterContract = {
  /** This desk's public key, fingerprint and enrolment string. */
  deskIdentity: method(NoArgs, DeskIdentity),
  /** The roster in use (or none) and who is signed in. */
  rosterState: method(NoArgs, RosterState),
  /** Imports a signed roster (its text), checked against the pinned admin key; an older serial is refused. */
  importRoster: method(z.object({ bundle: z.string().max(6 * 1024 * 1024) }), RosterState),
  /** Signs a person in on this desk: the secret unwraps their key (five wrong tries lock them for five minutes). */
  signIn: method(z.object({ personId: RosterId, secret: z.string().min(1).max(1024) }), SignInResult),
  /**
   * Unlocks the idle lock: the signed-in person's secret, checked as at sign-in (the same count of
   * wrong tries and the same lock). The session (who, since when) is unchanged.
   */
  unlock: method(z.object({ secret: z.string().min(1).max(1024) }), SignInResult),
  /** Turns the idle lock on (the page's idle timer, the OS lock); a no-op with nobody signed in. */
  lockDesk: method(NoArgs, RosterState),
  /** Signs the person out of this desk (their key is dropped from memory). */
  signOut: method(NoArgs, RosterState),
} as const;
