/**
 * A Teams Workflows webhook ("When a Teams webhook request is received"): POST application/json to
 * /workflows/{id}/triggers/manual/paths/invoke?api-version=…&sig=…, body {type:"message",
 * attachments:[{contentType:"application/vnd.microsoft.card.adaptive", content:{type:"AdaptiveCard",…}}]};
 * 202 Accepted with an empty body; errors as JSON {error:{code,message}}.
 */
import { isJson, parseJson, record, type ServiceFormat, type ServiceReply } from './service-format.js';

export function teamsFormat(workflowPath: string, sig: string): ServiceFormat {
  const error = (status: number, code: string, message: string): ServiceReply => ({
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ error: { code, message } }),
  });
  return {
    check(req) {
      const url = new URL(req.path, 'https://loopback');
      if (req.method !== 'POST' || url.pathname !== workflowPath) {
        return { ok: false, problem: 'unknown workflow', reply: error(404, 'WorkflowNotFound', 'The workflow could not be found.') };
      }
      if (url.searchParams.get('sig') !== sig || !url.searchParams.get('api-version')) {
        return { ok: false, problem: 'bad signature', reply: error(401, 'DirectApiAuthorizationRequired', 'The request must be authenticated.') };
      }
      if (!isJson(req.headers)) return { ok: false, problem: 'not JSON', reply: error(415, 'UnsupportedMediaType', 'The media type is not supported.') };
      const body = record(parseJson(req.body));
      const attachment = Array.isArray(body?.attachments) ? record(body.attachments[0]) : undefined;
      const card = record(attachment?.content);
      const blocks = Array.isArray(card?.body) ? card.body.map(record) : [];
      const ok =
        body?.type === 'message' &&
        attachment?.contentType === 'application/vnd.microsoft.card.adaptive' &&
        card?.type === 'AdaptiveCard' &&
        typeof card.version === 'string' &&
        blocks.length > 0 &&
        blocks.every((b) => b?.type === 'TextBlock' && typeof b.text === 'string' && b.text !== '');
      if (!ok) return { ok: false, problem: 'not a message with an Adaptive Card', reply: error(400, 'InvalidRequestContent', 'The request content is not valid.') };
      const text = blocks.map((b) => String(b?.text)).join('\n\n');
      return { ok: true, delivery: { kind: 'teams', text, payload: body, headers: req.headers } };
    },
    success: () => ({ status: 202, body: '' }),
    rateLimited: () => error(429, 'WorkflowTriggerIsThrottled', 'The workflow trigger is throttled.'),
    serverError: () => error(500, 'InternalServerError', 'An internal server error occurred.'),
    garbage: () => ({ status: 203, headers: { 'content-type': 'text/html' }, body: '<html>garbage</html>' }),
    rejected: () => error(400, 'WorkflowTriggerNotEnabled', 'The workflow is disabled.'),
  };
}
