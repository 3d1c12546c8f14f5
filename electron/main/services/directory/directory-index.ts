/**
 * The directory as the desk uses it when a call rings: client by dialled number in one map lookup.
 *
 * Building the index is also where the directory's cross-client rules are enforced, because a
 * schema can only check one value at a time: two clients claiming the same number (however each
 * wrote it), two clients with the same id, a number that cannot be normalised, an unknown time zone.
 */
import type { Client, Directory } from '../../../../shared/directory/schema.js';
import { displayDid, normaliseDid } from '../../../../shared/directory/did.js';
import { ApiError } from '../../../../shared/ipc/errors.js';
import { clientLabel, quoteable } from './client-label.js';

/** Read-only lookups over one verified directory. */
export interface DirectoryIndex {
  readonly clients: readonly Client[];
  /** Distinct dialled numbers across all clients. */
  readonly didCount: number;
  /** Finds the client for a dialled number in any written form (national, E.164, SIP URI, full-width). */
  byDid(did: string): Client | undefined;
  byId(id: string): Client | undefined;
}

/** The same Directory object always gets the same index: openBundle builds it to check, callers reuse it. */
const built = new WeakMap<Directory, DirectoryIndex>();
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
 * Indexes a schema-valid directory, or throws ApiError('directory-invalid') listing every
 * cross-client problem, each naming the clients involved by index, id and name.
 */
export function buildDirectoryIndex(directory: Directory): DirectoryIndex {
  const cached = built.get(directory);
  if (cached) return cached;

  const byDid = new Map<string, Client>();
  const didOwner = new Map<string, { index: number; written: string }>();
  const byId = new Map<string, Client>();
  const idOwner = new Map<string, number>();
  const problems: string[] = [];

  directory.clients.forEach((client, index) => {
    // Labels are built only for a problem: 5,000 of them on every load would cost for nothing.
    const label = () => clientLabel(index, client);
    const firstWithId = idOwner.get(client.id);
    if (firstWithId !== undefined) {
      problems.push(
        `client id "${client.id}" is used twice: ${clientLabel(firstWithId, directory.clients[firstWithId])} and ${label()}`,
      );
    } else {
      idOwner.set(client.id, index);
      byId.set(client.id, client);
    }

    if (!isTimeZone(client.businessHours.timezone)) {
      problems.push(`${label()}: businessHours.timezone: "${quoteable(client.businessHours.timezone)}" is not an IANA time zone`);
    }

    const staffIds = new Set<string>();
    client.staff.forEach((s, i) => {
      if (staffIds.has(s.id)) problems.push(`${label()}: staff.${i}.id: "${quoteable(s.id)}" is used by two staff members`);
      staffIds.add(s.id);
    });

    client.dids.forEach((written, d) => {
      const did = normaliseDid(written);
      if (did === null) {
        problems.push(`${label()}: dids.${d}: "${quoteable(written)}" is not a dialable number`);
        return;
      }
      const owner = didOwner.get(did);
      if (owner === undefined) {
        didOwner.set(did, { index, written });
        byDid.set(did, client);
      } else if (owner.index !== index) {
        problems.push(
          `the number ${displayDid(did)} is listed by two clients: ` +
            `${clientLabel(owner.index, directory.clients[owner.index])} as "${quoteable(owner.written)}" and ` +
            `${label()} as "${quoteable(written)}"`,
        );
      }
      // The same number twice within one client is harmless and simply counted once.
    });
  });

  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw new ApiError('directory-invalid', `The directory is inconsistent: ${problems[0]}${more}.`, problems);
  }

  const index: DirectoryIndex = {
    clients: directory.clients,
    didCount: byDid.size,
    byDid(did) {
      const key = normaliseDid(did);
      return key === null ? undefined : byDid.get(key);
    },
    byId: (id) => byId.get(id),
  };
  built.set(directory, index);
  return index;
}
