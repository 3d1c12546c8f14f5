import { describe, expect, it } from 'vitest';
import { renderMessage } from '../../../../../../electron/main/services/handoff/templates.js';
import { CALLER_NAME, CALLER_NUMBER, sampleMessage } from '../../../../../support/receivers/sample-message.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('the message template', () => {
  it('gives email the whole message with an urgent subject, in Japanese', () => {
    const { subject, text } = renderMessage(sampleMessage(), 'email', 'ja');
    expect(subject).toBe(`【至急】【伝言】田中様宛 — ${CALLER_NAME}様より`);
    expect(text.split('\n')[0]).toBe(subject);
    expect(text).toContain(`発信者番号: ${CALLER_NUMBER}`);
    expect(text).toContain('ご用件:\n見積書の件で');
  });

  it('speaks English for an English-language client', () => {
    const { subject, text } = renderMessage(sampleMessage(), 'webhook', 'en');
    expect(subject.startsWith('[URGENT] ')).toBe(true);
    expect(text).toContain(`Caller number: ${CALLER_NUMBER}`);
  });

  it.each(['slack', 'teams', 'chatwork', 'lineworks'] as const)('gives %s one line without caller data when the client asks for minimal chat', (kind) => {
    const message = sampleMessage({ minimalChat: true });
    const ja = renderMessage(message, kind, 'ja');
    expect(ja.text).toBe('新しい伝言: 田中様宛 — 至急 — メールをご確認ください');
    expect(ja.subject).toBe('新しい伝言');
    const en = renderMessage({ ...message, urgent: false }, kind, 'en');
    expect(en.text).toBe('New message: for 田中 — please check your email');
    for (const r of [ja, en]) {
      expect(`${r.subject}${r.text}`).not.toContain(CALLER_NAME);
      expect(`${r.subject}${r.text}`).not.toContain(CALLER_NUMBER);
    }
  });

  it('does not double the honorific when the addressee already has one', () => {
    expect(renderMessage(sampleMessage({ minimalChat: true, recipient: '田中様', urgent: false }), 'slack', 'ja').text).toBe(
      '新しい伝言: 田中様宛 — メールをご確認ください',
    );
  });

  it('keeps email and webhook whole even when chat is minimal', () => {
    expect(renderMessage(sampleMessage({ minimalChat: true }), 'email', 'ja').text).toContain(CALLER_NUMBER);
    expect(renderMessage(sampleMessage({ minimalChat: true }), 'webhook', 'ja').text).toContain(CALLER_NUMBER);
  });

  it('keeps a subject on one line, so it cannot start a new mail header', () => {
    const { subject } = renderMessage(sampleMessage({ subject: 'a\r\nBcc: x@example.com\nb', urgent: false }), 'email', 'ja');
    expect(subject).toBe('a Bcc: x@example.com b');
  });

  it('cuts a long chat message at a character boundary, never inside a surrogate pair', () => {
    const value = '😀'.repeat(5_000);
    const { text } = renderMessage(sampleMessage({ fields: [{ id: 'f', label: 'L', value }] }), 'lineworks', 'ja');
    expect(Array.from(text).length).toBeLessThanOrEqual(1_900);
    expect(text).not.toMatch(LONE_SURROGATE);
    expect(text.endsWith('全文はメールをご確認ください）')).toBe(true);
  });

  it('replaces lone surrogates and keeps emoji, ZWJ sequences and variation selectors', () => {
    const value = 'a\uD800b\uDC00c 👨‍👩‍👧 葛󠄀 ☎️';
    const { text } = renderMessage(sampleMessage({ fields: [{ id: 'f', label: 'L', value }] }), 'email', 'ja');
    expect(text).toContain('L: a\uFFFDb\uFFFDc 👨‍👩‍👧 葛󠄀 ☎️');
  });

  it('does not cut email', () => {
    const value = 'x'.repeat(1_000_000);
    const { text } = renderMessage(sampleMessage({ fields: [{ id: 'f', label: 'L', value }] }), 'email', 'ja');
    expect(text).toContain(value);
  });
});

describe("a client's own template", () => {
  const template = {
    subject: '【{client}】{recipient}宛の伝言 — {caller}様',
    intro: 'いつもお世話になっております。ことづて電話代行です。{caller}様よりお電話がありました。',
    footer: 'ご不明な点は受付センター（内線 200）まで。',
  };

  it('words the subject, the opening line and the closing line in the client’s way', () => {
    const message = sampleMessage({ template, recipient: '田中', urgent: false });
    const { subject, text } = renderMessage(message, 'email', 'ja');
    expect(subject).toBe(`【${message.client.name}】田中宛の伝言 — ${CALLER_NAME}様`);
    expect(text).toContain(`いつもお世話になっております。ことづて電話代行です。${CALLER_NAME}様よりお電話がありました。`);
    expect(text.trimEnd().endsWith('ご不明な点は受付センター（内線 200）まで。')).toBe(true);
    expect(text).not.toContain('Kotozute');
  });

  it('keeps a caller-supplied value to one line inside the template', () => {
    const message = sampleMessage({ template, call: { ...sampleMessage().call, callerName: '山田\r\nBcc: evil@example.invalid' } });
    const { subject } = renderMessage(message, 'email', 'ja');
    expect(subject).not.toMatch(/[\r\n]/);
  });

  it('does not put the template into a minimal chat notice', () => {
    const message = sampleMessage({ template, minimalChat: true, recipient: '田中' });
    const { text } = renderMessage(message, 'slack', 'ja');
    expect(text).not.toContain(CALLER_NAME);
    expect(text).not.toContain('いつもお世話に');
  });
});
