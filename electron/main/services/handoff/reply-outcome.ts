/**
 * Turns an HTTP reply into a DeliveryOutcome with the same rules for every service: only the
 * service's documented success confirms a delivery; 429, 408 and 5xx are worth retrying; a redirect
 * or any other 4xx is not; a 2xx that does not look like the documented success is reported as
 * unconfirmed and not retried, because the message may well have arrived.
 */
import { redact } from '../log.js';
import type { HttpReply } from './https-post.js';
import type { DeliveryOutcome } from './types.js';

/** Longest a server-provided delay is honoured; beyond that the outbox's own back-off is saner. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

export const UNCONFIRMED = "the receiver's reply did not confirm delivery";

function header(reply: HttpReply, name: string): string | undefined {
  const v = reply.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3); Chatwork's X-RateLimit-Reset as a fallback. */
export function retryAfterMs(reply: HttpReply, now: Date): number | undefined {
  const clamp = (ms: number) => Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(ms)));
  const value = header(reply, 'retry-after')?.trim();
  if (value) {
    if (/^\d+$/.test(value)) return clamp(Number(value) * 1000);
    const at = Date.parse(value);
    if (!Number.isNaN(at)) return clamp(at - now.getTime());
  }
  const reset = header(reply, 'x-ratelimit-reset')?.trim();
  if (reset && /^\d+$/.test(reset)) return clamp(Number(reset) * 1000 - now.getTime());
  return undefined;
}

/** The service's own words for an error, trimmed and stripped of numbers and addresses. */
export function serviceErrorText(body: string): string {
  let text = body;
  try {
    const json: unknown = JSON.parse(body);
    text = errorFromJson(json) ?? body;
  } catch {
    // Not JSON: Slack answers errors as plain text (e.g. "channel_not_found").
  }
  const clean = redact(text.replace(/\s+/g, ' ').trim()).replace(/\d{4,}/g, '<number>');
  return clean.length > 160 ? `${clean.slice(0, 160)}…` : clean;
}

/** Chatwork {errors:[…]}, LINE WORKS {code, description}, Teams/Graph {error:{code, message}}. */
function errorFromJson(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as Record<string, unknown>;
  if (Array.isArray(o.errors)) return o.errors.filter((e) => typeof e === 'string').join('; ');
  if (typeof o.error === 'object' && o.error !== null) {
    const e = o.error as Record<string, unknown>;
    return [e.code, e.message].filter((x) => typeof x === 'string').join(': ');
  }
  const parts = [o.code, o.error, o.description, o.message].filter((x) => typeof x === 'string');
  return parts.length > 0 ? parts.join(': ') : undefined;
}

/**
 * Judges a reply from `service`. `confirm` returns the receipt when the reply is the documented
 * success, undefined otherwise; it is only asked about 2xx replies.
 */
export function judgeReply(
  service: string,
  reply: HttpReply,
  confirm: (reply: HttpReply) => string | undefined,
  now: Date,
): DeliveryOutcome {
  const { status } = reply;
  if (status >= 200 && status < 300) {
    const receipt = reply.incomplete ? undefined : confirm(reply);
    return receipt === undefined
      ? { ok: false, retry: false, reason: `${UNCONFIRMED} (${service} answered ${status})` }
      : { ok: true, receipt };
  }
  if (status >= 300 && status < 400) {
    const location = header(reply, 'location');
    let where = '';
    try {
      if (location) where = ` to ${new URL(location).host}`;
    } catch {
      // A Location that is not a URL is still a redirect; the host is only a hint.
    }
    return { ok: false, retry: false, reason: `${service} answered with a redirect (${status}${where}); redirects are not followed` };
  }
  if (status === 429 || status === 408 || status >= 500) {
    const wait = retryAfterMs(reply, now);
    const what = status === 429 ? 'is rate limiting' : status === 408 ? 'timed out the request' : 'had a server error';
    const reason = `${service} ${what} (${status})`;
    return wait === undefined ? { ok: false, retry: true, reason } : { ok: false, retry: true, retryAfterMs: wait, reason };
  }
  if (status >= 400) {
    const text = serviceErrorText(reply.body);
    return { ok: false, retry: false, reason: `${service} refused the message (${status}${text ? `: ${text}` : ''})` };
  }
  return { ok: false, retry: false, reason: `${UNCONFIRMED} (${service} answered ${status})` };
}
