/**
 * Microsoft Teams through a Workflows (Power Automate) webhook: POST a message with one Adaptive
 * Card attachment, the shape the "When a Teams webhook request is received" trigger expects.
 * Success is 202 Accepted (or 200 when the flow answers itself); errors are JSON {error:{code,message}}.
 */
import { readSecret } from './channel-secret.js';
import { postHttps } from './https-post.js';
import { judgeReply } from './reply-outcome.js';
import { renderMessage } from './templates.js';
import type { ChannelSender, DeliveryOutcome, HandOffMessage } from './types.js';

/** Paragraphs beyond this go into the last block, keeping the card well under Teams' 28 KB. */
const MAX_BLOCKS = 40;

/** The Adaptive Card 1.4 payload for one message. */
export function teamsPayload(message: HandOffMessage): unknown {
  const { subject, text } = renderMessage(message, 'teams', message.client.language);
  const lines = text.split('\n');
  const title = { type: 'TextBlock', weight: 'Bolder', size: 'Medium', wrap: true, ...(message.urgent ? { color: 'Attention' } : {}) };
  let blocks: unknown[];
  if (lines[0] !== subject) {
    // A minimal notice is one line: it is the whole card.
    blocks = [{ ...title, text }];
  } else {
    // The full text starts with the subject; the card shows it as the title and the rest below.
    const paragraphs = lines.slice(1).join('\n').split(/\n{2,}/).filter((p) => p.trim() !== '');
    const kept = paragraphs.slice(0, MAX_BLOCKS - 1);
    if (paragraphs.length > kept.length) kept.push(paragraphs.slice(kept.length).join('\n\n'));
    blocks = [{ ...title, text: subject }, ...kept.map((p) => ({ type: 'TextBlock', text: p, wrap: true }))];
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: blocks,
        },
      },
    ],
  };
}

export const teamsSender: ChannelSender = {
  async send(message, channel, ctx): Promise<DeliveryOutcome> {
    if (channel.kind !== 'teams') return { ok: false, retry: false, reason: `a ${channel.kind} channel was given to the Teams sender` };
    const url = readSecret(ctx, channel.webhookSecret);
    if (!url.ok) return url.outcome;
    const body = JSON.stringify(teamsPayload(message));
    const result = await postHttps(url.value, body, { 'content-type': 'application/json; charset=utf-8' }, ctx);
    if (result.kind === 'failed') return result.outcome;
    return judgeReply('Teams', result.reply, (r) => (r.status === 202 || r.status === 200 ? `Teams: accepted (${r.status})` : undefined), ctx.now());
  },
};
