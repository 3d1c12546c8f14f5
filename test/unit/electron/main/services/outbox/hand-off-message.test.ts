import { describe, expect, it } from 'vitest';
import { Client } from '../../../../../../shared/directory/schema.js';
import { channelsFor } from '../../../../../../electron/main/services/outbox/channel-choice.js';
import { buildHandOffMessage, isUrgent } from '../../../../../../electron/main/services/outbox/hand-off-message.js';
import { auditReasonOf } from '../../../../../../electron/main/services/outbox/reason-code.js';
import { generateClient } from '../../../../../support/generate-directory.js';

function client(options: string[], language: 'ja' | 'en' = 'ja'): Client {
  return Client.parse({
    ...generateClient(2),
    language,
    messageForm: {
      fields: [
        { id: 'name', kind: 'callerName', label: 'お名前' },
        { id: 'forWhom', kind: 'text', label: 'Message for' },
        { id: 'topic', kind: 'subject', label: 'ご用件' },
        { id: 'level', kind: 'urgency', label: '緊急度', options },
        { id: 'memo', kind: 'freeText', label: '伝言' },
      ],
    },
    handOff: {
      channels: [
        { kind: 'email', id: 'mail', to: ['a@example.jp'], smtpSecret: 's' },
        { kind: 'slack', id: 'chat', webhookSecret: 'w' },
        { kind: 'transfer', id: 'oncall' },
      ],
      urgentAlso: ['chat', 'oncall'],
    },
  });
}

describe('which channels and how urgent', () => {
  it('reads the most urgent option last, unless an option names urgency outright', () => {
    expect(isUrgent(client(['通常', '本日中', '至急']), { level: '至急' })).toBe(true);
    expect(isUrgent(client(['通常', '本日中', '至急']), { level: '本日中' })).toBe(false);
    expect(isUrgent(client(['Normal', 'Rush']), { level: 'Rush' })).toBe(true);
    expect(isUrgent(client(['至急', '通常']), { level: '通常' })).toBe(false);
    expect(isUrgent(client(['至急', '通常']), { level: '至急' })).toBe(true);
    expect(isUrgent(client(['通常', '至急']), {})).toBe(false);
  });

  it('adds urgent-only channels for urgent messages and never makes a job of a transfer', () => {
    const c = client(['通常', '至急']);
    expect(channelsFor(c.handOff, false).map((ch) => ch.id)).toEqual(['mail']);
    expect(channelsFor(c.handOff, true).map((ch) => ch.id)).toEqual(['mail', 'chat']);
  });

  it('builds the message in form order, leaving empty fields out, with the addressee and a subject', () => {
    const c = client(['通常', '至急']);
    const m = buildHandOffMessage(
      c,
      {
        id: 'n1',
        fields: { memo: '折り返しください', name: '山田', level: '至急', forWhom: '田中', topic: '', unknown: 'x' },
        call: { did: '0312345678', callerName: 'ヤマダ', callerNumber: '09000000000', receivedAt: '2025-04-01T00:00:00Z' },
        takenAt: '2025-04-01T00:05:00Z',
      },
      'kz1-abc',
    );
    expect(m.fields.map((f) => f.id)).toEqual(['name', 'forWhom', 'level', 'memo']);
    expect(m).toMatchObject({ urgent: true, recipient: '田中', subject: '【伝言】山田様より', idempotencyKey: 'kz1-abc', minimalChat: false });
    expect(buildHandOffMessage(client(['a', 'b'], 'en'), { id: 'n', fields: { topic: 'Invoice' }, call: m.call, takenAt: m.takenAt }, 'k').subject).toBe(
      'Message from ヤマダ — Invoice',
    );
  });
});

describe('audit reason codes', () => {
  it('turns sender phrases into the closed list of codes', () => {
    expect(auditReasonOf('webhook refused the message (400: bad token)', false)).toBe('rejected');
    expect(auditReasonOf('slack answered with a redirect (307 to 127.0.0.2:1)', false)).toBe('redirect');
    expect(auditReasonOf("the receiver's reply did not confirm delivery (teams answered 200)", false)).toBe('bad-response');
    expect(auditReasonOf('the secret "x.smtp" is not in the encrypted store', false)).toBe('misconfigured');
    expect(auditReasonOf('chatwork is rate limiting (429)', true)).toBe('rate-limited');
    expect(auditReasonOf('no reply within 15000 ms', true)).toBe('timeout');
    expect(auditReasonOf('could not reach the receiver (ECONNREFUSED)', true)).toBe('network');
    expect(auditReasonOf('something new', false)).toBe('rejected');
  });
});
