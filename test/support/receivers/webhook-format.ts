/**
 * The receiving end of Kotozute's signed webhook, written the way a client's developer should write
 * it: verify the HMAC over `${timestamp}.${body}` in constant time, refuse stale timestamps, and
 * answer a repeated Idempotency-Key with success without posting the message twice.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { headerValue, isJson, parseJson, record, type ServiceFormat, type ServiceReply } from './service-format.js';

/** How far the signed timestamp may be from the receiver's clock. */
const TOLERANCE_S = 300;

export function webhookFormat(path: string, secret: string): ServiceFormat {
  const json = (status: number, value: unknown): ServiceReply => ({
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(value),
  });
  return {
    check(req, now) {
      if (req.method !== 'POST' || new URL(req.path, 'https://loopback').pathname !== path) {
        return { ok: false, problem: 'unknown path', reply: json(404, { error: 'not_found' }) };
      }
      if (!isJson(req.headers)) return { ok: false, problem: 'not JSON', reply: json(415, { error: 'unsupported_media_type' }) };
      const timestamp = headerValue(req.headers, 'x-kotozute-timestamp') ?? '';
      const signature = headerValue(req.headers, 'x-kotozute-signature') ?? '';
      const key = headerValue(req.headers, 'idempotency-key');
      if (!/^\d+$/.test(timestamp) || Math.abs(now.getTime() / 1000 - Number(timestamp)) > TOLERANCE_S) {
        return { ok: false, problem: 'stale or missing timestamp', reply: json(401, { error: 'stale_timestamp' }) };
      }
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${req.body}`, 'utf8').digest('hex')}`);
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { ok: false, problem: 'bad signature', reply: json(401, { error: 'bad_signature' }) };
      }
      if (!key) return { ok: false, problem: 'no Idempotency-Key', reply: json(400, { error: 'missing_idempotency_key' }) };
      const body = record(parseJson(req.body));
      if (body?.type !== 'kotozute.message' || body.idempotencyKey !== key || typeof body.text !== 'string') {
        return { ok: false, problem: 'not a Kotozute message', reply: json(400, { error: 'invalid_payload' }) };
      }
      return { ok: true, delivery: { kind: 'webhook', text: body.text, payload: body, headers: req.headers, idempotencyKey: key } };
    },
    success: () => json(200, { received: true }),
    rateLimited: () => json(429, { error: 'slow_down' }),
    serverError: () => json(500, { error: 'internal' }),
    // Any 2xx confirms a webhook delivery, so there is no "garbage 2xx" here: a 200 with nonsense is success.
    garbage: () => ({ status: 200, body: 'garbage' }),
    rejected: () => json(422, { error: 'unprocessable: the endpoint is disabled' }),
  };
}
