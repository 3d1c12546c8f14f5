/**
 * `kotozute-admin audit verify FILE`: checks a desk's audit file (audit.jsonl) the way an auditor
 * would — every line an event, every hash matching, every line chained to the one before — and
 * names the first line that is wrong. Prints the last hash on success: written down elsewhere (a
 * shift report), it anchors the end of the file, which no hash chain can protect on its own.
 *
 * Exit codes: 0 the chain is intact, 1 it is broken or the file cannot be read, 2 bad usage.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { verifyAuditChain } from '../main/services/audit/audit-log.js';

export interface AuditCommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

const USAGE = `Usage:
  kotozute-admin audit verify FILE
      Checks the hash chain of a desk's audit file (audit.jsonl); names the first broken line.`;

const defaultIo: AuditCommandIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

/**
 * Runs `audit verify` with `argv` = the arguments after `audit verify` (the file; `--help`).
 * A leading "verify" is accepted too, so it can be handed everything after `audit`.
 */
export async function runAuditVerify(argv: readonly string[], io: AuditCommandIo = defaultIo): Promise<number> {
  let positionals: string[];
  let help: boolean;
  try {
    const parsed = parseArgs({ args: [...argv], options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    positionals = parsed.positionals;
    help = parsed.values.help === true;
  } catch (err) {
    io.err(`kotozute-admin audit verify: ${(err as Error).message}`);
    io.err(USAGE);
    return 2;
  }
  if (help) {
    io.out(USAGE);
    return 0;
  }
  if (positionals[0] === 'verify') positionals = positionals.slice(1);
  if (positionals.length !== 1) {
    io.err('kotozute-admin audit verify: expected one audit file');
    io.err(USAGE);
    return 2;
  }
  const file = positionals[0] as string;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    io.err(`kotozute-admin audit verify: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return 1;
  }
  const verdict = verifyAuditChain(text);
  if (!verdict.ok) {
    io.err(`BROKEN ${file}: line ${verdict.line}: ${verdict.reason}`);
    return 1;
  }
  io.out(`OK ${file}: ${verdict.events} event${verdict.events === 1 ? '' : 's'}, chain intact, last hash ${verdict.lastHash}`);
  return 0;
}
