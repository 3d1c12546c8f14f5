// The email channel against a real SMTP server (smtp-server) on loopback: STARTTLS verified against
// the test CA, AUTH after TLS, and delivery confirmed only by the 250 reply to DATA.
import { afterEach, describe, expect, it } from 'vitest';
import { emailSender } from '../../../electron/main/services/handoff/email-sender.js';
import type { HandOffChannel } from '../../../shared/directory/schema.js';
import { startSmtpReceiver, type SmtpReceiver, type SmtpReceiverOptions } from '../../support/receivers/smtp-receiver.js';
import { CALLER_NAME, CALLER_NUMBER, FREE_TEXT, sampleMessage, sendContext } from '../../support/receivers/sample-message.js';

let open: SmtpReceiver[] = [];
const channel = (to = ['tanaka@midorido.example'], cc: string[] = []): HandOffChannel => ({ kind: 'email', id: 'mail', to, cc, smtpSecret: 'mail.smtp' });

async function smtp(options?: SmtpReceiverOptions): Promise<SmtpReceiver> {
  const r = await startSmtpReceiver(options);
  open.push(r);
  return r;
}

afterEach(async () => {
  await Promise.all(open.map((r) => r.close()));
  open = [];
});

describe('the email channel', () => {
  it('delivers over STARTTLS after logging in, confirmed by the 250 reply', async () => {
    const r = await smtp();
    const outcome = await emailSender.send(sampleMessage(), channel(['tanaka@midorido.example'], ['boss@midorido.example']), sendContext({ 'mail.smtp': r.secret() }));
    expect(outcome).toEqual({ ok: true, receipt: expect.stringMatching(/^SMTP: 250 .*queued as LOOP1/) });
    const mail = r.received[0];
    expect(r.received).toHaveLength(1);
    expect(mail?.secure).toBe(true);
    expect(mail?.user).toBe('desk');
    expect(mail?.from).toBe('desk@answering.example');
    expect(mail?.to).toEqual(['tanaka@midorido.example', 'boss@midorido.example']);
    expect(mail?.subject).toBe(`【至急】【伝言】田中様宛 — ${CALLER_NAME}様より`);
    expect(mail?.messageId).toBe('<hk-0001-aaaa@kotozute.invalid>');
    expect(mail?.headers.get('x-priority')).toMatch(/^1/);
    expect(mail?.text).toContain(CALLER_NUMBER);
    expect(mail?.text).toContain(FREE_TEXT);
  });

  it('does not retry when the server rejects the recipient, and says so', async () => {
    const r = await smtp({ rejectRecipients: ['nobody@midorido.example'] });
    const outcome = await emailSender.send(sampleMessage(), channel(['nobody@midorido.example']), sendContext({ 'mail.smtp': r.secret() }));
    expect(outcome).toEqual({ ok: false, retry: false, reason: expect.stringMatching(/rejected the recipient \(.*550/) });
    expect(!outcome.ok && outcome.reason).not.toContain('nobody@');
    expect(r.messages).toHaveLength(0);
  });

  it('does not retry when one of several recipients is rejected, because the others have it', async () => {
    const r = await smtp({ rejectRecipients: ['nobody@midorido.example'] });
    const outcome = await emailSender.send(sampleMessage(), channel(['tanaka@midorido.example', 'nobody@midorido.example']), sendContext({ 'mail.smtp': r.secret() }));
    expect(outcome).toEqual({ ok: false, retry: false, reason: expect.stringContaining('rejected 1 of 2 recipients') });
    expect(r.messages).toHaveLength(1);
  });

  it('retries when the server defers the message with a 4xx', async () => {
    const r = await smtp({ deferData: 1 });
    const ctx = sendContext({ 'mail.smtp': r.secret() });
    expect(await emailSender.send(sampleMessage(), channel(), ctx)).toMatchObject({ ok: false, retry: true, reason: expect.stringMatching(/451/) });
    expect(await emailSender.send(sampleMessage(), channel(), ctx)).toMatchObject({ ok: true });
    expect(r.received).toHaveLength(1);
  });

  it('refuses to send in the clear when the secret requires TLS and the server offers none', async () => {
    const r = await smtp({ noTls: true });
    const outcome = await emailSender.send(sampleMessage(), channel(), sendContext({ 'mail.smtp': r.secret('&requireTLS=true') }));
    expect(outcome).toMatchObject({ ok: false, retry: false, reason: expect.stringMatching(/did not start TLS/) });
    expect(r.messages).toHaveLength(0);
  });

  it('uses STARTTLS only when offered: without requireTLS an old server gets the message in the clear', async () => {
    const r = await smtp({ noTls: true });
    expect(await emailSender.send(sampleMessage(), channel(), sendContext({ 'mail.smtp': r.secret() }))).toMatchObject({ ok: true });
    expect(r.received[0]?.secure).toBe(false);
  });

  it('stops on a wrong password', async () => {
    const r = await smtp({ users: { desk: 'right' } });
    const secret = `smtp://desk:wrong@127.0.0.1:${r.port}/?from=desk%40answering.example`;
    const outcome = await emailSender.send(sampleMessage(), channel(), sendContext({ 'mail.smtp': secret }));
    expect(outcome).toEqual({ ok: false, retry: false, reason: expect.stringMatching(/refused the login \(.*535/) });
  });

  it('does not trust a server certificate outside its trust store', async () => {
    const r = await smtp();
    const outcome = await emailSender.send(sampleMessage(), channel(), sendContext({ 'mail.smtp': r.secret() }, { ca: undefined }));
    expect(outcome).toMatchObject({ ok: false, retry: false, reason: expect.stringMatching(/TLS/) });
    expect(r.messages).toHaveLength(0);
  });

  it('retries when the mail server is not there', async () => {
    const r = await smtp();
    await r.close();
    const outcome = await emailSender.send(sampleMessage(), channel(), sendContext({ 'mail.smtp': r.secret() }, { timeoutMs: 500 }));
    expect(outcome).toMatchObject({ ok: false, retry: true });
  });

  it('never honours a URL parameter that would switch certificate checks off', async () => {
    const r = await smtp();
    const outcome = await emailSender.send(sampleMessage(), channel(), sendContext({ 'mail.smtp': r.secret('&tls.rejectUnauthorized=false') }, { ca: undefined }));
    expect(outcome).toMatchObject({ ok: false, retry: false });
    expect(r.messages).toHaveLength(0);
  });
});
