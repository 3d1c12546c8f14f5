/**
 * Hand-off messages and send contexts for channel tests, with values distinctive enough to find in
 * a receiver's record (and to prove that a minimal chat notice does not carry them).
 */
import type { HandOffMessage, SendContext } from '../../../electron/main/services/handoff/types.js';
import { loopbackCa } from './loopback-ca.js';

export const CALLER_NAME = '山田太郎';
export const CALLER_NUMBER = '090-1234-5678';
export const FREE_TEXT = '見積書の件で折り返しお願いします。\n2行目: <@channel> & [toall] 😀 葛󠄀';

export function sampleMessage(overrides: Partial<HandOffMessage> = {}): HandOffMessage {
  return {
    idempotencyKey: 'hk-0001-aaaa',
    noteId: 'note-0001',
    client: { id: 'midorido-shop', name: 'みどり堂オンラインショップ', language: 'ja' },
    urgent: true,
    subject: `【伝言】田中様宛 — ${CALLER_NAME}様より`,
    fields: [
      { id: 'callerName', label: 'お名前', value: CALLER_NAME },
      { id: 'callbackNumber', label: '折り返し番号', value: CALLER_NUMBER },
      { id: 'freeText', label: 'ご用件', value: FREE_TEXT },
    ],
    call: { did: '03-5550-0201', callerName: CALLER_NAME, callerNumber: CALLER_NUMBER, receivedAt: '2025-04-01T10:15:00+09:00' },
    takenAt: '2025-04-01T10:18:00+09:00',
    recipient: '田中',
    minimalChat: false,
    ...overrides,
  };
}

/** A context whose secret store holds exactly `secrets`, trusting the loopback CA. */
export function sendContext(secrets: Record<string, string>, overrides: Partial<SendContext> = {}): SendContext {
  return {
    secrets: (ref) => secrets[ref],
    signal: new AbortController().signal,
    timeoutMs: 2_000,
    ca: loopbackCa().ca,
    now: () => new Date(),
    ...overrides,
  };
}
