/**
 * A real SMTP server (smtp-server) on 127.0.0.1 for hand-off tests: STARTTLS with the loopback CA's
 * certificate, AUTH PLAIN/LOGIN only after TLS, recipients it can be told to refuse with 550, and
 * every message recorded and decoded so a test can read what the client would read.
 */
import { SMTPServer } from 'smtp-server';
import { loopbackCa } from './loopback-ca.js';

export interface SmtpReceiverOptions {
  /** Accepted logins; default { desk: 'desk-pass' }. */
  users?: Record<string, string>;
  /** Recipients refused at RCPT TO with "550 5.1.1 … unknown". */
  rejectRecipients?: string[];
  /** No STARTTLS at all, and AUTH in the clear: an old server the desk must refuse when the secret says requireTLS. */
  noTls?: boolean;
  /** Answer DATA with "451 4.3.0" this many times before accepting. */
  deferData?: number;
}

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The session was upgraded with STARTTLS before the message. */
  secure: boolean;
  user: string | undefined;
  raw: string;
  headers: Map<string, string>;
  messageId: string | undefined;
  subject: string;
  text: string;
}

export interface SmtpReceiver {
  port: number;
  /** The SMTP URL to keep in the secret store (user desk, ?from=…). */
  secret(extra?: string): string;
  /** Every message accepted, in order. */
  messages: ReceivedMail[];
  /** Accepted messages with duplicates (same Message-ID) dropped, as a mail client shows them. */
  readonly received: ReceivedMail[];
  close(): Promise<void>;
}

/** RFC 2047 encoded words (B and Q), as nodemailer writes non-ASCII subjects. */
function decodeWords(value: string): string {
  const joined = value.replace(/\?=\s+=\?/g, '?==?');
  const bytes: Buffer[] = [];
  let out = '';
  const flush = () => {
    if (bytes.length) out += Buffer.concat(bytes.splice(0)).toString('utf8');
  };
  let last = 0;
  for (const m of joined.matchAll(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g)) {
    if (m.index > last) {
      flush();
      out += joined.slice(last, m.index);
    }
    const data = m[3] ?? '';
    bytes.push(
      m[2]?.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64')
        : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_s, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1'),
    );
    last = m.index + m[0].length;
  }
  flush();
  return out + joined.slice(last);
}

function decodeQuotedPrintable(s: string): string {
  const bin = s.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bin, 'latin1').toString('utf8');
}

/** Reads a single-part text message (what the email sender writes). */
export function parseMail(raw: string): { headers: Map<string, string>; subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : body;
  return { headers, subject: decodeWords(headers.get('subject') ?? ''), text: text.replace(/\r\n/g, '\n') };
}

/** Starts the server on a free loopback port. */
export async function startSmtpReceiver(options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  const { key, cert } = loopbackCa();
  const users = options.users ?? { desk: 'desk-pass' };
  const refused = new Set((options.rejectRecipients ?? []).map((a) => a.toLowerCase()));
  let deferrals = options.deferData ?? 0;
  const messages: ReceivedMail[] = [];

  const server = new SMTPServer({
    key,
    cert,
    secure: false,
    hideSTARTTLS: options.noTls ?? false,
    disabledCommands: options.noTls ? ['STARTTLS'] : [],
    authMethods: ['PLAIN', 'LOGIN'],
    // AUTH before STARTTLS is refused, as a careful submission server does (unless it has no TLS at all).
    allowInsecureAuth: options.noTls ?? false,
    logger: false,
    banner: 'Kotozute loopback ESMTP',
    onAuth(auth, _session, callback) {
      const ok = auth.username !== undefined && users[auth.username] === auth.password;
      if (ok) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address.toLowerCase())) {
        callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
      } else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (deferrals > 0) {
          deferrals -= 1;
          callback(Object.assign(new Error('4.3.0 Try again later'), { responseCode: 451 }));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const parsed = parseMail(raw);
        const from = session.envelope.mailFrom;
        messages.push({
          from: from === false ? '' : from.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : undefined,
          raw,
          ...parsed,
          messageId: parsed.headers.get('message-id'),
        });
        callback(null, `2.0.0 Ok: queued as LOOP${messages.length}`);
      });
    },
  });
  server.on('error', () => {});

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('SMTP receiver has no port');
  const port = address.port;
  const [user, pass] = Object.entries(users)[0] ?? ['desk', 'desk-pass'];

  return {
    port,
    secret: (extra = '') =>
      `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}/?from=desk%40answering.example${extra}`,
    messages,
    get received() {
      const seen = new Set<string>();
      return messages.filter((m) => {
        const id = m.messageId ?? m.raw;
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
