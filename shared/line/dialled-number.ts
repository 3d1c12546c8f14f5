/**
 * Which number the caller dialled, read from an incoming INVITE. The Request-URI reaching a desk is
 * its own registered contact, so the dialled number (DID) must come from a header the PBX or carrier
 * adds, tried in a configured order. Every value is hostile input: repeated, oversized or malformed
 * headers are reported and skipped, never trusted and never thrown on.
 */
import { normaliseDid } from '../directory/did.js';
import { numberInEntry, splitHeaderEntries } from './sip-address.js';

/** One place the dialled number may be read from. */
export type DidSource =
  | { kind: 'header'; name: string }
  | { kind: 'p-called-party-id' }
  | { kind: 'diversion' }
  | { kind: 'to' };

/** The order used when the line's configuration names none. */
export const DEFAULT_DID_SOURCES: readonly DidSource[] = Object.freeze([
  { kind: 'header', name: 'X-Called-Number' },
  { kind: 'p-called-party-id' },
  { kind: 'diversion' },
  { kind: 'to' },
]);

/** The parts of an incoming INVITE the dialled number is read from. */
export interface DialledNumberRequest {
  /** Every value of a header, in message order (empty when absent). */
  headers(name: string): string[];
  /** The user part of the To URI, or null when the To header has none. */
  toUser: string | null;
}

/** The dialled number and where it came from; `problems` never contain the values themselves. */
export interface DialledNumber {
  /** E.164 when it could be normalised (see normaliseDid), null when no source held a number. */
  did: string | null;
  source: DidSource | null;
  /** What was wrong with the sources tried before (and including) the one used, for a warning. */
  problems: string[];
}

/**
 * Longer than any number with its URI and parameters: a value this long is an attack or a broken
 * PBX, and the whole source is ignored rather than searched for a plausible-looking number.
 */
export const MAX_DID_VALUE_LENGTH = 512;
/** Entries looked at per source; a flood of repeated headers is not worth reading to the end. */
const MAX_ENTRIES_PER_SOURCE = 16;

/** Reads the dialled number from the first source (in `sources` order) that holds a valid one. */
export function dialledNumberFrom(
  request: DialledNumberRequest,
  sources: readonly DidSource[] = DEFAULT_DID_SOURCES,
): DialledNumber {
  const problems: string[] = [];
  for (const source of sources) {
    const did = readSource(request, source, problems);
    if (did !== null) return { did, source, problems };
  }
  return { did: null, source: null, problems };
}

/** A short name for a source, safe for logs and warnings. */
export function describeDidSource(source: DidSource): string {
  switch (source.kind) {
    case 'header':
      return source.name;
    case 'p-called-party-id':
      return 'P-Called-Party-ID';
    case 'diversion':
      return 'Diversion';
    case 'to':
      return 'To';
  }
}

function readSource(request: DialledNumberRequest, source: DidSource, problems: string[]): string | null {
  const label = describeDidSource(source);
  if (source.kind === 'to') {
    if (request.toUser === null || request.toUser === '') return null;
    if (request.toUser.length > MAX_DID_VALUE_LENGTH) {
      problems.push(`${label}: user part too long (${request.toUser.length} chars), source ignored`);
      return null;
    }
    // The To user is often the desk's own account name: not a number is normal there, not a problem.
    return normaliseDid(request.toUser);
  }

  const values = safeHeaders(request, label);
  if (values.length === 0) return null;
  const longest = Math.max(...values.map((v) => v.length));
  if (longest > MAX_DID_VALUE_LENGTH) {
    problems.push(`${label}: value too long (${longest} chars), source ignored`);
    return null;
  }
  const entries: string[] = [];
  for (const value of values) {
    const split = splitHeaderEntries(value);
    if (split === null) {
      problems.push(`${label}: malformed value (unclosed quote or bracket), skipped`);
      continue;
    }
    entries.push(...split);
  }
  if (entries.length > 1) {
    problems.push(`${label}: ${entries.length} values (repeated header), the first valid one used`);
  }
  for (const entry of entries.slice(0, MAX_ENTRIES_PER_SOURCE)) {
    const number = numberInEntry(entry);
    const did = number === null ? null : normaliseDid(number);
    if (did !== null) return did;
    problems.push(`${label}: not a number, skipped`);
  }
  return null;
}

function safeHeaders(request: DialledNumberRequest, name: string): string[] {
  try {
    return request.headers(name).filter((v) => typeof v === 'string');
  } catch {
    return [];
  }
}
