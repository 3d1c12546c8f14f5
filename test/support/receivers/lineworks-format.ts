/**
 * LINE WORKS API 2.0 "send a message to a channel": POST /v1.0/bots/{botId}/channels/{channelId}/messages,
 * Authorization: Bearer, JSON {content:{type:"text", text}}; 201 Created, empty body;
 * errors JSON {code, description}.
 */
import { headerValue, isJson, parseJson, record, type ServiceFormat, type ServiceReply } from './service-format.js';

/** LINE WORKS refuses a text message longer than this. */
const MAX_TEXT = 2_000;

export function lineworksFormat(token: string, botId: string, channelId: string): ServiceFormat {
  const error = (status: number, code: string, description: string): ServiceReply => ({
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ code, description }),
  });
  return {
    check(req) {
      if (headerValue(req.headers, 'authorization') !== `Bearer ${token}`) {
        return { ok: false, problem: 'bad bearer token', reply: error(401, 'UNAUTHORIZED', 'Authentication failed') };
      }
      if (req.method !== 'POST' || req.path !== `/v1.0/bots/${botId}/channels/${encodeURIComponent(channelId)}/messages`) {
        return { ok: false, problem: `unknown resource ${req.method} ${req.path}`, reply: error(404, 'NOT_FOUND', 'Resource not found') };
      }
      if (!isJson(req.headers)) return { ok: false, problem: 'not JSON', reply: error(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type') };
      const content = record(record(parseJson(req.body))?.content);
      if (content?.type !== 'text' || typeof content.text !== 'string' || content.text === '') {
        return { ok: false, problem: 'no text content', reply: error(400, 'INVALID_PARAMETER', 'content is invalid') };
      }
      if (Array.from(content.text).length > MAX_TEXT) {
        return { ok: false, problem: 'text too long', reply: error(400, 'INVALID_PARAMETER', 'content.text is too long') };
      }
      return { ok: true, delivery: { kind: 'lineworks', text: content.text, payload: parseJson(req.body), headers: req.headers } };
    },
    success: () => ({ status: 201, body: '' }),
    rateLimited: () => error(429, 'TOO_MANY_REQUESTS', 'Too many requests'),
    serverError: () => error(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'),
    garbage: () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: 'garbage' }),
    rejected: () => error(403, 'FORBIDDEN', 'The bot is not a member of the channel'),
  };
}
