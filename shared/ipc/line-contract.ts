/**
 * Schemas for the line (issue 3): the pairing profile a desk keeps, the provisioning profile a floor
 * is set up from, and what the renderer's SIP user agent needs from the main process.
 */
import { z } from 'zod';
import { Caller } from '../directory/pop.js';
import { ClientId } from '../directory/schema.js';

export const DidSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('header'), name: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/) }),
  z.object({ kind: z.literal('p-called-party-id') }),
  z.object({ kind: z.literal('diversion') }),
  z.object({ kind: z.literal('to') }),
]);

export const IceServerSchema = z.object({
  urls: z.union([z.string().max(256), z.array(z.string().max(256)).max(4)]),
  username: z.string().max(128).optional(),
  credential: z.string().max(256).optional(),
});

/** The line settings a desk keeps (not secret). The password lives only in the OS keychain. */
export const LineProfile = z.object({
  server: z.string().max(512),
  aor: z.string().max(256),
  authUser: z.string().min(1).max(128),
  displayName: z.string().max(128).default(''),
  iceServers: z.array(IceServerSchema).max(8).default([]),
  didSources: z.array(DidSourceSchema).min(1).max(8).optional(),
  maxCalls: z.number().int().min(1).max(8).default(2),
  dtmfMode: z.enum(['rfc4733', 'info']).default('rfc4733'),
});
export type LineProfile = z.infer<typeof LineProfile>;

export const LineState = z.object({
  paired: z.boolean(),
  profile: LineProfile.nullable(),
  hasPassword: z.boolean(),
});
export type LineState = z.infer<typeof LineState>;

/**
 * A provisioning profile: how a floor of desks is set up the same way. Never carries a password.
 * Documented in docs/provisioning.md.
 */
export const ProvisioningProfile = z.object({
  format: z.literal('kotozute-provisioning'),
  version: z.literal(1),
  line: LineProfile.omit({ authUser: true }).extend({ authUser: z.string().max(128).optional() }),
  /** The admin's Ed25519 public key (PEM): the only key this desk trusts for directories. */
  adminPublicKey: z.string().max(4096),
  /** Where the directory bundle comes from: its text inline, or nothing yet. */
  directoryBundle: z.string().max(70 * 1024 * 1024).optional(),
  /** The signed team roster's text (docs/roster.md), signed by the same admin key. */
  rosterBundle: z.string().max(6 * 1024 * 1024).optional(),
});
export type ProvisioningProfile = z.infer<typeof ProvisioningProfile>;

/** What the renderer gives the main process when a real call rings, for the pop. */
export const IncomingCallArgs = z.object({
  callId: z.string().min(1).max(128),
  /** The dialled number as the line extracted it (normalised), or null when no source had one. */
  did: z.string().max(64).nullable(),
  caller: Caller,
});
export type IncomingCallArgs = z.infer<typeof IncomingCallArgs>;

/**
 * What the main process found when it tried the line's server itself (a page cannot see why a
 * wss:// connection failed): `ok`, `tls` (certificate not trusted, expired or for another name, or
 * the handshake failed), `unreachable` or `timeout`. `detail` is the platform's error code only
 * (e.g. DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID, ECONNREFUSED): never a message,
 * which may name the customer's host.
 */
export const LineProbeResult = z.object({
  outcome: z.enum(['ok', 'tls', 'unreachable', 'timeout']),
  detail: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/)
    .optional(),
});
export type LineProbeResult = z.infer<typeof LineProbeResult>;

/**
 * The name of every client of the directory a real call pops from, by dialled number: the ringing
 * strip shows who the call is for in its first frame, without waiting for the main process to build
 * the pop. Labels only — never a script, a staff member or a transfer target.
 */
export const ClientLabel = z.object({
  id: ClientId,
  name: z.string().max(200),
  /** The client's numbers, normalised as shared/directory/did.ts does (E.164 where it can). */
  dids: z.array(z.string().min(1).max(32)).min(1).max(100),
});
export type ClientLabel = z.infer<typeof ClientLabel>;

export const ClientLabels = z.object({
  clients: z.array(ClientLabel).max(20_000),
});
export type ClientLabels = z.infer<typeof ClientLabels>;
