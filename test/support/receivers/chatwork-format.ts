/**
 * Chatwork API v2 "post a message": POST /v2/rooms/{room_id}/messages, X-ChatWorkToken,
 * application/x-www-form-urlencoded with `body`; 200 {"message_id":"…"}; errors {"errors":[…]}.
 */
import { headerValue, type ServiceFormat, type ServiceReply } from './service-format.js';

export function chatworkFormat(token: string, roomId: string): ServiceFormat {
  let nextId = 1_000_000;
  const json = (status: number, value: unknown): ServiceReply => ({
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(value),
  });
  return {
    check(req) {
      if (headerValue(req.headers, 'x-chatworktoken') !== token) {
        return { ok: false, problem: 'bad token', reply: json(401, { errors: ['Invalid API token'] }) };
      }
      if (req.method !== 'POST' || req.path !== `/v2/rooms/${roomId}/messages`) {
        return { ok: false, problem: `unknown resource ${req.method} ${req.path}`, reply: json(404, { errors: ['Resource not found'] }) };
      }
      if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(headerValue(req.headers, 'content-type') ?? '')) {
        return { ok: false, problem: 'not form-encoded', reply: json(400, { errors: ['Parameter [body] is required'] }) };
      }
      const form = new URLSearchParams(req.body);
      const text = form.get('body');
      if (!text) return { ok: false, problem: 'no body parameter', reply: json(400, { errors: ['Parameter [body] is required'] }) };
      if (/\[(toall|to:\d+)/i.test(text)) return { ok: false, problem: 'a live mention tag', reply: json(400, { errors: ['mention in message'] }) };
      return { ok: true, delivery: { kind: 'chatwork', text, payload: Object.fromEntries(form), headers: req.headers } };
    },
    success: () => json(200, { message_id: String(nextId++) }),
    rateLimited: () => json(429, { errors: ['Rate limit exceeded'] }),
    serverError: () => json(500, { errors: ['Internal server error'] }),
    garbage: () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>garbage</html>' }),
    rejected: () => json(403, { errors: ["You don't have permission to send messages in this room"] }),
  };
}
