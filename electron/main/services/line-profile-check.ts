/**
 * Checks for what an operator or an admin hands the desk to pair a line: a line profile typed in
 * Settings, or a provisioning profile file. Pure (no store, no keychain, no socket), so every check
 * runs before anything is written and a refused profile changes nothing. Errors name the JSON path
 * and never quote the value (a server host or SIP address identifies the customer).
 */
import { describeIssues } from '../../../shared/ipc/errors.js';
import { ApiError } from '../../../shared/ipc/errors.js';
import { LineProfile, ProvisioningProfile } from '../../../shared/ipc/line-contract.js';
import { checkServerUrl } from '../../../shared/line/server-url.js';
import { containsPrivateKeyPem, looksLikePrivateKey, parseAdminPublicKey } from './directory/admin-key.js';

// sip:user@host[:port][;params] — a user part is required: the desk registers as that user.
const SIP_AOR = /^sips?:([^@\s<>"]+)@([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?(?:;[^\s<>"]*)?$/i;

const SERVER_PROBLEMS: Record<string, string> = {
  'not-a-url': 'is not a WebSocket URL (expected wss://host[:port][/path])',
  scheme: 'must start with wss:// (or ws:// to this computer only)',
  'insecure-remote':
    'uses ws:// to another computer; only wss:// (encrypted) is allowed there, ws:// only to 127.0.0.1, localhost or [::1]. Nothing was sent to it',
  credentials: 'must not contain a user name or password (user@host); the password goes in the password field',
};

/** The user part of a SIP address of record, or null when it is not a `sip:user@host` URI. */
export function aorUser(aor: string): string | null {
  const m = SIP_AOR.exec(aor.trim());
  return m ? m[1]! : null;
}

/**
 * Checks a line profile's server URL and SIP address. `at` prefixes each path (e.g. `line.` in a
 * provisioning profile). Throws ApiError('invalid-argument') listing every problem.
 */
export function checkLineProfile(profile: Pick<LineProfile, 'server' | 'aor'>, at = ''): void {
  const problems: string[] = [];
  const server = checkServerUrl(profile.server);
  if (!server.ok) problems.push(`${at}server: the server URL ${SERVER_PROBLEMS[server.problem] ?? 'is not usable'}.`);
  if (aorUser(profile.aor) === null) {
    problems.push(`${at}aor: the SIP URI must look like sip:user@host (e.g. sip:desk12@pbx.example.jp).`);
  }
  if (problems.length > 0) {
    throw new ApiError('invalid-argument', `The line settings were not saved: ${problems.join(' ')}`, problems);
  }
}

/** A checked provisioning profile: the line profile to store and the admin key to pin. */
export interface CheckedProvisioning {
  line: LineProfile;
  adminPublicKey: string;
  directoryBundle: string | undefined;
  rosterBundle: string | undefined;
}

/** Where a password might be smuggled into a profile; refused so a floor file never holds one. */
const PASSWORD_KEYS = /pass(word)?|secret|credential/i;

function passwordPaths(value: unknown, at: string[] = [], out: string[] = []): string[] {
  if (value === null || typeof value !== 'object' || at.length > 3) return out;
  for (const [k, v] of Object.entries(value)) {
    // ICE servers legitimately carry a TURN credential; that is a media relay secret, not the SIP password.
    if (at[0] === 'line' && at[1] === 'iceServers') continue;
    if (PASSWORD_KEYS.test(k)) out.push([...at, k].join('.'));
    else passwordPaths(v, [...at, k], out);
  }
  return out;
}

function privateKeyFile(): ApiError {
  return new ApiError(
    'invalid-argument',
    "The provisioning profile was not imported: the file holds a private key (-----BEGIN … PRIVATE KEY-----). The admin's private key must never reach a desk; a profile carries only the public key (admin.pub) in adminPublicKey. Nothing was stored.",
    ['the file: holds a private key PEM block'],
  );
}

/**
 * Parses and checks a provisioning profile's JSON text (see docs/provisioning.md). Does not verify
 * the directory bundle's signature (the caller does, against the profile's key). Throws
 * ApiError('invalid-argument') with one detail per problem, each naming its JSON path.
 */
export function parseProvisioningProfile(text: string): CheckedProvisioning {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    // JSON.parse's message quotes the text, and the file picked may be the admin's key file.
    if (containsPrivateKeyPem(text)) throw privateKeyFile();
    const why = err instanceof Error ? err.message.slice(0, 120) : 'unreadable';
    throw new ApiError('invalid-argument', `The provisioning profile is not JSON (${why}).`);
  }
  const field = (raw as { adminPublicKey?: unknown } | null)?.adminPublicKey;
  if (typeof field === 'string' && looksLikePrivateKey(field)) parseAdminPublicKey(field, "The provisioning profile's adminPublicKey", 'adminPublicKey'); // throws
  if (containsPrivateKeyPem(text)) throw privateKeyFile();
  const smuggled = passwordPaths(raw);
  if (smuggled.length > 0) {
    throw new ApiError(
      'invalid-argument',
      'A provisioning profile must never carry a password: remove it from the file. Each operator types the password when pairing; it is kept only in the OS keychain.',
      smuggled.map((p) => `${p}: not allowed in a provisioning profile`),
    );
  }
  const parsed = ProvisioningProfile.safeParse(raw);
  if (!parsed.success) {
    const details = describeIssues(parsed.error.issues);
    throw new ApiError('invalid-argument', `The provisioning profile is not valid: ${details.slice(0, 3).join('; ')}`, details);
  }
  const p = parsed.data;
  checkLineProfile(p.line, 'line.');
  const authUser = p.line.authUser && p.line.authUser.length > 0 ? p.line.authUser : aorUser(p.line.aor)!;
  try {
    parseAdminPublicKey(p.adminPublicKey, 'the key', 'adminPublicKey');
  } catch (err) {
    const why = err instanceof ApiError ? err.message : 'unreadable';
    throw new ApiError('invalid-argument', `The provisioning profile's adminPublicKey is not usable: ${why}`, err instanceof ApiError ? err.details : [`adminPublicKey: ${why}`]);
  }
  return {
    line: LineProfile.parse({ ...p.line, authUser }),
    adminPublicKey: p.adminPublicKey,
    directoryBundle: p.directoryBundle,
    rosterBundle: p.rosterBundle,
  };
}
