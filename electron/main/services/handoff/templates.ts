/**
 * The words of a hand-off, per client language. Email and the signed webhook get the whole message;
 * chat channels get the whole message too, unless the client asked for minimal chat content — then
 * one line that names the addressee and the urgency and carries no caller data at all, because chat
 * rooms are read on phones, in lobbies and by people the caller never meant to tell.
 *
 * The text is plain; each sender applies its service's own escaping on the way out.
 */
import type { HandOffChannel } from '../../../../shared/directory/schema.js';
import type { HandOffMessage } from './types.js';

type Kind = HandOffChannel['kind'];
type Locale = 'ja' | 'en';

const CHAT_KINDS: ReadonlySet<Kind> = new Set(['slack', 'teams', 'chatwork', 'lineworks']);

/**
 * The most characters each chat service shows in one message, with room to spare: LINE WORKS caps
 * a text message at 2,000 characters, Slack advises at most 4,000, a Teams card must stay under
 * 28 KB (Japanese text is 3 bytes a character in UTF-8). Email and webhook carry everything.
 */
const CHAT_LIMIT: Partial<Record<Kind, number>> = { slack: 3_900, teams: 8_000, chatwork: 10_000, lineworks: 1_900 };

const WORDS = {
  ja: {
    newMessage: '新しい伝言',
    urgent: '至急',
    urgentTag: '【至急】',
    checkEmail: 'メールをご確認ください',
    to: (name: string) => (name.endsWith('様') ? `${name}宛` : `${name}様宛`),
    client: 'クライアント',
    received: '受電日時',
    did: '着信番号',
    caller: '発信者',
    callerNumber: '発信者番号',
    taken: '受付日時',
    cut: '…（以下省略。全文はメールをご確認ください）',
    footer: 'この伝言は言伝 (Kotozute) から送信されました。',
  },
  en: {
    newMessage: 'New message',
    urgent: 'urgent',
    urgentTag: '[URGENT] ',
    checkEmail: 'please check your email',
    to: (name: string) => `for ${name}`,
    client: 'Client',
    received: 'Call received',
    did: 'Dialled number',
    caller: 'Caller',
    callerNumber: 'Caller number',
    taken: 'Message taken',
    cut: '… (cut short; the full text is in the email)',
    footer: 'Sent by Kotozute.',
  },
} as const;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces lone surrogates (possible in pasted text) with U+FFFD, so every receiver gets valid
 * UTF-8 and strict JSON decoders do not refuse the message for good.
 */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD');
}

/** One header line: no line breaks (they would start a new mail header) and a sane length. */
function oneLine(s: string, max = 300): string {
  return cutCodePoints(wellFormed(s).replace(/[\r\n\u2028\u2029]+/g, ' ').trim(), max, '…');
}

/** Cuts by code points, so a surrogate pair is never split in two. */
function cutCodePoints(s: string, max: number, marker: string): string {
  const points = Array.from(s);
  if (points.length <= max) return s;
  return points.slice(0, Math.max(0, max - Array.from(marker).length)).join('') + marker;
}

function line(label: string, value: string): string {
  const v = wellFormed(value).replace(/\r\n?/g, '\n');
  // Multi-line values (free text) start on their own line so the label stays readable.
  return v.includes('\n') ? `${label}:\n${v}` : `${label}: ${v}`;
}

/**
 * Fills a client's template text. Values are made single-line first: a caller's name must not be
 * able to add lines (or mail headers) to the client's wording.
 */
function fill(template: string, message: HandOffMessage): string {
  const values: Record<string, string> = {
    client: message.client.name,
    caller: message.call.callerName,
    recipient: message.recipient ?? '',
    subject: message.subject,
  };
  return template.replace(/\{(client|caller|recipient|subject)\}/g, (_, key: string) => oneLine(values[key] ?? '', 200));
}

function fullText(message: HandOffMessage, locale: Locale, subject: string): string {
  const w = WORDS[locale];
  const intro = message.template?.intro;
  const parts = [
    subject,
    '',
    ...(intro === undefined ? [] : [wellFormed(fill(intro, message)), '']),
    line(w.client, message.client.name),
    line(w.received, message.call.receivedAt),
    line(w.did, message.call.did),
    line(w.caller, message.call.callerName),
    line(w.callerNumber, message.call.callerNumber),
    '',
    ...message.fields.map((f) => line(f.label, f.value)),
    '',
    line(w.taken, message.takenAt),
    '',
    message.template?.footer === undefined ? w.footer : wellFormed(fill(message.template.footer, message)),
  ];
  return parts.join('\n');
}

/**
 * The subject and body of `message` for a channel of `kind`, in `locale`.
 * Minimal chat: one line such as 「新しい伝言: 田中様宛 — 至急 — メールをご確認ください」.
 */
export function renderMessage(message: HandOffMessage, kind: Kind, locale: Locale): { subject: string; text: string } {
  const w = WORDS[locale];
  const isChat = CHAT_KINDS.has(kind);
  if (isChat && message.minimalChat) {
    const head = message.recipient ? `${w.newMessage}: ${oneLine(w.to(message.recipient), 100)}` : w.newMessage;
    const text = [head, ...(message.urgent ? [w.urgent] : []), w.checkEmail].join(' — ');
    // The subject (「…様より」) names the caller: a minimal notice must not carry it.
    return { subject: w.newMessage, text };
  }
  const ownSubject = message.template?.subject;
  const subject = oneLine((message.urgent ? w.urgentTag : '') + (ownSubject === undefined ? message.subject : fill(ownSubject, message)));
  const text = fullText(message, locale, subject);
  const limit = CHAT_LIMIT[kind];
  return { subject, text: limit === undefined ? text : cutCodePoints(text, limit, `\n${w.cut}`) };
}
