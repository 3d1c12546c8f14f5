/**
 * The clients of an opened bundle, parsed and schema-checked one at a time from their byte ranges.
 *
 * Why a desk may start before every client is checked: every byte was signature-checked at start-up
 * against the pinned admin key; the admin's signer had fully validated the directory before signing
 * it (schema, cross-client rules, the same code as here); and each client is still re-validated by
 * the desk before it is shown — on first use here, or all at once on import (openBundle's full
 * check). A client that fails is never shown: its error, naming the JSON path and the client, is
 * thrown to whoever asked for it, every time.
 */
import { Client, type DirectoryTable, type DirectoryTableEntry } from '../../../../shared/directory/schema.js';
import type { ApiError } from '../../../../shared/ipc/errors.js';
import { clientLabel, quoteable } from './client-label.js';
import { clientProblem, summarise } from './directory-errors.js';
import { clientRuleProblems } from './directory-index.js';

/** Why one client was refused; the kinds are reported in this order by the full check. */
class Refusal {
  constructor(
    readonly kind: 'schema' | 'table' | 'rules',
    readonly problems: string[],
  ) {}
}

const LEADS: Record<Refusal['kind'], string> = {
  schema: 'The directory does not match the schema',
  table: "The bundle's table does not match its payload",
  rules: 'The directory is inconsistent',
};

/** Keeps a byte-order mark, so JSON.parse refuses it as the whole payload's parser would. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Parses and checks clients[index]; returns the client or why it is refused. */
function checkClient(entry: DirectoryTableEntry, index: number, payload: Buffer): Client | Refusal {
  const bytes = payload.subarray(entry.offset, entry.offset + entry.length);
  let raw: unknown;
  try {
    raw = JSON.parse(utf8.decode(bytes));
  } catch (err) {
    const why = err instanceof SyntaxError ? `is not JSON (${err.message.slice(0, 120)})` : 'is not UTF-8 text';
    return new Refusal('schema', [clientProblem(index, entry, [], why)]);
  }
  const parsed = Client.safeParse(raw);
  if (!parsed.success) {
    return new Refusal('schema', parsed.error.issues.map((i) => clientProblem(index, raw, i.path, i.message)));
  }
  const client = parsed.data;
  const label = () => clientLabel(index, client);
  // The index was built from the table; a client that says otherwise would be found by the wrong number.
  const differs = (['id', 'name', 'kana'] as const)
    .filter((f) => client[f] !== entry[f])
    .map((f) => `${label()}: ${f}: "${quoteable(client[f])}" differs from the table's "${quoteable(entry[f])}"`);
  if (!sameList(client.dids, entry.dids)) differs.push(`${label()}: dids: differ from the table's "${quoteable(entry.dids.join('", "'))}"`);
  if (differs.length) return new Refusal('table', differs);
  const rules = clientRuleProblems(client, label);
  return rules.length ? new Refusal('rules', rules) : client;
}

const refusalError = (r: Refusal): ApiError => summarise(LEADS[r.kind], r.problems);
const isRefusal = (r: Client | Refusal): r is Refusal => r instanceof Refusal;

/** Clients parsed on first use and cached; failures are cached too, so each is reported alike. */
export interface BundleClients {
  /** clients[index], validated; throws ApiError('directory-invalid') naming the path and the client. */
  clientAt(index: number): Client;
  /** Every client, validated; throws one error listing every problem of the first kind found. */
  all(): Client[];
}

/** The clients of a bundle whose signature, table and layout were checked (readBody), parsed lazily. */
export function bundleClients(table: DirectoryTable, payload: Buffer): BundleClients {
  const cache: (Client | Refusal | undefined)[] = new Array(table.clients.length);
  const outcome = (index: number): Client | Refusal => {
    let result = cache[index];
    if (result === undefined) {
      result = checkClient(table.clients[index] as DirectoryTableEntry, index, payload);
      cache[index] = result;
    }
    return result;
  };
  return {
    clientAt(index) {
      const result = outcome(index);
      if (isRefusal(result)) throw refusalError(result);
      return result;
    },
    all() {
      const results = table.clients.map((_, i) => outcome(i));
      for (const kind of ['schema', 'table', 'rules'] as const) {
        const problems = results.flatMap((r) => (isRefusal(r) && r.kind === kind ? r.problems : []));
        if (problems.length) throw refusalError(new Refusal(kind, problems));
      }
      return results as Client[];
    },
  };
}
