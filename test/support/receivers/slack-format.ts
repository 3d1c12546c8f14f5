/**
 * Slack incoming webhooks: POST application/json with a non-empty "text" (or blocks) to
 * /services/T…/B…/secret; 200 "ok"; plain-text errors (invalid_payload, no_service, channel_is_archived).
 */
import { isJson, parseJson, record, type ServiceFormat } from './service-format.js';

export function slackFormat(path: string): ServiceFormat {
  const text = (status: number, body: string) => ({ status, headers: { 'content-type': 'text/html' }, body });
  return {
    check(req) {
      if (req.method !== 'POST') return { ok: false, problem: `method ${req.method}`, reply: text(405, 'invalid_method') };
      if (req.path !== path) return { ok: false, problem: 'unknown webhook path', reply: text(404, 'no_service') };
      if (!isJson(req.headers)) return { ok: false, problem: 'content type is not JSON', reply: text(400, 'invalid_payload') };
      const body = record(parseJson(req.body));
      if (!body || typeof body.text !== 'string' || body.text.trim() === '') {
        return { ok: false, problem: 'no text in the payload', reply: text(400, 'no_text') };
      }
      // What a reader sees: Slack undoes its three escapes.
      const shown = body.text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      if (/<[!@#]|<https?:/.test(body.text)) return { ok: false, problem: 'unescaped mention or link', reply: text(400, 'invalid_payload') };
      return { ok: true, delivery: { kind: 'slack', text: shown, payload: body, headers: req.headers } };
    },
    success: () => text(200, 'ok'),
    rateLimited: () => text(429, 'rate_limited'),
    serverError: () => text(500, 'rollup_error'),
    garbage: () => text(200, 'garbage'),
    rejected: () => text(410, 'channel_is_archived'),
  };
}
