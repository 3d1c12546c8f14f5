import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_API_BASE, parseApiSecret } from '../../../../../../electron/main/services/handoff/channel-secret.js';
import { defuseChatworkTags } from '../../../../../../electron/main/services/handoff/chatwork-sender.js';
import { messageIdFor } from '../../../../../../electron/main/services/handoff/email-sender.js';
import { checkHttpsUrl } from '../../../../../../electron/main/services/handoff/https-post.js';
import { escapeSlack } from '../../../../../../electron/main/services/handoff/slack-sender.js';
import { parseSmtpSecret } from '../../../../../../electron/main/services/handoff/smtp-settings.js';
import { signWebhook } from '../../../../../../electron/main/services/handoff/webhook-sender.js';
import { sampleMessage } from '../../../../../support/receivers/sample-message.js';

describe('token secrets', () => {
  it('take a bare token to mean the official API', () => {
    expect(parseApiSecret('abc', OFFICIAL_API_BASE.chatwork)).toEqual({ ok: true, access: { token: 'abc', baseUrl: 'https://api.chatwork.com/v2' } });
  });

  it('take JSON with another base URL', () => {
    expect(parseApiSecret('{"token":"t","baseUrl":"https://127.0.0.1:8443/v1.0/"}', OFFICIAL_API_BASE.lineworks)).toEqual({
      ok: true,
      access: { token: 't', baseUrl: 'https://127.0.0.1:8443/v1.0' },
    });
  });

  it('refuse JSON without a token', () => {
    expect(parseApiSecret('{"baseUrl":"https://x"}', OFFICIAL_API_BASE.chatwork)).toMatchObject({ ok: false });
  });
});

describe('the SMTP secret', () => {
  it('reads host, port, login, sender and requireTLS', () => {
    expect(parseSmtpSecret('smtp://desk%40a.jp:p%3Ass@mail.a.jp:2525/?requireTLS=true')).toEqual({
      ok: true,
      settings: { host: 'mail.a.jp', port: 2525, secure: false, requireTLS: true, auth: { user: 'desk@a.jp', pass: 'p:ss' }, from: 'desk@a.jp' },
    });
    expect(parseSmtpSecret('smtps://u:p@mail.a.jp?from=desk%40a.jp')).toMatchObject({ ok: true, settings: { port: 465, secure: true, from: 'desk@a.jp' } });
  });

  it('refuses a URL of another scheme or without a sender', () => {
    expect(parseSmtpSecret('https://u:p@mail.a.jp')).toMatchObject({ ok: false });
    expect(parseSmtpSecret('smtp://user:p@mail.a.jp')).toMatchObject({ ok: false, reason: expect.stringContaining('from=') });
  });

  it('does not repeat the password in its complaints', () => {
    const r = parseSmtpSecret('smtp://user:hunter2@mail.a.jp');
    expect(!r.ok && r.reason).not.toContain('hunter2');
  });
});

describe('service escaping', () => {
  it('keeps a caller’s words from becoming Slack mentions or links', () => {
    expect(escapeSlack('<!channel> & <https://x|y>')).toBe('&lt;!channel&gt; &amp; &lt;https://x|y&gt;');
  });

  it('keeps a caller’s words from pinging a whole Chatwork room', () => {
    expect(defuseChatworkTags('[toall] [To:123] [info]x[/info] [URGENT] [a]')).toBe('［toall] ［To:123] ［info]x［/info] [URGENT] [a]');
  });
});

describe('the signed webhook', () => {
  it('signs `${timestamp}.${body}` with HMAC-SHA256', () => {
    const expected = createHmac('sha256', 'k').update('1700000000.{"a":1}').digest('hex');
    expect(signWebhook('k', '1700000000', '{"a":1}')).toBe(`sha256=${expected}`);
  });
});

describe('addresses', () => {
  it('only https:// receivers are allowed', () => {
    expect(checkHttpsUrl('http://hooks.example/x')).toMatchObject({ ok: false });
    expect(checkHttpsUrl('ftp://x')).toMatchObject({ ok: false });
    expect(checkHttpsUrl('https://hooks.example/x')).toMatchObject({ ok: true });
  });

  it('the Message-ID carries the idempotency key in a form mail accepts', () => {
    expect(messageIdFor(sampleMessage({ idempotencyKey: 'a b/c@d' }))).toBe('<a-b-c-d@kotozute.invalid>');
  });
});
