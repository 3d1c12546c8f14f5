/**
 * One HTTPS POST for a channel sender, with the rules every hand-off receiver is held to:
 * https only; the platform's roots plus, in tests, one extra CA — verification is never turned off;
 * no redirects followed (a 3xx is the caller's to judge); one deadline for connect, request and
 * reply; reply bodies read up to a cap so a hostile receiver cannot fill memory.
 */
import https from 'node:https';
import tls from 'node:tls';
import type { IncomingHttpHeaders } from 'node:http';
import type { DeliveryOutcome, SendContext } from './types.js';

/** Reply bodies beyond this are cut: every documented success reply is a few bytes. */
export const MAX_REPLY_BYTES = 64 * 1024;

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  /** UTF-8, at most MAX_REPLY_BYTES. */
  body: string;
  /** The body was cut at the cap, or the connection broke before it ended. */
  incomplete: boolean;
}

export type PostResult = { kind: 'reply'; reply: HttpReply } | { kind: 'failed'; outcome: DeliveryOutcome };

const CERT_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME_INVALID|ERR_SSL/;

/** Refuses anything but an https:// URL, with the reason the outbox will show. */
export function checkHttpsUrl(raw: string): { ok: true; url: URL } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'the receiver address is not a valid URL' };
  }
  if (url.protocol !== 'https:') {
    return { ok: false, reason: `only https:// receivers are allowed; a ${url.protocol}// address was refused` };
  }
  return { ok: true, url };
}

/** Node replaces its built-in roots when `ca` is given, so the extra CA is added to them instead. */
function trustedCas(extra: SendContext['ca']): Array<string | Buffer> | undefined {
  return extra === undefined ? undefined : [...tls.rootCertificates, extra];
}

function networkFailure(err: unknown): DeliveryOutcome {
  const code = (err as { code?: unknown }).code;
  const name = typeof code === 'string' ? code : 'network error';
  if (CERT_ERRORS.test(name)) {
    // A certificate that does not verify will not start verifying by itself; someone must look.
    return { ok: false, retry: false, reason: `the receiver's TLS certificate was not accepted (${name})` };
  }
  return { ok: false, retry: true, reason: `could not reach the receiver (${name})` };
}

/** POSTs `body` to `rawUrl` and returns the reply, or the outcome when there was no usable reply. */
export function postHttps(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  ctx: SendContext,
): Promise<PostResult> {
  const checked = checkHttpsUrl(rawUrl);
  if (!checked.ok) return Promise.resolve({ kind: 'failed', outcome: { ok: false, retry: false, reason: checked.reason } });
  if (ctx.signal.aborted) {
    return Promise.resolve({ kind: 'failed', outcome: { ok: false, retry: true, reason: 'the attempt was cancelled' } });
  }
  const { url } = checked;
  const payload = Buffer.from(body, 'utf8');

  return new Promise<PostResult>((resolve) => {
    let settled = false;
    let partial: HttpReply | undefined;
    const finish = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(result);
    };
    const onAbort = () => finish({ kind: 'failed', outcome: { ok: false, retry: true, reason: 'the attempt was cancelled' } });

    let req: ReturnType<typeof https.request>;
    try {
      req = https.request({
        protocol: 'https:',
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port === '' ? 443 : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...headers, 'content-length': String(payload.length), 'user-agent': 'Kotozute' },
        ca: trustedCas(ctx.ca),
        minVersion: 'TLSv1.2',
        // A fresh connection per attempt: no pooled socket carries state between hand-offs.
        agent: false,
      });
    } catch (err) {
      // Node refuses a header value it cannot send (a line break in a token or key): a configuration fault.
      const code = (err as { code?: unknown }).code;
      resolve({ kind: 'failed', outcome: { ok: false, retry: false, reason: `the request could not be built (${typeof code === 'string' ? code : 'invalid request'})` } });
      return;
    }

    const timer = setTimeout(() => {
      // A 2xx whose body never ended cannot confirm anything; anything else is a plain timeout.
      if (partial) finish({ kind: 'reply', reply: { ...partial, incomplete: true } });
      else finish({ kind: 'failed', outcome: { ok: false, retry: true, reason: `no reply within ${ctx.timeoutMs} ms` } });
    }, ctx.timeoutMs);
    ctx.signal.addEventListener('abort', onAbort, { once: true });

    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const snapshot = (incomplete: boolean): HttpReply => ({
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        incomplete,
      });
      partial = snapshot(true);
      res.on('data', (chunk: Buffer) => {
        const room = MAX_REPLY_BYTES - size;
        if (chunk.length >= room) {
          chunks.push(chunk.subarray(0, room));
          size = MAX_REPLY_BYTES;
          finish({ kind: 'reply', reply: snapshot(chunk.length > room) });
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
        partial = snapshot(true);
      });
      res.on('end', () => finish({ kind: 'reply', reply: snapshot(false) }));
      res.on('error', () => finish({ kind: 'reply', reply: snapshot(true) }));
      res.on('aborted', () => finish({ kind: 'reply', reply: snapshot(true) }));
    });
    req.on('error', (err) => {
      if (partial) finish({ kind: 'reply', reply: { ...partial, incomplete: true } });
      else finish({ kind: 'failed', outcome: networkFailure(err) });
    });
    req.end(payload);
  });
}
