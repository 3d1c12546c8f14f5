/**
 * How errors name a client to the admin: `clients[3] (id "sato-law", 佐藤法律事務所)`. The index alone
 * is useless in a 5,000-client file and the name alone can be ambiguous, so messages give both.
 */

// C0/C1 controls and the bidi overrides/isolates: a hostile name must not reorder or hide the rest
// of an error line in a terminal or on the desk. Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Makes directory text safe to quote in a one-line message: no control or bidi characters, cut short. */
export function quoteable(text: string, max = 60): string {
  const clean = text.replace(UNSAFE, '');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** Names clients[index] by id and name; tolerates a client object that failed validation. */
export function clientLabel(index: number, client: unknown): string {
  const c = (typeof client === 'object' && client !== null ? client : {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof c.id === 'string') parts.push(`id "${quoteable(c.id, 64)}"`);
  if (typeof c.name === 'string') parts.push(quoteable(c.name));
  return parts.length ? `clients[${index}] (${parts.join(', ')})` : `clients[${index}]`;
}
