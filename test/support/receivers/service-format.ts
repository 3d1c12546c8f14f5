/**
 * What a loopback receiver needs to know to stand in for a service: how to judge a request the way
 * the real service would, and how the service words each kind of reply.
 */
import type { IncomingHttpHeaders } from 'node:http';

export type ServiceKind = 'slack' | 'teams' | 'chatwork' | 'lineworks' | 'webhook';

export interface IncomingRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface ServiceReply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** One message as the service would have posted it. */
export interface Delivery {
  kind: ServiceKind;
  /** The message text as a reader sees it (decoded from the service's format). */
  text: string;
  /** The parsed request body. */
  payload: unknown;
  headers: IncomingHttpHeaders;
  /** The webhook's Idempotency-Key; the other services have none. */
  idempotencyKey?: string;
}

export type Verdict = { ok: true; delivery: Delivery } | { ok: false; problem: string; reply: ServiceReply };

export interface ServiceFormat {
  /** Checks method, path, auth, content type and body shape. */
  check(req: IncomingRequest, now: Date): Verdict;
  success(): ServiceReply;
  /** 429 with the service's body; the receiver adds Retry-After. */
  rateLimited(): ServiceReply;
  serverError(): ServiceReply;
  /** A 2xx that is not the documented success. */
  garbage(): ServiceReply;
  /** The service's word for a permanent refusal (e.g. Slack's channel_is_archived). */
  rejected(): ServiceReply;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function isJson(headers: IncomingHttpHeaders): boolean {
  return /^application\/json\s*(;|$)/i.test(headerValue(headers, 'content-type') ?? '');
}

export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

export function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
