/**
 * Who is calling, as the network tells it: a display name and a number. Both are chosen by whoever
 * sent the INVITE, so they are hostile text — capped, stripped of control and direction-override
 * characters (an RTL override can make 「090…」 read as something else), and only ever shown as text.
 */
import { numberInEntry } from './sip-address.js';

/** The parts of an incoming INVITE the caller is read from. */
export interface CallerRequest {
  /** Every value of a header, in message order (empty when absent). */
  headers(name: string): string[];
  /** The From display name as parsed (unquoted), or null when there is none. */
  fromDisplayName: string | null;
  /** The user part of the From URI, or null. */
  fromUser: string | null;
}

/** The caller as the operator's screen may show it (fits shared/directory/pop.ts `Caller`). */
export interface CallerText {
  name: string;
  number: string;
}

export const MAX_CALLER_NAME = 256;
export const MAX_CALLER_NUMBER = 64;

// C0 and C1 controls, DEL, the bidi embeddings/overrides U+202A–U+202E and isolates U+2066–U+2069.
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;
// Line breaks and tabs become spaces first: a name is one line, but its words stay apart.
const BREAKS = /[\t\n\r\u2028\u2029]/gu;
// Lone surrogates cannot be rendered and would break a later encoder.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The caller's display name and number as safe text. The number prefers P-Asserted-Identity (set by
 * the network) over the From user (set by the caller); neither is proof of anything.
 */
export function callerFrom(request: CallerRequest): CallerText {
  return {
    name: safeText(request.fromDisplayName ?? '', MAX_CALLER_NAME),
    number: safeText(assertedNumber(request) ?? request.fromUser ?? '', MAX_CALLER_NUMBER),
  };
}

/**
 * Text with unsafe characters removed, whitespace collapsed and at most `max` characters (never
 * splitting a surrogate pair). Markup is left as it is: it is text, and the UI renders it as text.
 */
export function safeText(raw: string, max: number): string {
  // Cap before the heavier work so a 10 KB name costs no more than a short one.
  const head = raw.length > max * 4 ? raw.slice(0, max * 4) : raw;
  const cleaned = head.replace(LONE_SURROGATE, '').replace(BREAKS, ' ').replace(UNSAFE, '').replace(/\s+/gu, ' ').trim();
  const chars = Array.from(cleaned);
  return chars.length > max ? chars.slice(0, max).join('') : cleaned;
}

function assertedNumber(request: CallerRequest): string | null {
  let values: string[];
  try {
    values = request.headers('P-Asserted-Identity');
  } catch {
    return null;
  }
  for (const value of values.slice(0, 4)) {
    if (value.length > 512) continue;
    const number = numberInEntry(value);
    if (number !== null && /^\+?[0-9*#]{2,32}$/.test(number)) return number;
  }
  return null;
}
