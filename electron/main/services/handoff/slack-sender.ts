/**
 * Slack incoming webhook: POST JSON {text} to the webhook URL; success is 200 with the body "ok".
 * Documented errors come back as plain text (400 invalid_payload, 403 invalid_token,
 * 404 channel_not_found / no_service, 410 channel_is_archived, 429 with Retry-After, 5xx).
 */
import { readSecret } from './channel-secret.js';
import { postHttps } from './https-post.js';
import { judgeReply } from './reply-outcome.js';
import { renderMessage } from './templates.js';
import type { ChannelSender, DeliveryOutcome } from './types.js';

/** Slack's own escaping: a caller's text must not become a link or an @channel mention. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const slackSender: ChannelSender = {
  async send(message, channel, ctx): Promise<DeliveryOutcome> {
    if (channel.kind !== 'slack') return { ok: false, retry: false, reason: `a ${channel.kind} channel was given to the Slack sender` };
    const url = readSecret(ctx, channel.webhookSecret);
    if (!url.ok) return url.outcome;
    const { text } = renderMessage(message, 'slack', message.client.language);
    // No unfurling: Slack would otherwise fetch any address a caller dictated into the message.
    const body = JSON.stringify({ text: escapeSlack(text), unfurl_links: false, unfurl_media: false });
    const result = await postHttps(url.value, body, { 'content-type': 'application/json; charset=utf-8' }, ctx);
    if (result.kind === 'failed') return result.outcome;
    return judgeReply('Slack', result.reply, (r) => (r.status === 200 && r.body.trim() === 'ok' ? 'Slack: ok' : undefined), ctx.now());
  },
};
