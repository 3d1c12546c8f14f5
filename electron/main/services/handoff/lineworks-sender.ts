/**
 * LINE WORKS API 2.0 bot message to a channel: POST {base}/bots/{botId}/channels/{channelId}/messages
 * with "Authorization: Bearer <token>" and JSON {content:{type:"text",text}}; success is 201 Created
 * with an empty body. Errors are JSON {code, description}.
 */
import { headerSafe, OFFICIAL_API_BASE, parseApiSecret, readSecret } from './channel-secret.js';
import { postHttps } from './https-post.js';
import { judgeReply } from './reply-outcome.js';
import { renderMessage } from './templates.js';
import type { ChannelSender, DeliveryOutcome } from './types.js';

export const lineworksSender: ChannelSender = {
  async send(message, channel, ctx): Promise<DeliveryOutcome> {
    if (channel.kind !== 'lineworks') return { ok: false, retry: false, reason: `a ${channel.kind} channel was given to the LINE WORKS sender` };
    const secret = readSecret(ctx, channel.tokenSecret);
    if (!secret.ok) return secret.outcome;
    const parsed = parseApiSecret(secret.value, OFFICIAL_API_BASE.lineworks);
    if (!parsed.ok) return { ok: false, retry: false, reason: parsed.reason };
    if (!headerSafe(parsed.access.token)) return { ok: false, retry: false, reason: 'the LINE WORKS token contains characters a header cannot carry' };
    const { text } = renderMessage(message, 'lineworks', message.client.language);
    const url = `${parsed.access.baseUrl}/bots/${encodeURIComponent(channel.botId)}/channels/${encodeURIComponent(channel.channelId)}/messages`;
    const result = await postHttps(
      url,
      JSON.stringify({ content: { type: 'text', text } }),
      { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${parsed.access.token}` },
      ctx,
    );
    if (result.kind === 'failed') return result.outcome;
    return judgeReply('LINE WORKS', result.reply, (r) => (r.status === 201 ? 'LINE WORKS: created (201)' : undefined), ctx.now());
  },
};
