/**
 * Chatwork API v2: POST {base}/rooms/{room_id}/messages with the token in X-ChatWorkToken and a
 * form-encoded `body`; success is 200 JSON {"message_id":"…"}. Errors are JSON {"errors":[…]}.
 */
import { headerSafe, OFFICIAL_API_BASE, parseApiSecret, readSecret } from './channel-secret.js';
import { postHttps } from './https-post.js';
import { judgeReply } from './reply-outcome.js';
import { renderMessage } from './templates.js';
import type { ChannelSender, DeliveryOutcome } from './types.js';

/**
 * Chatwork reads tags such as [toall] or [To:123] anywhere in a message; a caller's words must not
 * ping the whole room. A full-width bracket shows the same text without the tag taking effect.
 */
export function defuseChatworkTags(text: string): string {
  return text.replace(/\[(?=\/?(?:toall|to|rp|pname|picon|piconname|info|title|code|hr|qt|qtmeta|task|download|preview|deleted)[\]:\s])/gi, '［');
}

export const chatworkSender: ChannelSender = {
  async send(message, channel, ctx): Promise<DeliveryOutcome> {
    if (channel.kind !== 'chatwork') return { ok: false, retry: false, reason: `a ${channel.kind} channel was given to the Chatwork sender` };
    const secret = readSecret(ctx, channel.tokenSecret);
    if (!secret.ok) return secret.outcome;
    const parsed = parseApiSecret(secret.value, OFFICIAL_API_BASE.chatwork);
    if (!parsed.ok) return { ok: false, retry: false, reason: parsed.reason };
    if (!headerSafe(parsed.access.token)) return { ok: false, retry: false, reason: 'the Chatwork token contains characters a header cannot carry' };
    const { text } = renderMessage(message, 'chatwork', message.client.language);
    const form = new URLSearchParams({ body: defuseChatworkTags(text), self_unread: '0' }).toString();
    const url = `${parsed.access.baseUrl}/rooms/${encodeURIComponent(channel.roomId)}/messages`;
    const result = await postHttps(
      url,
      form,
      { 'content-type': 'application/x-www-form-urlencoded', 'x-chatworktoken': parsed.access.token, accept: 'application/json' },
      ctx,
    );
    if (result.kind === 'failed') return result.outcome;
    return judgeReply('Chatwork', result.reply, confirmChatwork, ctx.now());
  },
};

function confirmChatwork(reply: { status: number; body: string }): string | undefined {
  if (reply.status !== 200) return undefined;
  try {
    const json = JSON.parse(reply.body) as { message_id?: unknown };
    const id = json.message_id;
    if ((typeof id === 'string' && /^\d+$/.test(id)) || (typeof id === 'number' && Number.isInteger(id))) return `Chatwork: message_id ${String(id)}`;
  } catch {
    // Falls through: an unparseable 200 does not confirm anything.
  }
  return undefined;
}
