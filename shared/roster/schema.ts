/**
 * The team roster: every desk and every person on the floor, as the admin publishes it, signed with
 * the same admin key as the directory (docs/roster.md). Desks use it to know who may sign in, with
 * which role, which desk keys sign floor states, and whose signature grants a monitor session.
 *
 * The roster is on every desk, so assume an operator can copy it and guess offline: a person's
 * private key is stored only wrapped (AES-256-GCM) by a key derived from their PIN or passphrase
 * (scrypt, parameters in the roster). Unwrapping it is the sign-in check: there is no separate
 * password hash to attack. The policy sets how strong each role's secret must be.
 */
import { z } from 'zod';

export const ROSTER_FORMAT = 'kotozute-roster';
export const ROSTER_VERSION = 1;

const text = (max: number) => z.string().min(1).max(max);
/** base64url without padding of exactly `bytes` bytes. */
const base64url = (bytes: number) =>
  z.string().length(Math.ceil((bytes * 4) / 3)).regex(/^[A-Za-z0-9_-]+$/, `base64url of ${bytes} bytes`);

export const Role = z.enum(['operator', 'supervisor', 'shift-lead']);
export type Role = z.infer<typeof Role>;

/** Ids of desks and people: lowercase letters, digits and hyphens. */
export const RosterId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lowercase letters, digits and hyphens, at most 64');
export type RosterId = z.infer<typeof RosterId>;

/** An Ed25519 public key: the raw 32 bytes, base64url. */
export const PublicKeyText = base64url(32);
/** An Ed25519 signature: 64 bytes, base64url. */
export const SignatureText = base64url(64);

/** The SIP address a desk registers (where monitor INVITEs and floor MESSAGEs are sent). */
export const DeskSipUri = z
  .string()
  .max(256)
  .regex(/^sips?:[A-Za-z0-9._~!$&'()*+,;=%-]+@[A-Za-z0-9.-]+(:[0-9]{1,5})?$/, 'a SIP URI such as sip:desk-01@pbx.example.jp');

export const RosterDesk = z.object({
  id: RosterId,
  name: text(100),
  sipUri: DeskSipUri,
  /** The desk's own key (made at first run, private half in that desk's keychain). */
  publicKey: PublicKeyText,
});
export type RosterDesk = z.infer<typeof RosterDesk>;

export const ScryptParams = z.object({
  /** CPU/memory cost: a power of two. 2^15 with r=8 is ~32 MiB and ~100 ms per try. */
  N: z.number().int().min(2 ** 14).max(2 ** 20).refine((n) => (n & (n - 1)) === 0, 'a power of two'),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
});
export type ScryptParams = z.infer<typeof ScryptParams>;

export const SecretKind = z.enum(['pin', 'passphrase']);
export type SecretKind = z.infer<typeof SecretKind>;

/** The weakest secret a role may have. A PIN is digits only; a passphrase is any text. */
export const SecretPolicy = z.object({
  kind: SecretKind,
  minLength: z.number().int().min(4).max(128),
});
export type SecretPolicy = z.infer<typeof SecretPolicy>;

export const RosterPerson = z.object({
  id: RosterId,
  name: text(100),
  kana: text(100),
  roles: z.array(Role).min(1).max(3).refine((r) => new Set(r).size === r.length, 'each role once'),
  /** The person's Ed25519 public key: verifies monitor requests and watch requests they sign. */
  publicKey: PublicKeyText,
  secret: z.object({
    kind: SecretKind,
    /** scrypt salt, 16 bytes. */
    salt: base64url(16),
    /** The private key's 32-byte seed, AES-256-GCM under scrypt(secret, salt, 32). */
    iv: base64url(12),
    wrappedKey: base64url(32),
    tag: base64url(16),
  }),
});
export type RosterPerson = z.infer<typeof RosterPerson>;

export const MonitorMode = z.enum(['listen', 'whisper', 'barge']);
export type MonitorMode = z.infer<typeof MonitorMode>;

/** A wall-clock time of day, 24-hour "HH:MM" (00:00–23:59). */
export const TimeOfDay = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'a time of day as HH:MM (24-hour)');

/** True when `zone` is an IANA time zone this runtime's Intl knows (e.g. Asia/Tokyo). */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const TimeZoneName = z.string().min(1).max(64).refine(isTimeZone, 'an IANA time zone such as Asia/Tokyo');

/**
 * The site's daily clearance (issue 10 §5): every desk running at `dailyAt` (wall clock in
 * `timeZone`) clears itself when it holds nothing undelivered; a desk that was off clears at its next
 * start, before any note can be opened.
 */
export const ClearancePolicy = z.strictObject({
  dailyAt: TimeOfDay,
  timeZone: TimeZoneName,
});
export type ClearancePolicy = z.infer<typeof ClearancePolicy>;

/** The idle lock's delay when the roster sets none, and on a desk without a roster (training). */
export const DEFAULT_IDLE_LOCK_MINUTES = 10;

export const RosterPolicy = z.object({
  kdf: ScryptParams,
  /** Per role; a person with several roles needs the strongest of theirs. */
  secrets: z.object({ operator: SecretPolicy, supervisor: SecretPolicy, 'shift-lead': SecretPolicy }),
  /** Which roles may start each monitor mode. */
  monitor: z.object({
    listen: z.array(Role).max(3),
    whisper: z.array(Role).max(3),
    barge: z.array(Role).max(3),
  }),
  /** Whether the operator's desk shows "監視中 / supervisor listening" during a monitor session. */
  tellOperatorWhenMonitored: z.boolean(),
  /** The daily scheduled clearance; none = desks are cleared by a shift lead only. */
  clearance: ClearancePolicy.optional(),
  /**
   * Minutes without input before the desk locks (issue 11 §2): caller and client data and notes are
   * hidden until the signed-in person enters their secret again. None = DEFAULT_IDLE_LOCK_MINUTES.
   */
  idleLockMinutes: z.number().int().min(1).max(60).optional(),
});
export type RosterPolicy = z.infer<typeof RosterPolicy>;

export const Roster = z
  .object({
    format: z.literal(ROSTER_FORMAT),
    version: z.literal(ROSTER_VERSION),
    team: text(200),
    /** Grows with every roster the admin publishes; a desk refuses one older than it holds. */
    serial: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    issuedAt: z.string().datetime({ offset: true }),
    policy: RosterPolicy,
    desks: z.array(RosterDesk).max(2_000),
    people: z.array(RosterPerson).max(5_000),
  })
  .superRefine((roster, ctx) => {
    const unique = (values: string[], path: 'desks' | 'people', field: string): void => {
      const seen = new Set<string>();
      values.forEach((value, i) => {
        if (seen.has(value)) ctx.addIssue({ code: 'custom', path: [path, i, field], message: `duplicate ${field} ${value}` });
        seen.add(value);
      });
    };
    unique(roster.desks.map((d) => d.id), 'desks', 'id');
    unique(roster.desks.map((d) => d.sipUri.toLowerCase()), 'desks', 'sipUri');
    unique(roster.desks.map((d) => d.publicKey), 'desks', 'publicKey');
    unique(roster.people.map((p) => p.id), 'people', 'id');
  });
export type Roster = z.infer<typeof Roster>;
