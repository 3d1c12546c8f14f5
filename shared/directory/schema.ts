/**
 * The client directory: every client company the service answers for, as the admin publishes it.
 *
 * This schema is the single source of truth for the directory format documented in
 * docs/directory.md. Every text field is hostile input until proven otherwise: the renderer shows
 * them as text only, never as HTML.
 */
import { z } from 'zod';

/** Upper bounds keep a hostile bundle from exhausting memory in the renderer. */
const text = (max: number) => z.string().min(1).max(max);
const shortText = text(200);
const longText = text(20_000);

export const Locale = z.enum(['ja', 'en']);
export type Locale = z.infer<typeof Locale>;

export const ClientId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lowercase letters, digits and hyphens, at most 64');

/** A dialled number as written by the admin: digits with optional +, spaces, hyphens, parentheses. */
export const DidText = z
  .string()
  .max(40)
  .regex(/^\+?[0-9０-９()\-\s－ー]{6,}$/, 'a phone number such as 03-1234-5678 or +81312345678');

const HhMm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'HH:MM, 24-hour clock');

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;

export const BusinessHours = z.object({
  /** IANA time zone the hours are written in. */
  timezone: z.string().min(1).max(64).default('Asia/Tokyo'),
  days: z.array(z.object({ day: Weekday, open: HhMm, close: HhMm })).max(14),
  /** Dates (YYYY-MM-DD) the office is closed all day, e.g. the New Year holidays. */
  closedDates: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).max(400).default([]),
});
export type BusinessHours = z.infer<typeof BusinessHours>;

/** When a greeting variant applies. Every condition given must hold; none given means always. */
export const GreetingWhen = z.object({
  hours: z.enum(['open', 'closed']).optional(),
  /** Local time window [from, to) in the client's time zone. */
  from: HhMm.optional(),
  to: HhMm.optional(),
});

export const Greeting = z.object({
  /** Read when no variant matches. */
  default: text(1_000),
  /** Checked in order; the first that matches is read. */
  variants: z.array(z.object({ when: GreetingWhen, text: text(1_000) })).max(20).default([]),
});
export type Greeting = z.infer<typeof Greeting>;

export const ScriptSection = z.object({
  title: shortText,
  /** A small Markdown subset (paragraphs, lists, emphasis); rendered as inert text. */
  body: longText,
});
export type ScriptSection = z.infer<typeof ScriptSection>;

export const AllowedAnswer = z.object({
  id: z.string().min(1).max(64),
  topic: shortText,
  keywords: z.object({
    ja: z.array(text(100)).max(50).default([]),
    en: z.array(text(100)).max(50).default([]),
  }),
  /** The approved wording the operator reads to the caller. */
  wording: text(4_000),
});
export type AllowedAnswer = z.infer<typeof AllowedAnswer>;

export const NeverDisclose = z.object({
  item: text(500),
  /** Why, or what to offer instead (e.g. a callback). */
  instead: text(1_000).optional(),
});
export type NeverDisclose = z.infer<typeof NeverDisclose>;

export const StaffStatus = z.enum(['in', 'away', 'meeting', 'out', 'holiday', 'off']);
export type StaffStatus = z.infer<typeof StaffStatus>;

export const Staff = z.object({
  id: z.string().min(1).max(64),
  name: shortText,
  kana: shortText,
  department: shortText,
  status: StaffStatus,
  /** Overrides the client's phrase for this status (e.g. a named return date). */
  publicPhrase: text(500).optional(),
  /**
   * Where a transfer is dialled (a SIP URI or number). Never displayed: only the main process reads
   * it, when the operator asks to put a caller through.
   */
  transferTarget: z.string().min(1).max(256).optional(),
});
export type Staff = z.infer<typeof Staff>;

export const MessageFieldKind = z.enum([
  'callerName',
  'callerKana',
  'company',
  'callbackNumber',
  'subject',
  'urgency',
  'freeText',
  'text',
  'select',
]);
export type MessageFieldKind = z.infer<typeof MessageFieldKind>;

export const MessageField = z.object({
  id: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/),
  kind: MessageFieldKind,
  label: shortText,
  required: z.boolean().default(false),
  /** For kind "select". */
  options: z.array(shortText).max(50).optional(),
  maxLength: z.number().int().positive().max(1_000_000).optional(),
});
export type MessageField = z.infer<typeof MessageField>;

const SecretRef = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,127}$/, 'a secret name; the secret itself lives in the encrypted store');

const HttpsUrl = z
  .string()
  .url()
  .refine((u) => u.startsWith('https://'), 'must be an https:// URL');

export const HandOffChannel = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('email'),
    id: z.string().min(1).max(64),
    to: z.array(z.string().email()).min(1).max(20),
    cc: z.array(z.string().email()).max(20).default([]),
    smtpSecret: SecretRef,
  }),
  z.object({ kind: z.literal('slack'), id: z.string().min(1).max(64), webhookSecret: SecretRef }),
  z.object({ kind: z.literal('teams'), id: z.string().min(1).max(64), webhookSecret: SecretRef }),
  z.object({
    kind: z.literal('chatwork'),
    id: z.string().min(1).max(64),
    roomId: z.string().regex(/^[0-9]{1,20}$/),
    tokenSecret: SecretRef,
  }),
  z.object({
    kind: z.literal('lineworks'),
    id: z.string().min(1).max(64),
    botId: z.string().min(1).max(64),
    channelId: z.string().min(1).max(128),
    tokenSecret: SecretRef,
  }),
  z.object({
    kind: z.literal('webhook'),
    id: z.string().min(1).max(64),
    url: HttpsUrl,
    signingSecret: SecretRef,
  }),
  z.object({ kind: z.literal('transfer'), id: z.string().min(1).max(64), staffId: z.string().min(1).max(64).optional() }),
]);
export type HandOffChannel = z.infer<typeof HandOffChannel>;

/**
 * A client's own wording of its hand-offs in one language. Placeholders: {client}, {caller},
 * {recipient}, {subject} (the subject Kotozute would write). Anything else is literal text.
 */
export const HandOffTemplate = z.object({
  subject: text(300).optional(),
  /** A line placed before the message's details, e.g. 「いつもお世話になっております。ことづて電話代行です。」 */
  intro: text(2_000).optional(),
  /** Replaces Kotozute's closing line. */
  footer: text(500).optional(),
});
export type HandOffTemplate = z.infer<typeof HandOffTemplate>;

export const HandOff = z.object({
  /** Channel ids used for every message, in order. */
  channels: z.array(HandOffChannel).min(1).max(10),
  /** Ids of channels in `channels` used only for urgent messages; every other channel gets every message. */
  urgentAlso: z.array(z.string().min(1).max(64)).max(10).default([]),
  /** Chat channels get only a one-line notice, not the message text. */
  minimalChat: z.boolean().default(false),
  /** The client's own message template, per language; the language used is the client's. */
  templates: z.object({ ja: HandOffTemplate.optional(), en: HandOffTemplate.optional() }).default({}),
  /**
   * The client's fallback channel: where the shift lead sends a message its usual channels could not
   * deliver (End of day, issue 10 §2). The id of one of `channels`, or a channel of its own (its id
   * must differ from theirs). Never a call transfer: a message cannot be transferred later.
   */
  fallback: z.union([z.string().min(1).max(64), HandOffChannel]).optional(),
});
export type HandOff = z.infer<typeof HandOff>;

/** The client's fallback channel in full, or undefined when it has none (or it names no channel). */
export function fallbackChannel(handOff: Pick<HandOff, 'channels' | 'fallback'>): HandOffChannel | undefined {
  const f = handOff.fallback;
  if (f === undefined) return undefined;
  const channel = typeof f === 'string' ? handOff.channels.find((c) => c.id === f) : f;
  return channel?.kind === 'transfer' ? undefined : channel;
}

/** A client's fields; `Client` adds the checks that relate fields to each other. */
export const ClientShape = z.object({
  id: ClientId,
  name: shortText,
  kana: shortText,
  /** The language the operator speaks on this client's calls. */
  language: Locale.default('ja'),
  /** Handle with extra care (legal, medical): shown as a badge on the pop. */
  sensitive: z.boolean().default(false),
  dids: z.array(DidText).min(1).max(100),
  businessHours: BusinessHours,
  greeting: Greeting,
  script: z.array(ScriptSection).min(1).max(50),
  answers: z.array(AllowedAnswer).max(2_000),
  neverDisclose: z.array(NeverDisclose).max(200),
  /** What callers hear for each staff status. */
  statusPhrases: z.record(StaffStatus, text(500)),
  staff: z.array(Staff).max(500),
  messageForm: z.object({ fields: z.array(MessageField).min(1).max(40) }),
  handOff: HandOff,
  retention: z.object({
    /** A note not delivered within this many hours is destroyed and recorded as undelivered. */
    maxHours: z.number().int().min(1).max(24 * 30),
  }),
});

export const Client = ClientShape.superRefine((client, ctx) => {
  // A hand-off channel that points nowhere must be caught when the directory is loaded, not when
  // a message is waiting to go out.
  const channelIds = client.handOff.channels.map((c) => c.id);
  const seen = new Set<string>();
  channelIds.forEach((id, i) => {
    if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['handOff', 'channels', i, 'id'], message: `channel id "${id}" is used twice` });
    seen.add(id);
  });
  client.handOff.urgentAlso.forEach((id, i) => {
    if (!seen.has(id)) ctx.addIssue({ code: 'custom', path: ['handOff', 'urgentAlso', i], message: `no hand-off channel has id "${id}"` });
  });
  const fallback = client.handOff.fallback;
  if (typeof fallback === 'string') {
    const named = client.handOff.channels.find((c) => c.id === fallback);
    if (!named) ctx.addIssue({ code: 'custom', path: ['handOff', 'fallback'], message: `no hand-off channel has id "${fallback}"` });
    else if (named.kind === 'transfer') ctx.addIssue({ code: 'custom', path: ['handOff', 'fallback'], message: 'a call transfer cannot be a fallback channel' });
  } else if (fallback !== undefined) {
    if (seen.has(fallback.id)) ctx.addIssue({ code: 'custom', path: ['handOff', 'fallback', 'id'], message: `channel id "${fallback.id}" is used twice` });
    if (fallback.kind === 'transfer') ctx.addIssue({ code: 'custom', path: ['handOff', 'fallback', 'kind'], message: 'a call transfer cannot be a fallback channel' });
  }
  const staffIds = new Set(client.staff.map((s) => s.id));
  client.handOff.channels.forEach((c, i) => {
    if (c.kind !== 'transfer' || c.staffId === undefined) return;
    const staff = client.staff.find((s) => s.id === c.staffId);
    if (!staffIds.has(c.staffId)) {
      ctx.addIssue({ code: 'custom', path: ['handOff', 'channels', i, 'staffId'], message: `no staff member has id "${c.staffId}"` });
    } else if (staff?.transferTarget === undefined) {
      ctx.addIssue({ code: 'custom', path: ['handOff', 'channels', i, 'staffId'], message: `staff member "${c.staffId}" has no transfer target` });
    }
  });
});
export type Client = z.infer<typeof Client>;
export type ClientInput = z.input<typeof Client>;

export const Directory = z.object({
  format: z.literal('kotozute-directory'),
  version: z.literal(1),
  /** Who published it and when; shown on the desk's status line. */
  publishedAt: z.string().datetime({ offset: true }),
  publisher: shortText,
  clients: z.array(Client).max(20_000),
});
export type Directory = z.infer<typeof Directory>;
export type DirectoryInput = z.input<typeof Directory>;

/** One client as a bundle's table lists it: enough to index and list clients without parsing them. */
export const DirectoryTableEntry = ClientShape.pick({ id: true, name: true, kana: true, dids: true }).extend({
  /** Where this client's JSON object lies in the payload, in bytes from the payload's first byte. */
  offset: z.number().int().nonnegative(),
  length: z.number().int().min(2),
});
export type DirectoryTableEntry = z.infer<typeof DirectoryTableEntry>;

/**
 * The table of a signed directory bundle (format version 2). A bundle is, byte for byte:
 *
 *     KOTOZUTE-DIRECTORY-BUNDLE 2 <keyId> <signature, base64>\n
 *     <this table as one line of JSON>\n
 *     <payload: the directory JSON, each client object exactly at its table range>
 *
 * keyId is the SHA-256 fingerprint (hex, first 16 bytes) of the signing key's SPKI form and only
 * names the key in errors; the Ed25519 signature covers every byte after the header line (table,
 * newline and payload), so neither a table entry nor a client can be altered unnoticed. The table
 * lets a desk verify the signature and index every number at start-up without parsing 5,000
 * clients; each client is parsed and schema-checked when first used. No base64 and no JSON
 * envelope around the payload, which is what made version 1 slow to open.
 */
export const DirectoryTable = z.object({
  publisher: shortText,
  publishedAt: z.string().datetime({ offset: true }),
  clients: z.array(DirectoryTableEntry).max(20_000),
});
export type DirectoryTable = z.infer<typeof DirectoryTable>;

/**
 * Bundles larger than this are refused before they are read into memory or parsed. The payload is
 * stored raw and the table adds about 140 bytes a client, so a compact directory of up to about
 * 49 MB fits (5,000 clients × 3 numbers × 30 short answers make a 36 MB bundle).
 */
export const MAX_BUNDLE_BYTES = 50 * 1024 * 1024;
