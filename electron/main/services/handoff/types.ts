/**
 * The contract between the outbox and the channel senders: one message, one channel, one attempt,
 * one outcome. A sender never retries on its own and never decides whether a note is wiped; it only
 * reports, truthfully, whether the receiver confirmed the delivery in the service's documented way.
 */
import type { HandOffChannel, HandOffTemplate } from '../../../../shared/directory/schema.js';

/** One message as the outbox hands it to a sender. Built from a decrypted note; never logged. */
export interface HandOffMessage {
  /** The same across retries and restarts, so a receiver that supports it can drop duplicates. */
  idempotencyKey: string;
  noteId: string;
  client: { id: string; name: string; language: 'ja' | 'en' };
  urgent: boolean;
  /** e.g. 「【伝言】田中様宛 — 山田様より」 */
  subject: string;
  fields: Array<{ id: string; label: string; value: string }>;
  call: { did: string; callerName: string; callerNumber: string; receivedAt: string };
  takenAt: string;
  /** Addressee for minimal chat text, e.g. the staff name the message is for. */
  recipient?: string;
  /** Chat channels get a one-line notice without caller data. */
  minimalChat: boolean;
  /** The client's own wording for this message's language, if it set one. */
  template?: HandOffTemplate;
}

/**
 * What one attempt achieved.
 * - ok: the receiver confirmed the delivery exactly as the service documents it (the note may be wiped).
 * - retry true: a network error, timeout, 5xx or 429; trying again later can succeed.
 * - retry false: it will never succeed as configured (4xx, bad configuration, a redirect), or the
 *   receiver answered something that does not confirm delivery — retrying blindly could duplicate it.
 */
export type DeliveryOutcome =
  | { ok: true; receipt: string }
  | { ok: false; retry: true; retryAfterMs?: number; reason: string }
  | { ok: false; retry: false; reason: string };

/** Reads a secret from the encrypted store by the name the directory gives it. */
export type SecretLookup = (ref: string) => string | undefined;

export interface SendContext {
  secrets: SecretLookup;
  signal: AbortSignal;
  /** For the whole attempt: connect, request, reply. */
  timeoutMs: number;
  /** Extra CA certificates to trust (tests use a loopback CA); never disables verification. */
  ca?: string | Buffer;
  now: () => Date;
}

export interface ChannelSender {
  send(message: HandOffMessage, channel: HandOffChannel, ctx: SendContext): Promise<DeliveryOutcome>;
}

/** A channel of one kind, e.g. `ChannelOf<'slack'>`. */
export type ChannelOf<K extends HandOffChannel['kind']> = Extract<HandOffChannel, { kind: K }>;
