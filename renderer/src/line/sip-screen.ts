/**
 * The desk's SIP input boundary: every message from the server passes through {@link screenSipMessage}
 * before sip.js sees it, and {@link screenTransport} installs that on a transport. sip.js 0.21 is
 * lenient where RFC 3261 / RFC 4475 ask for a refusal (SIP/7.0, a CSeq for another method, two
 * Content-Lengths, a bare branch cookie, Max-Forwards 300 — all answered 200) and silent where a 400
 * is due (what its parser cannot read is dropped without a word). Here each such request gets the
 * answer the RFC expects, built from its own headers; responses no one can read are dropped; and
 * whatever sip.js still throws on a message is caught, so nothing reaches the page as an uncaught
 * error. The suite that holds this to RFC 4475 / RFC 5118 is test/support/sip-torture.ts.
 */
import { Core, Grammar, type Transport } from 'sip.js';

/** What to do with one incoming message. */
/** A message as sip.js's parser reads it. */
export type ParsedSipMessage = Core.IncomingRequestMessage | Core.IncomingResponseMessage;

export type ScreenVerdict =
  /** `message`: the screen's own parse, handed to sip.js so nothing is parsed twice (a keep-alive has none). */
  | { kind: 'pass'; message?: ParsedSipMessage }
  | { kind: 'drop'; why: string }
  | { kind: 'answer'; status: number; why: string; response: string };

/** Far above any real SIP message over WebSocket (a WebRTC INVITE is a few KB). */
export const MAX_SIP_MESSAGE_CHARS = 256 * 1024;

/** Methods the desk recognises (RFC 3261 and the extensions sip.js knows); others get 501. */
const KNOWN_METHODS = new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE']);
/** What a 405 offers (REGISTER is refused: a desk is not a registrar). */
const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, MESSAGE, NOTIFY, REFER, PRACK';
/** Headers RFC 3261 allows once only. */
const SINGLE = ['call-id', 'from', 'to', 'cseq', 'max-forwards', 'content-length', 'content-type', 'expires'];
const MANDATORY = ['via', 'from', 'to', 'call-id', 'cseq'];
const COMPACT: Record<string, string> = { v: 'via', f: 'from', t: 'to', i: 'call-id', l: 'content-length', c: 'content-type', m: 'contact', k: 'supported', s: 'subject', e: 'content-encoding', o: 'event', r: 'refer-to', u: 'allow-events' };
const TOKEN = "[-!%'*+.`~_0-9A-Za-z]+";
const REQUEST_LINE = new RegExp(`^(${TOKEN}) (\\S+) (SIP/\\d+\\.\\d+)$`, 'i');
const HEADER_LINE = new RegExp(`^(${TOKEN})[ \\t]*:(.*)$`);
const CSEQ = new RegExp(`^(\\d{1,10})[ \\t]+(${TOKEN})$`);
const RFC1123_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const MAX_U32 = 2 ** 32 - 1;
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  501: 'Not Implemented',
  505: 'Version Not Supported',
};
const QUIET_LOGGER = { error: () => undefined, warn: () => undefined, log: () => undefined, debug: () => undefined };

interface Head {
  startLine: string;
  headers: [string, string][];
  /** A header line that is not `name: value`. */
  malformed: boolean;
  body: string;
}

function readHead(raw: string): Head | null {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = raw.slice(0, end).split('\r\n');
  const headers: [string, string][] = [];
  let malformed = false;
  for (const line of lines.slice(1)) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers[headers.length - 1]![1] += ` ${line.trim()}`;
      continue;
    }
    const match = HEADER_LINE.exec(line);
    if (!match) {
      malformed = true;
      continue;
    }
    const name = match[1]!.toLowerCase();
    headers.push([COMPACT[name] ?? name, match[2]!.trim()]);
  }
  return { startLine: lines[0]!, headers, malformed, body: raw.slice(end + 4) };
}

const all = (head: Head, name: string): string[] => head.headers.filter(([n]) => n === name).map(([, v]) => v);

/** Decides what happens to one raw message from the server. Never throws. */
export function screenSipMessage(raw: string): ScreenVerdict {
  try {
    return screen(raw);
  } catch {
    return { kind: 'drop', why: 'unreadable' };
  }
}

function screen(raw: string): ScreenVerdict {
  if (raw.trim() === '') return { kind: 'pass' }; // keep-alive: sip.js's own business
  if (raw.length > MAX_SIP_MESSAGE_CHARS) return { kind: 'drop', why: 'too large' };
  const head = readHead(raw);
  if (!head) return { kind: 'drop', why: 'no end of header' };
  if (head.startLine.startsWith('SIP/')) return screenResponse(raw, head);

  const cseq = all(head, 'cseq');
  const via = all(head, 'via');
  // Without a Via and a CSeq no answer can be matched to the request: nothing to say.
  if (via.length === 0 || cseq.length === 0) return { kind: 'drop', why: 'no Via or CSeq' };
  const line = REQUEST_LINE.exec(head.startLine);
  const method = line?.[1] ?? head.startLine.split(' ', 1)[0]!;
  if (method === 'ACK') return screenAck(raw, head, line);
  const refuse = (status: number, why: string, extra: string[] = []): ScreenVerdict => ({ kind: 'answer', status, why, response: answer(head, status, extra) });

  // The request line: METHOD SP Request-URI SP SIP-Version, single spaces (RFC 3261 §25.1).
  if (!line) return refuse(400, 'request line');
  const [, , uri, version] = line as unknown as [string, string, string, string];
  if (version.toUpperCase() !== 'SIP/2.0') return refuse(505, 'version');
  if (!KNOWN_METHODS.has(method)) return refuse(501, 'unknown method');
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  if (scheme === undefined) return refuse(400, 'request URI');
  if (scheme !== 'sip' && scheme !== 'sips') return refuse(416, 'URI scheme');
  // No headers in a Request-URI (RFC 3261 §19.1.1), and a URI sip.js can read.
  if (uri.includes('?') || Grammar.parse(uri, 'SIP_URI') === -1) return refuse(400, 'request URI');

  // Header fields.
  if (head.malformed) return refuse(400, 'header line');
  for (const name of MANDATORY) if (all(head, name).length === 0) return refuse(400, `missing ${name}`);
  for (const name of SINGLE) if (all(head, name).length > 1) return refuse(400, `repeated ${name}`);
  const seq = CSEQ.exec(cseq[0]!);
  if (!seq || Number(seq[1]) > MAX_U32) return refuse(400, 'CSeq');
  if (seq[2] !== method) return refuse(400, 'CSeq method');
  const maxForwards = all(head, 'max-forwards')[0];
  if (maxForwards !== undefined && (!/^\d{1,10}$/.test(maxForwards) || Number(maxForwards) > 255)) return refuse(400, 'Max-Forwards');
  const length = all(head, 'content-length')[0];
  if (length !== undefined && (!/^\d{1,9}$/.test(length) || new TextEncoder().encode(head.body).length < Number(length))) return refuse(400, 'Content-Length');
  const expires = all(head, 'expires')[0];
  if (expires !== undefined && !isU32(expires)) return refuse(400, 'Expires');
  for (const contact of all(head, 'contact')) {
    for (const m of contact.matchAll(/;\s*expires\s*=\s*([^;,\s]*)/gi)) if (!isU32(m[1]!)) return refuse(400, 'Contact expires');
  }
  // RFC 3261 §8.1.1.7: the branch starts with the magic cookie and says something after it. sip.js
  // matches transactions by branch alone (no RFC 2543 fallback), so one without is refused.
  const branch = /;\s*branch\s*=\s*([^;,\s]*)/i.exec(via[0]!.split(',', 1)[0]!)?.[1];
  if (!branch || branch.toLowerCase() === 'z9hg4bk') return refuse(400, 'Via branch');
  const date = all(head, 'date')[0];
  if (date !== undefined && !RFC1123_DATE.test(date)) return refuse(400, 'Date');
  // Whatever sip.js's parser cannot read it would drop without a word: a 400 instead.
  const parsed = parse(raw);
  if (!parsed) return refuse(400, 'unparsable');

  // The request is well formed: what the desk makes of it (RFC 3261 §8.2).
  if (method !== 'CANCEL') {
    const required = all(head, 'require').flatMap((v) => v.split(',')).map((t) => t.trim()).filter(Boolean);
    if (required.length > 0) return refuse(420, 'Require', [`Unsupported: ${required.join(', ')}`]);
  }
  if (method === 'REGISTER') return refuse(405, 'not a registrar', [`Allow: ${ALLOW}`]);
  if (method === 'INVITE') {
    const type = (all(head, 'content-type')[0] ?? '').split(';', 1)[0]!.trim().toLowerCase();
    if (head.body.trim() !== '' && type !== 'application/sdp') return refuse(415, 'body type', ['Accept: application/sdp']);
    const accept = all(head, 'accept');
    if (accept.length > 0) {
      const types = accept.flatMap((v) => v.split(',')).map((t) => t.split(';', 1)[0]!.trim().toLowerCase());
      if (!types.some((t) => t === 'application/sdp' || t === 'application/*' || t === '*/*')) return refuse(406, 'Accept');
    }
  }
  return { kind: 'pass', message: parsed };
}

/** sip.js's own parse of a message, or undefined when it cannot read it (it throws on some). */
function parse(raw: string): ParsedSipMessage | undefined {
  try {
    return Core.Parser.parseMessage(raw, QUIET_LOGGER as never);
  } catch {
    return undefined;
  }
}

/** An ACK is never answered: a malformed one is dropped. */
function screenAck(raw: string, head: Head, line: RegExpExecArray | null): ScreenVerdict {
  if (!line || line[3]!.toUpperCase() !== 'SIP/2.0' || head.malformed) return { kind: 'drop', why: 'malformed ACK' };
  const message = parse(raw);
  return message ? { kind: 'pass', message } : { kind: 'drop', why: 'malformed ACK' };
}

/** A response nobody can read is dropped (sip.js would throw on some, e.g. an unreadable CSeq). */
function screenResponse(raw: string, head: Head): ScreenVerdict {
  if (!/^SIP\/2\.0 [1-6]\d\d(?: .*)?$/.test(head.startLine)) return { kind: 'drop', why: 'status line' };
  const cseq = all(head, 'cseq');
  if (head.malformed || all(head, 'via').length === 0 || cseq.length !== 1) return { kind: 'drop', why: 'response headers' };
  const seq = CSEQ.exec(cseq[0]!);
  if (!seq || Number(seq[1]) > MAX_U32) return { kind: 'drop', why: 'response CSeq' };
  const message = parse(raw);
  return message ? { kind: 'pass', message } : { kind: 'drop', why: 'unparsable response' };
}

function isU32(value: string): boolean {
  return /^\d{1,10}$/.test(value.trim()) && Number(value) <= MAX_U32;
}

/** A stateless answer (RFC 3261 §8.2.6): Via, From, To (with a tag), Call-ID and CSeq copied. */
function answer(head: Head, status: number, extra: string[]): string {
  const lines = [`SIP/2.0 ${status} ${REASONS[status] ?? 'Error'}`];
  for (const v of all(head, 'via')) lines.push(`Via: ${v}`);
  const from = all(head, 'from')[0];
  if (from !== undefined) lines.push(`From: ${from}`);
  const to = all(head, 'to')[0];
  if (to !== undefined) lines.push(`To: ${/;\s*tag\s*=/i.test(to) ? to : `${to};tag=${Math.random().toString(36).slice(2, 12)}`}`);
  const callId = all(head, 'call-id')[0];
  if (callId !== undefined) lines.push(`Call-ID: ${callId}`);
  lines.push(`CSeq: ${all(head, 'cseq')[0]!}`, ...extra, 'Content-Length: 0', '', '');
  return lines.join('\r\n');
}

/**
 * Puts the screen in front of a transport's message handler (the UserAgent sets that handler in its
 * constructor): refused requests are answered on the same connection, unreadable messages dropped,
 * and an exception sip.js still throws on a message is caught and reported, not rethrown into the
 * socket's event handler (where it would be an uncaught error of the page).
 */
export function screenTransport(transport: Transport, report: (what: string) => void = () => undefined): void {
  const inner = transport.onMessage;
  if (!inner) return;
  transport.onMessage = (raw: string): void => {
    const verdict = screenSipMessage(raw);
    if (verdict.kind === 'answer') {
      report(`SIP request refused: ${verdict.why} (${verdict.status})`);
      void transport.send(verdict.response).catch(() => undefined);
      return;
    }
    if (verdict.kind === 'drop') {
      report(`SIP message dropped: ${verdict.why}`);
      return;
    }
    try {
      // The project's sip.js patch lets the UserAgent take the parsed message (patches/sip.js+0.21.2.patch).
      (inner as (message: string | ParsedSipMessage) => void).call(transport, verdict.message ?? raw);
    } catch {
      report('SIP message dropped: the SIP stack failed on it');
    }
  };
}
