/**
 * The generic signed webhook. The receiver gets the whole message as JSON and three headers:
 * - X-Kotozute-Timestamp: unix seconds when this attempt was signed (reject if far from now);
 * - X-Kotozute-Signature: "sha256=" + hex HMAC-SHA256 of `${timestamp}.${body}` with the signing secret;
 * - Idempotency-Key: the same for every attempt of one message, so a retry can be dropped.
 * Any 2xx confirms delivery.
 */
import { createHmac } from 'node:crypto';
import { readSecret } from './channel-secret.js';
import { postHttps } from './https-post.js';
import { judgeReply } from './reply-outcome.js';
import { renderMessage, wellFormed } from './templates.js';
import type { ChannelSender, DeliveryOutcome, HandOffMessage } from './types.js';

/** The JSON body, version 1. */
export function webhookPayload(message: HandOffMessage, sentAt: Date): Record<string, unknown> {
  const { subject, text } = renderMessage(message, 'webhook', message.client.language);
  return {
    type: 'kotozute.message',
    version: 1,
    idempotencyKey: message.idempotencyKey,
    noteId: message.noteId,
    client: { id: message.client.id, name: wellFormed(message.client.name), language: message.client.language },
    urgent: message.urgent,
    recipient: message.recipient === undefined ? null : wellFormed(message.recipient),
    subject,
    text,
    fields: message.fields.map((f) => ({ id: f.id, label: wellFormed(f.label), value: wellFormed(f.value) })),
    call: {
      did: message.call.did,
      callerName: wellFormed(message.call.callerName),
      callerNumber: wellFormed(message.call.callerNumber),
      receivedAt: message.call.receivedAt,
    },
    takenAt: message.takenAt,
    sentAt: sentAt.toISOString(),
  };
}

/** "sha256=<hex>" over `${timestamp}.${body}`. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

export const webhookSender: ChannelSender = {
  async send(message, channel, ctx): Promise<DeliveryOutcome> {
    if (channel.kind !== 'webhook') return { ok: false, retry: false, reason: `a ${channel.kind} channel was given to the webhook sender` };
    const secret = readSecret(ctx, channel.signingSecret);
    if (!secret.ok) return secret.outcome;
    const now = ctx.now();
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const body = JSON.stringify(webhookPayload(message, now));
    const result = await postHttps(
      channel.url,
      body,
      {
        'content-type': 'application/json; charset=utf-8',
        'x-kotozute-timestamp': timestamp,
        'x-kotozute-signature': signWebhook(secret.value, timestamp, body),
        'idempotency-key': message.idempotencyKey,
      },
      ctx,
    );
    if (result.kind === 'failed') return result.outcome;
    return judgeReply('the webhook', result.reply, (r) => `webhook: ${r.status}`, ctx.now());
  },
};
