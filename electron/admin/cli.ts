/**
 * kotozute-admin: the directory admin's tool. Creates the admin key pair, signs a directory into a
 * bundle (refusing one a desk would refuse) and verifies a bundle exactly as a desk would.
 *
 * Exit codes: 0 success, 1 the operation failed (the reason is on stderr), 2 bad usage or a file
 * refused unread (not a regular file, over its cap, changed while read: electron/main/services/fs/bounded-read.ts).
 */
import { chmod, mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiError } from '../../shared/ipc/errors.js';
import {
  generateAdminKeyPair,
  keyIdOf,
  parseAdminPublicKey,
  openBundle,
  readBundleFile,
  signDirectory,
  type OpenedDirectory,
} from '../main/services/directory/bundle.js';
import { ed25519PrivateKey, publicPemOf } from '../main/services/directory/admin-key.js';
import { quoteable } from '../main/services/directory/client-label.js';
import { FileRefused, readBounded, readBoundedText } from '../main/services/fs/bounded-read.js';
import { runAuditVerify } from './audit-command.js';
import { runRecordVerify } from './record-command.js';
import { readSecretFromUser } from './read-secret.js';
import { ROSTER_USAGE, RosterUsageError, runRoster } from './roster-command.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Asks for a person's secret (roster add-person); tests pass one in. */
  readSecret?: (prompt: string) => Promise<string>;
  now?: () => Date;
}

const USAGE = `kotozute-admin — admin keys and signed client directories for Kotozute desks

Usage:
  kotozute-admin keygen --out DIR
      Writes DIR/admin.key (private, mode 0600: keep it off the desks) and DIR/admin.pub
      (the public key each desk pins when it is paired).
  kotozute-admin sign --key admin.key --in directory.json --out directory.bundle
      Checks the directory (schema, duplicate numbers, size) and signs it.
  kotozute-admin verify --pub admin.pub directory.bundle
      Checks a bundle as a desk does on import (every client); prints one summary line, or
      the reason it is refused.
  kotozute-admin roster create|add-desk|add-person|sign|verify …
      The team roster (desks, people, roles, policy); \`kotozute-admin roster --help\`, docs/roster.md.
  kotozute-admin audit verify FILE [--head TRAIL:SEQ:HASH]
      Checks the hash chain of a desk's audit file (audit.jsonl); names the first broken line,
      and where the file and the head part or the file ends before it. Without a head the tail
      is unanchored (lines cut off the end cannot be seen); an empty file is an error.
      --head RECORD takes the head a deletion record carries.
  kotozute-admin record verify --roster ROSTER [--pub ADMIN.pub] FILE…
      Checks deletion records (docs/clearance.md): each signed by its desk's key as the roster
      lists it, each desk's records one chain; names the first bad one.
  kotozute-admin --help

Files are read only when they are regular files and within their size (key 16 KB, directory and
bundle 50 MB, audit file 128 MB, deletion record 64 KB); anything else is refused in one line, exit 2.

See docs/directory.md for the directory format.`;

class UsageError extends Error {}

const defaultIo: CliIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

/** Runs one command line (without the node and script arguments); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      case 'keygen':
        return await keygen(rest, io);
      case 'sign':
        return await signCommand(rest, io);
      case 'verify':
        return await verifyCommand(rest, io);
      case 'roster':
        if (rest[0] === undefined || rest[0] === '--help' || rest[0] === '-h') {
          io.out(ROSTER_USAGE);
          return rest[0] === undefined ? 2 : 0;
        }
        return await runRoster(rest, { out: io.out, err: io.err, readSecret: io.readSecret ?? readSecretFromUser, now: io.now ?? (() => new Date()) });
      case 'audit':
        // Only `audit verify` for now; runAuditVerify accepts the leading "verify" and names bad usage.
        if (rest[0] !== 'verify') throw new UsageError(`unknown audit command "${quoteable(rest[0] ?? '', 40)}" (expected "audit verify FILE")`);
        return await runAuditVerify(rest, io);
      case 'record':
        if (rest[0] !== 'verify') throw new UsageError(`unknown record command "${quoteable(rest[0] ?? '', 40)}" (expected "record verify --roster ROSTER FILE…")`);
        return await runRecordVerify(rest, io);
      default:
        throw new UsageError(`unknown command "${quoteable(command, 40)}"`);
    }
  } catch (err) {
    if (err instanceof RosterUsageError || (isParseArgsError(err) && argv[0] === 'roster')) {
      io.err(`kotozute-admin: ${(err as Error).message}\n`);
      io.err(ROSTER_USAGE);
      return 2;
    }
    if (err instanceof FileRefused && err.reason !== 'missing' && err.reason !== 'unreadable') {
      io.err(`kotozute-admin: ${err.message}`);
      return 2;
    }
    if (err instanceof UsageError || isParseArgsError(err)) {
      io.err(`kotozute-admin: ${(err as Error).message}\n`);
      io.err(USAGE);
      return 2;
    }
    if (err instanceof ApiError) {
      io.err(`kotozute-admin: ${err.message}`);
      for (const d of err.details) io.err(`  ${d}`);
      return 1;
    }
    io.err(`kotozute-admin: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

function parse(args: readonly string[], names: readonly string[], positionals = 0) {
  const options: Record<string, { type: 'string' } | { type: 'boolean'; short: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const n of names) options[n] = { type: 'string' };
  const parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help === true) return null;
  const strings: Record<string, string> = {};
  for (const n of names) {
    const v = values[n];
    if (typeof v !== 'string' || v === '') throw new UsageError(`--${n} is required`);
    strings[n] = v;
  }
  if (parsed.positionals.length !== positionals) {
    throw new UsageError(positionals === 0 ? `unexpected argument "${quoteable(parsed.positionals[0] ?? '', 40)}"` : 'expected one bundle file');
  }
  return { values: strings, positionals: parsed.positionals };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function keygen(args: readonly string[], io: CliIo): Promise<number> {
  const p = parse(args, ['out']);
  if (!p) return help(io);
  const dir = p.values.out as string;
  const keyPath = join(dir, 'admin.key');
  const pubPath = join(dir, 'admin.pub');
  // Never overwrite a key: losing the old one would orphan every desk that pinned it.
  for (const f of [keyPath, pubPath]) {
    if (await exists(f)) throw new ApiError('not-allowed', `${f} already exists; refusing to overwrite an admin key.`);
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { privateKeyPem, publicKeyPem } = generateAdminKeyPair();
  await writeFile(keyPath, privateKeyPem, { mode: 0o600, flag: 'wx' });
  await chmod(keyPath, 0o600); // in case the file system ignored the creation mode
  await writeFile(pubPath, publicKeyPem, { mode: 0o644, flag: 'wx' });
  io.out(`wrote ${keyPath} (private: keep it off the desks) and ${pubPath}; key id ${keyIdOf(publicKeyPem)}`);
  return 0;
}

async function signCommand(args: readonly string[], io: CliIo): Promise<number> {
  const p = parse(args, ['key', 'in', 'out']);
  if (!p) return help(io);
  const { key, in: input, out } = p.values as { key: string; in: string; out: string };
  // Read first: a FIFO or a device is refused in one line, before any warning about its mode.
  const privateKeyPem = await readBoundedText(key, { kind: 'key' });
  const keyInfo = await stat(key).catch(() => null);
  if (keyInfo && process.platform !== 'win32' && (keyInfo.mode & 0o077) !== 0) {
    io.err(`kotozute-admin: warning: ${key} is readable by other users (mode ${(keyInfo.mode & 0o777).toString(8)}); chmod 600 it.`);
  }
  const bundle = signDirectory(await readBounded(input, { kind: 'directory' }), privateKeyPem);
  // Check the result as a desk will before publishing it, against the key's public half.
  const opened = openBundle(bundle, publicPemOf(ed25519PrivateKey(privateKeyPem)), { full: true });
  // Write beside the target and rename, so a desk never picks up a half-written bundle.
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, bundle, { mode: 0o644 });
    await rename(tmp, out);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  io.out(`signed ${summary(opened)} → ${out}`);
  return 0;
}

async function verifyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const p = parse(args, ['pub'], 1);
  if (!p) return help(io);
  const pubPath = p.values.pub as string;
  const publicKeyPem = await readBoundedText(pubPath, { kind: 'key' });
  // Refused before the bundle is read: `--pub admin.key` must never answer OK.
  const source = `--pub ${pubPath}`;
  parseAdminPublicKey(publicKeyPem, source);
  const bundle = await readBundleFile(p.positionals[0] as string);
  io.out(`OK ${summary(openBundle(bundle, publicKeyPem, { full: true, keySource: source }))}`);
  return 0;
}

function summary({ publisher, publishedAt, index, keyId }: OpenedDirectory): string {
  const { size, didCount } = index;
  return (
    `publisher "${quoteable(publisher)}", published ${publishedAt}, ` +
    `${size} client${size === 1 ? '' : 's'}, ${didCount} DID${didCount === 1 ? '' : 's'}, key id ${keyId}`
  );
}

function help(io: CliIo): number {
  io.out(USAGE);
  return 0;
}
