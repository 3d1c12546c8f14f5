/**
 * The number inside one SIP header value. Dialled-number headers come in every shape a PBX can
 * produce — `0312345678`, `+81 3-1234-5678`, `<sip:+81312345678@pbx;user=phone>;reason=unconditional`,
 * `"Reception" <tel:+81-3-1234-5678;phone-context=+81>` — and all of them are hostile input.
 */

/**
 * Splits a header value at commas that separate entries (RFC 3261 §7.3.1), not at commas inside a
 * quoted display name or an `<…>` URI. Returns null when quotes or brackets never close.
 */
export function splitHeaderEntries(value: string): string[] | null {
  const entries: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i]!;
    if (quoted) {
      current += ch;
      if (ch === '\\') {
        current += value[i + 1] ?? '';
        i += 1;
      } else if (ch === '"') {
        quoted = false;
      }
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === '<') angle = true;
    else if (ch === '>') angle = false;
    else if (ch === ',' && !angle) {
      entries.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (quoted || angle) return null;
  entries.push(current.trim());
  return entries.filter((entry) => entry !== '');
}

/**
 * The number-ish text of one entry — the user part of a `sip:`/`sips:` URI, the number of a
 * `tel:` URI, or the bare text — or null when the entry is malformed (an unclosed `<`, a SIP URI
 * without a user, a scheme we do not dial). The result still needs {@link normaliseDid}.
 */
export function numberInEntry(entry: string): string | null {
  let spec = entry.trim();
  const open = spec.indexOf('<');
  if (open >= 0) {
    const close = spec.indexOf('>', open);
    if (close < 0) return null;
    spec = spec.slice(open + 1, close).trim();
  } else {
    // addr-spec form: everything after the first ';' is a header parameter, not part of the URI.
    spec = spec.split(';', 1)[0]!.trim();
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(spec);
  if (!scheme) return spec === '' ? null : spec;
  const name = scheme[1]!.toLowerCase();
  const rest = spec.slice(scheme[0].length);
  if (name === 'tel') return stripParams(rest);
  if (name !== 'sip' && name !== 'sips') return null;
  const at = rest.lastIndexOf('@');
  if (at <= 0) return null;
  return decodeUser(stripParams(rest.slice(0, at)));
}

function stripParams(text: string): string {
  return text.split(/[;?]/, 1)[0]!;
}

/** `%2B81…` is how some PBXs escape the plus sign; a broken escape makes the entry malformed. */
function decodeUser(user: string): string | null {
  if (!user.includes('%')) return user;
  try {
    return decodeURIComponent(user);
  } catch {
    return null;
  }
}
