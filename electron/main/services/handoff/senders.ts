/**
 * One sender per channel kind, for the outbox. A transfer is not a message delivery: the line
 * puts the caller through, and the message itself goes out on the client's message channels.
 */
import type { HandOffChannel } from '../../../../shared/directory/schema.js';
import { chatworkSender } from './chatwork-sender.js';
import { emailSender } from './email-sender.js';
import { lineworksSender } from './lineworks-sender.js';
import { slackSender } from './slack-sender.js';
import { teamsSender } from './teams-sender.js';
import type { ChannelSender } from './types.js';
import { webhookSender } from './webhook-sender.js';

const transferSender: ChannelSender = {
  send: () => Promise.resolve({ ok: false, retry: false, reason: 'transfer is handled by the line' }),
};

/** The senders by channel kind. Stateless: one set serves every message. */
export function createSenders(): Record<HandOffChannel['kind'], ChannelSender> {
  return {
    email: emailSender,
    slack: slackSender,
    teams: teamsSender,
    chatwork: chatworkSender,
    lineworks: lineworksSender,
    webhook: webhookSender,
    transfer: transferSender,
  };
}
