/**
 * The directory as the desk uses it when a call rings: client by dialled number in one map lookup.
 *
 * The index is built from client summaries (id, name, kana, numbers) — a signed bundle's table —
 * so a desk can index 5,000 clients at start-up without parsing them; the full client is fetched
 * through `clientAt` when first needed. Building it is also where the directory's cross-client
 * rules are enforced, because a schema can only check one value at a time: two clients claiming the
 * same number (however each wrote it), two clients with the same id, a number that cannot be
 * normalised. Rules within one client that a schema cannot express (a time zone that exists, staff
 * ids unique) are in clientRuleProblems, run wherever a client is validated.
 */
import type { Client, Directory } from '../../../../shared/directory/schema.js';
import { displayDid, normaliseDid } from '../../../../shared/directory/did.js';
import { clientLabel, quoteable } from './client-label.js';
import type { ApiError } from '../../../../shared/ipc/errors.js';
import { summarise } from './directory-errors.js';

/** What the index knows about a client before its full entry is parsed. */
export interface ClientSummary {
  readonly id: string;
  readonly name: string;
  readonly kana: string;
  /** The numbers as the admin wrote them. */
  readonly dids: readonly string[];
}

/** Read-only lookups over one verified directory. */
export interface DirectoryIndex {
  /** Every client, in directory order, as listed for the operator (no full entry is parsed). */
  readonly summaries: readonly ClientSummary[];
  /** Number of clients. */
  readonly size: number;
  /** Distinct dialled numbers across all clients. */
  readonly didCount: number;
  /**
   * Finds the client for a dialled number in any written form (national, E.164, SIP URI, full-width).
   * May throw ApiError('directory-invalid') naming the path and the client if the client's entry
   * fails validation when it is first used (see openBundle).
   */
  byDid(did: string): Client | undefined;
  /** Finds a client by id; may throw like byDid. */
  byId(id: string): Client | undefined;
}

const knownZones = new Map<string, boolean>();

function isTimeZone(zone: string): boolean {
  let ok = knownZones.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      ok = true;
    } catch {
      ok = false;
    }
    knownZones.set(zone, ok);
  }
  return ok;
}

/**
 * The rules within one schema-valid client that its schema cannot express. `label` names the client;
 * it is called only for a problem.
 */
export function clientRuleProblems(client: Client, label: () => string): string[] {
  const problems: string[] = [];
  if (!isTimeZone(client.businessHours.timezone)) {
    problems.push(`${label()}: businessHours.timezone: "${quoteable(client.businessHours.timezone)}" is not an IANA time zone`);
  }
  const staffIds = new Set<string>();
  client.staff.forEach((s, i) => {
    if (staffIds.has(s.id)) problems.push(`${label()}: staff.${i}.id: "${quoteable(s.id)}" is used by two staff members`);
    staffIds.add(s.id);
  });
  return problems;
}

/** One directory-invalid error for a list of cross-client or per-client rule violations. */
export const inconsistent = (problems: readonly string[]): ApiError => summarise('The directory is inconsistent', problems);

/** Unique ids and numbers across summaries, or the list of what is wrong. */
function crossClientMaps(summaries: readonly ClientSummary[]): {
  byDid: Map<string, number>;
  byId: Map<string, number>;
  problems: string[];
} {
  const byDid = new Map<string, number>();
  const written = new Map<string, string>();
  const byId = new Map<string, number>();
  const problems: string[] = [];

  summaries.forEach((client, index) => {
    // Labels are built only for a problem: 5,000 of them on every load would cost for nothing.
    const label = () => clientLabel(index, client);
    const firstWithId = byId.get(client.id);
    if (firstWithId !== undefined) {
      problems.push(`client id "${quoteable(client.id, 64)}" is used twice: ${clientLabel(firstWithId, summaries[firstWithId])} and ${label()}`);
    } else {
      byId.set(client.id, index);
    }
    client.dids.forEach((as, d) => {
      const did = normaliseDid(as);
      if (did === null) {
        problems.push(`${label()}: dids.${d}: "${quoteable(as)}" is not a dialable number`);
        return;
      }
      const owner = byDid.get(did);
      if (owner === undefined) {
        byDid.set(did, index);
        written.set(did, as);
      } else if (owner !== index) {
        problems.push(
          `the number ${displayDid(did)} is listed by two clients: ` +
            `${clientLabel(owner, summaries[owner])} as "${quoteable(written.get(did) ?? '')}" and ${label()} as "${quoteable(as)}"`,
        );
      }
      // The same number twice within one client is harmless and simply counted once.
    });
  });
  return { byDid, byId, problems };
}

/**
 * Indexes clients from their summaries, or throws ApiError('directory-invalid') listing every
 * cross-client problem, each naming the clients involved by index, id and name. `clientAt(i)`
 * gives the full entry of summaries[i] (and may cache, validate and throw); it is called only by
 * byDid and byId.
 */
export function indexSummaries(summaries: readonly ClientSummary[], clientAt: (index: number) => Client): DirectoryIndex {
  const { byDid, byId, problems } = crossClientMaps(summaries);
  if (problems.length > 0) throw inconsistent(problems);
  return {
    summaries,
    size: summaries.length,
    didCount: byDid.size,
    byDid(did) {
      const key = normaliseDid(did);
      const index = key === null ? undefined : byDid.get(key);
      return index === undefined ? undefined : clientAt(index);
    },
    byId(id) {
      const index = byId.get(id);
      return index === undefined ? undefined : clientAt(index);
    },
  };
}

/**
 * Indexes a schema-valid directory already in memory (the signer, tests), checking every rule:
 * cross-client and within each client. Throws ApiError('directory-invalid') listing them all.
 */
export function buildDirectoryIndex(directory: Directory): DirectoryIndex {
  const { clients } = directory;
  const problems = crossClientMaps(clients).problems;
  clients.forEach((client, i) => problems.push(...clientRuleProblems(client, () => clientLabel(i, client))));
  if (problems.length > 0) throw inconsistent(problems);
  return indexSummaries(clients, (i) => clients[i] as Client);
}
