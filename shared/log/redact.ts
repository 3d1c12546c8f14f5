/**
 * The one log redactor (issue 11 §2, DESIGN.md §2 "logs redacted"): every line the main process
 * writes (electron/main/services/log.ts) and every line the SIP stack logs in the page
 * (renderer/src/line/redacting-logger.ts) passes through here, at every level.
 *
 * A log line keeps the gist of what happened — an event name, counts, status codes, reason codes —
 * and never anything personal or secret:
 * - only the first line of a value (a SIP message's headers and body, an SDP, a stack never start on it);
 * - quoted text (display names, JSON strings, header values), URLs of any scheme (with whatever
 *   credentials, query or fragment they carry), SIP/tel URIs, name-addr `<…>`, addresses with `@`;
 * - `key=value` / `key: value` / `Bearer …` for secret-ish keys (password, token, secret, key,
 *   authorization, cookie, signature, nonce, response…);
 * - any non-ASCII text (names, addresses and note text in Japanese);
 * - long tokens: 8+ characters mixing letters and digits (Call-IDs, tags, branches, ids), 20+
 *   characters of a base64/hex alphabet with a digit, + or / in them (keys, signatures) — a long
 *   word of letters only (a class name such as SessionDescriptionHandler) stays;
 * - digit runs of four or more digits, even with separators (phone numbers; 3-digit status codes stay);
 * - a cap on length.
 * Field names that say what they hold (name, number, caller, body, note, token…) are dropped whole.
 */

/** The longest value kept by default. */
export const MAX_LOG_VALUE = 200;

/** Field names whose values are never logged, whatever they look like. */
export const SENSITIVE_LOG_KEY =
  /name|number|phone|caller|callee|text|body|note|memo|password|passphrase|secret|token|email|did|uri|url|address|header|sdp|pin|key|cookie|auth|signature|credential|content|value/i;

const SECRET_PAIR =
  /\b(password|passwd|pwd|pass|passphrase|secret|token|access[_-]?token|api[_-]?key|key|authorization|proxy-authorization|www-authenticate|cookie|set-cookie|signature|sig|nonce|cnonce|response|credential|pin)\b(\s*[:=]\s*|\s+)(?:"[^"]*"?|'[^']*'?|\S+)/gi;

/** The gist of one value with anything personal or secret removed (see the file comment). */
export function redactLogText(content: unknown, max: number = MAX_LOG_VALUE): string {
  const text = typeof content === 'string' ? content : content instanceof Error ? content.message : String(content);
  const firstLine = text.split(/\r?\n|\r/, 1)[0] ?? '';
  const redacted = firstLine
    .slice(0, max * 4)
    .replace(/\b(?:bearer|basic|digest)\s+\S+/gi, '<credentials>')
    .replace(SECRET_PAIR, (_m, key: string, sep: string) => `${key}${sep.trim() === '' ? ' ' : sep}<secret>`)
    .replace(/"[^"]*"?|'[^']*'?|`[^`]*`?/g, '<text>')
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<uri>')
    .replace(/\b(?:sips?|tel|mailto|urn):\S+/gi, '<uri>')
    .replace(/<[^<>]*[@:][^<>]*>/g, '<uri>')
    .replace(/\S+@\S+/g, '<addr>')
    .replace(/[^\x20-\x7e]+/g, '?')
    .replace(/\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{8,}\b/g, '<id>')
    .replace(/(?=[A-Za-z0-9+/_=-]*[0-9+/])[A-Za-z0-9+/_=-]{20,}/g, '<id>')
    .replace(/\+?\d[\d\s().-]{2,}\d/g, (run) => (run.replace(/\D/g, '').length >= 4 ? '#' : run))
    .trim();
  return redacted.length > max ? `${redacted.slice(0, max)}…` : redacted;
}

export type LogValue = string | number | boolean | null | undefined;

/** The fields of a log line, redacted: sensitive names dropped whole, every string through the redactor. */
export function redactLogFields(fields: Readonly<Record<string, LogValue>> = {}, maxFields = 24): Record<string, LogValue> {
  const out: Record<string, LogValue> = {};
  let n = 0;
  for (const [k, v] of Object.entries(fields)) {
    if (n++ >= maxFields) break;
    // A field name is code, but cap and clean it like any text.
    const key = /^[A-Za-z][A-Za-z0-9_.-]{0,39}$/.test(k) ? k : 'field';
    if (typeof v === 'string') out[key] = SENSITIVE_LOG_KEY.test(key) ? '<redacted>' : redactLogText(v);
    else if (typeof v === 'number') out[key] = Number.isFinite(v) && Math.abs(v) < 1e9 ? v : SENSITIVE_LOG_KEY.test(key) ? '<redacted>' : '#';
    else out[key] = v;
  }
  return out;
}
