/**
 * `kotozute-admin roster …`: make a team roster (docs/roster.md), add desks and people, sign it with
 * the admin key and verify a signed roster as a desk would. The roster being edited is plain JSON
 * (public keys and wrapped person keys only); every change raises its serial, so a desk refuses an
 * older one it is offered later.
 */
import { rename, stat, unlink, writeFile } from 'node:fs/promises';
import { readBoundedText } from '../main/services/fs/bounded-read.js';
import { parseArgs } from 'node:util';
import { ApiError } from '../../shared/ipc/errors.js';
import { Role, ROSTER_FORMAT, ROSTER_VERSION, RosterPolicy, type Roster } from '../../shared/roster/schema.js';
import { requiredSecret, secretProblem } from '../../shared/roster/secret-policy.js';
import { ed25519PrivateKey, keyIdOf, parseAdminPublicKey, publicPemOf } from '../main/services/directory/admin-key.js';
import { quoteable } from '../main/services/directory/client-label.js';
import { readEnrolment } from '../main/services/roster/desk-key.js';
import { createPersonKey } from '../main/services/roster/person-key.js';
import { openRoster, parseRoster, readRosterFile, signRoster } from '../main/services/roster/roster-bundle.js';

export interface RosterIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Asks for a person's secret (twice on a terminal, without echo). */
  readSecret: (prompt: string) => Promise<string>;
  now: () => Date;
}

export const ROSTER_USAGE = `kotozute-admin roster — the team roster (desks, people, roles, policy); see docs/roster.md

  kotozute-admin roster create --team NAME --out roster.json
  kotozute-admin roster add-desk --roster roster.json --id ID (--enrolment STRING | --key PUBKEY --sip SIP-URI) [--name NAME]
  kotozute-admin roster add-person --roster roster.json --id ID --name NAME --kana KANA --roles operator[,supervisor,shift-lead]
      Asks for the person's PIN or passphrase (or reads one line from standard input) and refuses one
      weaker than the roster's policy for the person's strongest role.
  kotozute-admin roster sign --key admin.key --in roster.json --out roster.bundle
  kotozute-admin roster verify --pub admin.pub roster.bundle`;

export class RosterUsageError extends Error {}

/** The policy a new roster starts with (edit roster.json to change it before adding people). */
export const DEFAULT_POLICY: RosterPolicy = {
  kdf: { N: 2 ** 15, r: 8, p: 1 },
  secrets: {
    operator: { kind: 'pin', minLength: 6 },
    supervisor: { kind: 'passphrase', minLength: 14 },
    'shift-lead': { kind: 'passphrase', minLength: 14 },
  },
  monitor: { listen: ['supervisor', 'shift-lead'], whisper: ['supervisor'], barge: ['supervisor'] },
  tellOperatorWhenMonitored: true,
};

function options(args: readonly string[], required: readonly string[], optional: readonly string[] = [], positionals = 0): Record<string, string> & { _: string[] } {
  const spec: Record<string, { type: 'string' }> = {};
  for (const n of [...required, ...optional]) spec[n] = { type: 'string' };
  const parsed = parseArgs({ args: [...args], options: spec, allowPositionals: true, strict: true });
  const values = parsed.values as Record<string, string | undefined>;
  const out: Record<string, string> = {};
  for (const n of required) {
    const v = values[n];
    if (typeof v !== 'string' || v === '') throw new RosterUsageError(`--${n} is required`);
    out[n] = v;
  }
  for (const n of optional) if (typeof values[n] === 'string' && values[n] !== '') out[n] = values[n];
  if (parsed.positionals.length !== positionals) {
    throw new RosterUsageError(positionals === 0 ? `unexpected argument "${quoteable(parsed.positionals[0] ?? '', 40)}"` : 'expected one roster file');
  }
  return Object.assign(out, { _: parsed.positionals });
}

async function readRosterJson(path: string): Promise<Roster> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new ApiError('not-found', `cannot read the roster ${path}.`);
  return parseRoster(await readRosterFile(path));
}

/** Writes beside the target and renames, so nobody picks up a half-written file. */
async function writeAtomically(path: string, data: string | Uint8Array, flag: 'w' | 'wx' = 'w'): Promise<void> {
  if (flag === 'wx' && (await stat(path).catch(() => null))) throw new ApiError('not-allowed', `${path} already exists; refusing to overwrite it.`);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, data, { mode: 0o644 });
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** Checks the edited roster as a desk will, bumps its serial, and writes it. */
async function save(path: string, roster: Roster, io: RosterIo): Promise<Roster> {
  const next = parseRoster(Buffer.from(JSON.stringify({ ...roster, serial: roster.serial + 1, issuedAt: io.now().toISOString() })));
  await writeAtomically(path, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}

export async function runRoster(argv: readonly string[], io: RosterIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'create': {
      const o = options(rest, ['team', 'out']);
      const roster = parseRoster(
        Buffer.from(
          JSON.stringify({
            format: ROSTER_FORMAT,
            version: ROSTER_VERSION,
            team: o.team,
            serial: 1,
            issuedAt: io.now().toISOString(),
            policy: DEFAULT_POLICY,
            desks: [],
            people: [],
          }),
        ),
      );
      await writeAtomically(o.out as string, `${JSON.stringify(roster, null, 2)}\n`, 'wx');
      io.out(`created ${o.out}: team "${quoteable(roster.team)}", serial 1; add desks and people, then sign it`);
      return 0;
    }
    case 'add-desk': {
      const o = options(rest, ['roster', 'id'], ['enrolment', 'key', 'sip', 'name']);
      const roster = await readRosterJson(o.roster as string);
      let desk: { publicKey: string; sipUri: string | undefined; name: string | undefined };
      if (o.enrolment !== undefined) {
        const e = readEnrolment(o.enrolment);
        if (!e) throw new ApiError('invalid-argument', '--enrolment is not a desk enrolment string (it begins "kotozute-desk:"; copy it from the desk\'s Settings).');
        desk = { publicKey: e.publicKey, sipUri: o.sip ?? e.sipUri, name: o.name ?? e.name };
      } else {
        if (o.key === undefined) throw new RosterUsageError('give --enrolment, or --key and --sip');
        desk = { publicKey: o.key, sipUri: o.sip, name: o.name };
      }
      if (desk.sipUri === undefined) throw new RosterUsageError('the desk has no SIP URI yet: give --sip');
      const entry = { id: o.id as string, name: desk.name ?? (o.id as string), sipUri: desk.sipUri, publicKey: desk.publicKey };
      const saved = await save(o.roster as string, { ...roster, desks: [...roster.desks, entry] }, io);
      io.out(`added desk ${entry.id} (${entry.sipUri}); ${o.roster} is now serial ${saved.serial}`);
      return 0;
    }
    case 'add-person': {
      const o = options(rest, ['roster', 'id', 'name', 'kana', 'roles']);
      const roster = await readRosterJson(o.roster as string);
      const roles = (o.roles as string).split(',').map((r) => r.trim());
      const parsedRoles = roles.map((r) => Role.safeParse(r));
      if (parsedRoles.some((r) => !r.success)) throw new RosterUsageError(`--roles takes operator, supervisor, shift-lead (comma-separated), got "${quoteable(o.roles as string, 60)}"`);
      const personRoles = parsedRoles.map((r) => r.data as Role);
      if (roster.people.some((p) => p.id === o.id)) throw new ApiError('invalid-argument', `roster: a person with id "${o.id}" is already listed.`);
      const required = requiredSecret(personRoles, roster.policy);
      const what = required.kind === 'pin' ? `PIN (digits, at least ${required.minLength})` : `passphrase (at least ${required.minLength} characters)`;
      const secret = await io.readSecret(`${o.id}'s ${what}: `);
      const problem = secretProblem(secret, required);
      if (problem) {
        throw new ApiError('invalid-argument', `refused: ${problem}. The roster's policy for ${personRoles.join(', ')} asks for a ${what}. Nothing was written.`);
      }
      const key = await createPersonKey(secret, required.kind, roster.policy.kdf);
      const person = { id: o.id as string, name: o.name as string, kana: o.kana as string, roles: personRoles, ...key };
      const saved = await save(o.roster as string, { ...roster, people: [...roster.people, person] }, io);
      io.out(`added ${person.id} (${personRoles.join(', ')}, ${required.kind}); ${o.roster} is now serial ${saved.serial}`);
      return 0;
    }
    case 'sign': {
      const o = options(rest, ['key', 'in', 'out']);
      const keyPem = await readBoundedText(o.key as string, { kind: 'key' });
      const bundle = signRoster(await readRosterFile(o.in as string), keyPem);
      const roster = openRoster(bundle, publicPemOf(ed25519PrivateKey(keyPem)));
      await writeAtomically(o.out as string, bundle);
      io.out(`signed ${summary(roster)}, key id ${keyIdOf(publicPemOf(ed25519PrivateKey(keyPem)))} → ${o.out}`);
      return 0;
    }
    case 'verify': {
      const o = options(rest, ['pub'], [], 1);
      const pem = await readBoundedText(o.pub as string, { kind: 'key' });
      const source = `--pub ${o.pub}`;
      parseAdminPublicKey(pem, source);
      const roster = openRoster(await readRosterFile(o._[0] as string), pem, { keySource: source });
      io.out(`OK ${summary(roster)}, key id ${keyIdOf(pem)}`);
      return 0;
    }
    default:
      throw new RosterUsageError(command === undefined ? 'roster needs a command' : `unknown roster command "${quoteable(command, 40)}"`);
  }
}

function summary(r: Roster): string {
  return `team "${quoteable(r.team)}", serial ${r.serial}, ${r.desks.length} desk${r.desks.length === 1 ? '' : 's'}, ${r.people.length} ${r.people.length === 1 ? 'person' : 'people'}`;
}
