/**
 * The SMTP secret: one URL, `smtp://user:pass@host:port` (STARTTLS when the server offers it) or
 * `smtps://user:pass@host:port` (TLS from the first byte). Query parameters understood:
 * - `requireTLS=true`: refuse to send unless STARTTLS succeeds;
 * - `from=desk@example.jp`: the sender address (otherwise the user name, when it is an address).
 * Nothing else in the URL is honoured — in particular nothing can switch certificate checks off,
 * which nodemailer's own URL parsing would allow (`?tls.rejectUnauthorized=false`).
 */

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the start (smtps). */
  secure: boolean;
  requireTLS: boolean;
  auth?: { user: string; pass: string };
  from: string;
}

const ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+$/;

/** Parses the secret, or says what is wrong with it (without repeating it). */
export function parseSmtpSecret(value: string): { ok: true; settings: SmtpSettings } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'the SMTP secret is not a URL (smtp://user:pass@host:port)' };
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    return { ok: false, reason: `the SMTP secret must start with smtp:// or smtps://, not ${url.protocol}//` };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) return { ok: false, reason: 'the SMTP secret names no host' };
  const secure = url.protocol === 'smtps:';
  const port = url.port === '' ? (secure ? 465 : 587) : Number(url.port);
  let user: string;
  let pass: string;
  try {
    user = decodeURIComponent(url.username);
    pass = decodeURIComponent(url.password);
  } catch {
    return { ok: false, reason: 'the SMTP secret has a badly encoded user name or password' };
  }
  const requireTLS = /^(1|true|yes)$/i.test(url.searchParams.get('requireTLS') ?? '');
  const from = url.searchParams.get('from') ?? (ADDRESS.test(user) ? user : '');
  if (!ADDRESS.test(from)) {
    return { ok: false, reason: 'the SMTP secret gives no sender address (add ?from=address to the URL)' };
  }
  return { ok: true, settings: { host, port, secure, requireTLS, ...(user ? { auth: { user, pass } } : {}), from } };
}
