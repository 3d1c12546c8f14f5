/**
 * The roster on this desk and the person signed in at it: the real FloorIdentity (floor-identity.ts).
 *
 * The signed roster is kept in an encrypted store of its own (like the directory) and checked
 * against the admin key pinned at pairing, at import and again at every start. Sign-in is the
 * unwrapping of the person's key (person-key.ts, scrypt off the main thread); five wrong tries in a
 * row lock that person on this desk for five minutes, persisted so a restart does not reset it.
 * Sign-ins on one desk run one at a time, so guesses cannot be raced past the lock.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { RosterState, SignInResult } from '../../../../shared/ipc/roster-contract.js';
import { ApiError } from '../../../../shared/ipc/errors.js';
import { DEFAULT_IDLE_LOCK_MINUTES, type Roster, type RosterDesk, type RosterPerson } from '../../../../shared/roster/schema.js';
import type { AuditInput, AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../log.js';
import type { EncryptedStore } from '../secure-store.js';
import { publicKeyText } from './ed25519.js';
import type { FloorIdentity, SignedInPerson } from './floor-identity.js';
import { unwrapPersonKey } from './person-key.js';
import { openRoster, RosterInvalidError } from './roster-bundle.js';

export const ROSTER_BUNDLE_KEY = 'roster.bundle';
export const LOCKOUTS_KEY = 'roster.lockouts';
export const MAX_WRONG_TRIES = 5;
export const LOCKOUT_MS = 5 * 60_000;

const Lockouts = z.record(z.string(), z.object({ wrong: z.number().int().min(0), lockedUntil: z.string().nullable() }));
type Lockouts = z.infer<typeof Lockouts>;

/** How the audit trail names a person: 16 hex digits of SHA-256 over their roster id. */
export function personRef(personId: string): string {
  return createHash('sha256').update(`kotozute-person:${personId}`).digest('hex').slice(0, 16);
}

export interface RosterServiceOptions {
  /** The desk's main store: the pinned admin key and the lockouts. null without a keychain. */
  store: EncryptedStore | null;
  /** The roster's own store. */
  rosterStore: EncryptedStore | null;
  /** The pinned admin key (PEM), read when needed: pairing may pin a new one. */
  pinnedKey: () => string | undefined;
  /** This desk's key; null without a keychain. */
  deskKey: KeyObject | null;
  audit: () => AuditLog | null;
  log: Logger;
  now: () => Date;
}

export class RosterService implements FloorIdentity {
  private current: Roster | null = null;
  private person: SignedInPerson | null = null;
  /** The idle lock (issue 11 §2): set by lock(), cleared by unlock, sign-in and sign-out. */
  private locked = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly o: RosterServiceOptions) {}

  // ---- FloorIdentity ----
  roster(): Roster | null {
    return this.current;
  }
  thisDesk(): RosterDesk | null {
    if (!this.current || !this.o.deskKey) return null;
    const mine = publicKeyText(this.o.deskKey);
    return this.current.desks.find((d) => d.publicKey === mine) ?? null;
  }
  deskKey(): KeyObject {
    if (!this.o.deskKey) throw new ApiError('keychain-unavailable', 'This desk has no key: the OS keychain is not available.');
    return this.o.deskKey;
  }
  signedIn(): SignedInPerson | null {
    return this.person;
  }

  /** Called after every change of roster or person (the floor services re-read the identity). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Loads the stored roster at start-up; one that no longer verifies is reported, not used. */
  load(): { code: string; message: string } | null {
    const bundle = this.o.rosterStore?.get(ROSTER_BUNDLE_KEY, z.string());
    const pinned = this.o.pinnedKey();
    if (bundle === undefined) return null;
    if (pinned === undefined) return { code: 'roster-invalid', message: 'The stored team roster was not loaded: no admin key is pinned on this desk.' };
    try {
      this.current = openRoster(bundle, pinned);
      return null;
    } catch (err) {
      this.o.log.warn('roster.stored-invalid');
      return { code: 'roster-invalid', message: `The stored team roster was not loaded: ${err instanceof ApiError ? err.message : 'unknown error'}` };
    }
  }

  /** Verifies a roster against the pinned key and keeps it; refusals are audited. A person no longer listed is signed out. */
  import(bundle: string): RosterState {
    const { rosterStore } = this.stores();
    const pinned = this.o.pinnedKey();
    if (pinned === undefined) throw new ApiError('not-allowed', 'No admin key is pinned on this desk yet: import a provisioning profile first.');
    let roster: Roster;
    try {
      roster = openRoster(bundle, pinned, this.current ? { heldSerial: this.current.serial } : {});
    } catch (err) {
      if (err instanceof RosterInvalidError) this.record({ type: 'roster-refused', reason: err.refusal });
      throw err;
    }
    rosterStore.set(ROSTER_BUNDLE_KEY, bundle);
    this.current = roster;
    this.record({ type: 'roster-imported', count: roster.serial });
    this.o.log.info('roster.imported', { serial: roster.serial, desks: roster.desks.length, people: roster.people.length });
    const still = this.person && roster.people.find((p) => p.id === this.person!.person.id);
    // A person removed, or whose key or roles changed, is signed out: their old key proves nothing now.
    if (this.person && (!still || still.publicKey !== this.person.person.publicKey || still.roles.join() !== this.person.person.roles.join())) {
      this.dropPerson('roster-changed');
    }
    this.changed();
    return this.state();
  }

  /**
   * Checks a roster against a key about to be pinned (a provisioning profile), changing nothing:
   * the profile is refused whole if its roster is. Errors name the profile's field.
   */
  check(bundle: string, adminKey: string, field: string): void {
    try {
      openRoster(bundle, adminKey, this.current ? { heldSerial: this.current.serial } : {});
    } catch (err) {
      if (!(err instanceof RosterInvalidError)) throw err;
      this.record({ type: 'roster-refused', reason: err.refusal });
      throw new RosterInvalidError(
        err.refusal,
        `The provisioning profile was not imported: its ${field} ${err.message.charAt(0).toLowerCase()}${err.message.slice(1)}`,
        err.details.map((d) => `${field}: ${d}`),
      );
    }
  }

  /** After a new admin key is pinned: a stored roster it does not verify is dropped (and its person signed out). */
  revalidate(): void {
    if (!this.current) return;
    const bundle = this.o.rosterStore?.get(ROSTER_BUNDLE_KEY, z.string());
    const pinned = this.o.pinnedKey();
    try {
      if (bundle === undefined || pinned === undefined) throw new Error('gone');
      openRoster(bundle, pinned);
    } catch {
      this.o.rosterStore?.delete(ROSTER_BUNDLE_KEY);
      this.current = null;
      this.dropPerson('roster-changed');
      this.o.log.warn('roster.untrusted-after-key-change');
      this.changed();
    }
  }

  state(): RosterState {
    const r = this.current;
    return {
      roster: r && {
        team: r.team,
        serial: r.serial,
        issuedAt: r.issuedAt,
        desks: r.desks.length,
        people: r.people.map((p) => ({ id: p.id, name: p.name, kana: p.kana, roles: p.roles, secretKind: p.secret.kind })),
        idleLockMinutes: r.policy.idleLockMinutes ?? DEFAULT_IDLE_LOCK_MINUTES,
      },
      signedIn: this.person && {
        id: this.person.person.id,
        name: this.person.person.name,
        roles: this.person.person.roles,
        since: this.person.since.toISOString(),
      },
      locked: this.isLocked(),
    };
  }

  /** Signs a person in (one sign-in at a time on this desk). A switch keeps the old person until the new one succeeds. */
  signIn(personId: string, secret: string): Promise<SignInResult> {
    const run = this.queue.then(() => this.signInNow(personId, secret));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async signInNow(personId: string, secret: string): Promise<SignInResult> {
    const roster = this.current;
    if (!roster) throw new ApiError('not-allowed', 'This desk has no team roster: there is nobody to sign in.');
    const person = roster.people.find((p) => p.id === personId);
    if (!person) throw new ApiError('not-found', `Nobody with id "${personId}" is in the roster.`);
    const checked = await this.checkSecret(roster, person, secret);
    if (!checked.ok) return checked;
    if (this.person && this.person.person.id !== person.id) this.dropPerson('switched');
    this.person = { person, key: checked.key, since: this.o.now() };
    this.locked = false;
    this.record({ type: 'signed-in', personRef: personRef(person.id) });
    this.o.log.info('roster.signed-in', { roles: person.roles.length });
    this.changed();
    return { ok: true, state: this.state() };
  }

  /**
   * The idle lock's unlock (issue 11 §2): the signed-in person's secret, checked exactly as at
   * sign-in (wrong tries counted, the same five-minute lock). The session itself is unchanged.
   */
  unlock(secret: string): Promise<SignInResult> {
    const run = this.queue.then(async (): Promise<SignInResult> => {
      const roster = this.current;
      const signedIn = this.person;
      if (!roster || !signedIn) throw new ApiError('not-allowed', 'Nobody is signed in on this desk: there is nothing to unlock.');
      const checked = await this.checkSecret(roster, signedIn.person, secret);
      if (!checked.ok) return checked;
      if (this.person === signedIn) this.locked = false;
      this.o.log.info('roster.unlocked', { roles: signedIn.person.roles.length });
      return { ok: true, state: this.state() };
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Unwraps the person's key with `secret`, counting wrong tries and honouring the lock. */
  private async checkSecret(
    roster: Roster,
    person: RosterPerson,
    secret: string,
  ): Promise<{ ok: true; key: KeyObject } | Exclude<SignInResult, { ok: true }>> {
    const ref = personRef(person.id);
    const lockouts = this.lockouts();
    const entry = lockouts[person.id] ?? { wrong: 0, lockedUntil: null };
    const now = this.o.now();
    if (entry.lockedUntil !== null && Date.parse(entry.lockedUntil) > now.getTime()) {
      this.record({ type: 'sign-in-refused', reason: 'locked-out', personRef: ref });
      return { ok: false, reason: 'locked', until: entry.lockedUntil };
    }
    const key = await unwrapPersonKey(person, secret, roster.policy.kdf);
    if (!key) {
      const wrong = (entry.lockedUntil !== null ? 0 : entry.wrong) + 1;
      if (wrong >= MAX_WRONG_TRIES) {
        const until = new Date(this.o.now().getTime() + LOCKOUT_MS).toISOString();
        this.saveLockout(person.id, { wrong: 0, lockedUntil: until });
        this.record({ type: 'locked-out', personRef: ref, count: wrong });
        return { ok: false, reason: 'locked', until };
      }
      this.saveLockout(person.id, { wrong, lockedUntil: null });
      this.record({ type: 'sign-in-refused', reason: 'wrong-secret', personRef: ref, count: wrong });
      return { ok: false, reason: 'wrong-secret', triesLeft: MAX_WRONG_TRIES - wrong };
    }
    this.saveLockout(person.id, null);
    return { ok: true, key };
  }

  /** Whether the idle lock is on: someone is signed in and has not unlocked since it locked. */
  isLocked(): boolean {
    return this.person !== null && this.locked;
  }

  /** Turns the idle lock on while someone is signed in (the page shows the lock screen). */
  lock(): RosterState {
    if (this.person && !this.locked) {
      this.locked = true;
      this.o.log.info('roster.locked');
    }
    return this.state();
  }

  signOut(): RosterState {
    if (this.person) {
      this.dropPerson(undefined);
      this.changed();
    }
    return this.state();
  }

  private dropPerson(reason: 'switched' | 'roster-changed' | undefined): void {
    if (!this.person) return;
    this.record({ type: 'signed-out', personRef: personRef(this.person.person.id), ...(reason ? { reason } : {}) });
    this.person = null;
    this.locked = false;
  }

  private lockouts(): Lockouts {
    return this.o.store?.get(LOCKOUTS_KEY, Lockouts) ?? {};
  }

  private saveLockout(personId: string, entry: Lockouts[string] | null): void {
    if (!this.o.store) return;
    const all = this.lockouts();
    if (entry === null) delete all[personId];
    else all[personId] = entry;
    this.o.store.set(LOCKOUTS_KEY, all);
  }

  private record(event: AuditInput): void {
    const audit = this.o.audit();
    if (!audit) return;
    try {
      audit.append(event);
    } catch (err) {
      this.o.log.warn('roster.audit-failed', { message: err instanceof Error ? err.message.slice(0, 100) : 'unknown' });
    }
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  private stores(): { rosterStore: EncryptedStore } {
    if (!this.o.rosterStore) {
      throw new ApiError('keychain-unavailable', 'The OS keychain is not available, so the desk cannot store a team roster securely.');
    }
    return { rosterStore: this.o.rosterStore };
  }
}
