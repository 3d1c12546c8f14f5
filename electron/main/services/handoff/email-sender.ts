/**
 * Email over SMTP with nodemailer. Delivery is confirmed only by the server's 250 reply to DATA
 * with every recipient accepted: a recipient the server refused means the message reached some
 * people and not others, which no retry can fix without duplicating it — the outbox shows why.
 */
import tls from 'node:tls';
import nodemailer from 'nodemailer';
import { redact } from '../log.js';
import { readSecret } from './channel-secret.js';
import { UNCONFIRMED } from './reply-outcome.js';
import { parseSmtpSecret } from './smtp-settings.js';
import { renderMessage } from './templates.js';
import type { ChannelOf, ChannelSender, DeliveryOutcome, HandOffMessage, SendContext } from './types.js';

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** An SMTP reply's leading codes: the reply code and the enhanced status (RFC 3463), e.g. `550 5.1.1`. */
const SMTP_CODES = /^(\d{3})(?:[ -](\d\.\d{1,3}\.\d{1,3}))?(?:\s+|$)/;

/**
 * An SMTP reply fit for the outbox: one line, no addresses, no long numbers. The reply's own codes
 * stay readable (they name what happened and hold nothing personal); the log redactor, which takes
 * any run of four digits or more for a phone number, sees only the text after them.
 */
function smtpText(s: string | undefined): string {
  const line = (s ?? '').replace(/\s+/g, ' ').trim();
  const codes = SMTP_CODES.exec(line);
  const text = redact(codes ? line.slice(codes[0].length) : line).replace(/\d{6,}/g, '<number>');
  const clean = codes ? `${[codes[1], codes[2]].filter(Boolean).join(' ')} ${text}`.trim() : text;
  return clean.length > 160 ? `${clean.slice(0, 160)}…` : clean;
}

/** The Message-ID carries the idempotency key: mail systems that dedupe on it drop a second copy. */
export function messageIdFor(message: HandOffMessage): string {
  return `<${message.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '-')}@kotozute.invalid>`;
}

function judgeError(err: unknown): DeliveryOutcome {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SmtpError;
  const reply = smtpText(e.response ?? e.message);
  const code = e.responseCode;
  if (e.code === 'ETLS' && /closed unexpectedly/i.test(e.message ?? '')) {
    return { ok: false, retry: true, reason: 'the mail server closed the connection during STARTTLS' };
  }
  if (e.code === 'ETLS' || /certificate|self.signed|unable to verify/i.test(e.message ?? '')) {
    // Either the server refused STARTTLS while the secret requires it, or its certificate did not verify.
    return e.response
      ? { ok: false, retry: false, reason: `the mail server did not start TLS, which the SMTP secret requires (${reply})` }
      : { ok: false, retry: false, reason: `the mail server's TLS was not accepted (${smtpText((e.message ?? '').split(';')[0])})` };
  }
  if (e.code === 'EENVELOPE' && code !== undefined && code >= 500) {
    return { ok: false, retry: false, reason: `the mail server rejected the recipient (${reply})` };
  }
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') {
    return code !== undefined && code < 500 && code >= 400
      ? { ok: false, retry: true, reason: `the mail server could not log in just now (${reply})` }
      : { ok: false, retry: false, reason: `the mail server refused the login (${reply})` };
  }
  if (code !== undefined && code >= 500) return { ok: false, retry: false, reason: `the mail server refused the message (${reply})` };
  // 4xx is SMTP's "try again later" (greylisting, a full queue, 421 closing).
  if (code !== undefined && code >= 400) return { ok: false, retry: true, reason: `the mail server deferred the message (${reply})` };
  if (e.code === 'ECONFIG' || e.code === 'EREQUIRETLS') return { ok: false, retry: false, reason: `the SMTP settings do not work (${e.code})` };
  return { ok: false, retry: true, reason: `could not reach the mail server (${e.code ?? 'network error'})` };
}

async function deliver(message: HandOffMessage, channel: ChannelOf<'email'>, ctx: SendContext): Promise<DeliveryOutcome> {
  const secret = readSecret(ctx, channel.smtpSecret);
  if (!secret.ok) return secret.outcome;
  const parsed = parseSmtpSecret(secret.value);
  if (!parsed.ok) return { ok: false, retry: false, reason: parsed.reason };
  const s = parsed.settings;
  const { subject, text } = renderMessage(message, 'email', message.client.language);

  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    requireTLS: s.requireTLS,
    // A failed STARTTLS must never fall back to sending the note in the clear.
    opportunisticTLS: false,
    ...(s.auth ? { auth: s.auth } : {}),
    tls: { minVersion: 'TLSv1.2', ...(ctx.ca === undefined ? {} : { ca: [...tls.rootCertificates, ctx.ca] }) },
    connectionTimeout: ctx.timeoutMs,
    greetingTimeout: ctx.timeoutMs,
    socketTimeout: ctx.timeoutMs,
    dnsTimeout: ctx.timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  });

  const sending = transport
    .sendMail({
      from: s.from,
      to: channel.to,
      cc: channel.cc,
      subject,
      text,
      messageId: messageIdFor(message),
      headers: { 'X-Kotozute-Idempotency-Key': message.idempotencyKey },
      priority: message.urgent ? 'high' : 'normal',
      textEncoding: 'base64',
    })
    .then(
      (info): DeliveryOutcome => {
        const response = smtpText(info.response);
        if (info.rejected.length > 0) {
          return {
            ok: false,
            retry: false,
            reason: `the mail server rejected ${info.rejected.length} of ${info.rejected.length + info.accepted.length} recipients; the others received it (${response})`,
          };
        }
        if (info.accepted.length === 0 || !/^250\b/.test(info.response ?? '')) {
          return { ok: false, retry: false, reason: `${UNCONFIRMED} (${response || 'no reply'})` };
        }
        return { ok: true, receipt: `SMTP: ${response}` };
      },
      judgeError,
    );

  // nodemailer's timeouts are per phase; this is the deadline for the whole attempt.
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<DeliveryOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, retry: true, reason: `no reply from the mail server within ${ctx.timeoutMs} ms` }), ctx.timeoutMs);
    onAbort = () => resolve({ ok: false, retry: true, reason: 'the attempt was cancelled' });
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([sending, deadline]);
  } finally {
    clearTimeout(timer);
    if (onAbort) ctx.signal.removeEventListener('abort', onAbort);
    transport.close();
  }
}

export const emailSender: ChannelSender = {
  send(message, channel, ctx): Promise<DeliveryOutcome> {
    if (channel.kind !== 'email') {
      return Promise.resolve({ ok: false, retry: false, reason: `a ${channel.kind} channel was given to the email sender` });
    }
    return deliver(message, channel, ctx);
  },
};
