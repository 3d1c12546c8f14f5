// Every chat and webhook channel against a loopback receiver that speaks the real service's request
// and reply format over verified TLS, including each way a receiver can fail.
import { afterEach, describe, expect, it } from 'vitest';
import { createSenders } from '../../../electron/main/services/handoff/senders.js';
import type { DeliveryOutcome } from '../../../electron/main/services/handoff/types.js';
import { startHttpsReceiver, type Behaviour, type HttpsReceiver } from '../../support/receivers/https-receiver.js';
import { CALLER_NAME, CALLER_NUMBER, sampleMessage, sendContext } from '../../support/receivers/sample-message.js';
import type { ServiceKind } from '../../support/receivers/service-format.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const KINDS: ServiceKind[] = ['slack', 'teams', 'chatwork', 'lineworks', 'webhook'];
const senders = createSenders();
let open: HttpsReceiver[] = [];

async function receiver(kind: ServiceKind, behaviours: Behaviour[] = []): Promise<HttpsReceiver> {
  const r = await startHttpsReceiver(kind, { behaviours });
  open.push(r);
  return r;
}

function send(r: HttpsReceiver, overrides: Parameters<typeof sendContext>[1] = {}, message = sampleMessage()): Promise<DeliveryOutcome> {
  const channel = r.channel;
  const ref = 'webhookSecret' in channel ? channel.webhookSecret : 'tokenSecret' in channel ? channel.tokenSecret : 'signingSecret' in channel ? channel.signingSecret : '';
  return senders[channel.kind].send(message, channel, sendContext({ [ref]: r.secret }, overrides));
}

afterEach(async () => {
  await Promise.all(open.map((r) => r.close()));
  open = [];
});

describe.each(KINDS)('the %s channel', (kind) => {
  it('delivers a message the receiver accepts as the service documents it', async () => {
    const r = await receiver(kind);
    const outcome = await send(r);
    expect(outcome).toMatchObject({ ok: true });
    expect(r.requests.map((q) => q.problem)).toEqual([undefined]);
    expect(r.received).toHaveLength(1);
    const text = r.received[0]?.text ?? '';
    expect(text).toContain(CALLER_NAME);
    expect(text).toContain(CALLER_NUMBER);
    expect(text).toContain('至急');
    expect(text).toContain('😀');
  });

  it('sends only the one-line notice, without caller data, when the client asks for minimal chat', async () => {
    const r = await receiver(kind);
    expect(await send(r, {}, sampleMessage({ minimalChat: true }))).toMatchObject({ ok: true });
    const text = r.received[0]?.text ?? '';
    if (kind === 'webhook') {
      // The webhook is a full message channel, not a chat room.
      expect(text).toContain(CALLER_NAME);
    } else {
      expect(text).toBe('新しい伝言: 田中様宛 — 至急 — メールをご確認ください');
    }
  });

  it('retries after a 429, honouring Retry-After in seconds', async () => {
    const r = await receiver(kind, [{ rateLimit: '7' }]);
    expect(await send(r)).toMatchObject({ ok: false, retry: true, retryAfterMs: 7_000 });
    expect(await send(r)).toMatchObject({ ok: true });
    expect(r.received).toHaveLength(1);
  });

  it('retries after a 500', async () => {
    const r = await receiver(kind, ['server-error']);
    expect(await send(r)).toMatchObject({ ok: false, retry: true });
    expect(r.received).toHaveLength(0);
  });

  it('gives up on a hung connection after the timeout and says it may retry', async () => {
    const r = await receiver(kind, ['hang']);
    const started = Date.now();
    const outcome = await send(r, { timeoutMs: 300 });
    expect(outcome).toMatchObject({ ok: false, retry: true });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('does not follow a redirect to another host', async () => {
    const r = await receiver(kind, [{ redirectTo: 'https://127.0.0.2:9/elsewhere' }]);
    const outcome = await send(r);
    expect(outcome).toMatchObject({ ok: false, retry: false });
    expect(!outcome.ok && outcome.reason).toMatch(/redirect \(307 to 127\.0\.0\.2:9\)/);
    expect(r.requests).toHaveLength(1);
  });

  it('stops on a permanent refusal and shows the service’s reason', async () => {
    const r = await receiver(kind, ['reject']);
    const outcome = await send(r);
    expect(outcome).toMatchObject({ ok: false, retry: false });
    expect(!outcome.ok && outcome.reason).toMatch(/refused the message \(4\d\d: .+\)/);
  });

  it('retries while the receiver is down and delivers once it is back', async () => {
    const r = await receiver(kind);
    await r.down();
    expect(await send(r)).toMatchObject({ ok: false, retry: true, reason: expect.stringMatching(/ECONNREFUSED/) });
    await r.up();
    expect(await send(r)).toMatchObject({ ok: true });
    expect(r.received).toHaveLength(1);
  });

  it('refuses a receiver whose certificate it cannot verify', async () => {
    const r = await receiver(kind);
    const outcome = await send(r, { ca: undefined });
    expect(outcome).toMatchObject({ ok: false, retry: false, reason: expect.stringMatching(/certificate/) });
    expect(r.requests).toHaveLength(0);
  });
});

describe.each(['slack', 'teams', 'chatwork', 'lineworks'] as const)('a %s reply that is not the documented success', (kind) => {
  it('is reported as unconfirmed and not retried', async () => {
    const r = await receiver(kind, ['garbage']);
    const outcome = await send(r);
    expect(outcome).toEqual({ ok: false, retry: false, reason: expect.stringContaining("the receiver's reply did not confirm delivery") });
  });
});

describe('the signed webhook', () => {
  it('is dropped by the receiver when the same message arrives twice', async () => {
    const r = await receiver('webhook');
    expect(await send(r)).toMatchObject({ ok: true });
    expect(await send(r)).toMatchObject({ ok: true });
    expect(r.received).toHaveLength(1);
    expect(r.duplicates).toBe(1);
    expect(r.requests.map((q) => q.headers['idempotency-key'])).toEqual(['hk-0001-aaaa', 'hk-0001-aaaa']);
  });

  it('arrives exactly once after a 500, a 429 and a hang', async () => {
    const r = await receiver('webhook', ['server-error', { rateLimit: '1' }, 'hang']);
    const outcomes: DeliveryOutcome[] = [];
    // A short timeout only for the attempt that hangs: the last one must have time to complete on a
    // loaded machine (a TLS handshake under load can take longer than 300 ms).
    for (let i = 0; i < 4; i += 1) outcomes.push(await send(r, { timeoutMs: i === 2 ? 300 : 10_000 }));
    expect(outcomes.map((o) => o.ok)).toEqual([false, false, false, true]);
    expect(r.received).toHaveLength(1);
  });

  it('is not accepted with a signature made with another key', async () => {
    const r = await receiver('webhook');
    const channel = r.channel;
    const outcome = await senders.webhook.send(sampleMessage(), channel, sendContext({ 'test.webhook': 'another-key' }));
    expect(outcome).toMatchObject({ ok: false, retry: false, reason: expect.stringMatching(/401: bad_signature/) });
    expect(r.received).toHaveLength(0);
  });
});

describe('every HTTP channel', () => {
  it('refuses a plain http:// address before connecting', async () => {
    const outcome = await senders.slack.send(sampleMessage(), { kind: 'slack', id: 's', webhookSecret: 'x' }, sendContext({ x: 'http://127.0.0.1:9/hook' }));
    expect(outcome).toEqual({ ok: false, retry: false, reason: expect.stringMatching(/only https:\/\/ receivers/) });
  });

  it('retries a port nobody listens on', async () => {
    const r = await receiver('lineworks');
    await r.close();
    expect(await send(r)).toMatchObject({ ok: false, retry: true });
  });

  it('reports a missing secret as a configuration fault', async () => {
    const outcome = await senders.chatwork.send(sampleMessage(), { kind: 'chatwork', id: 'c', roomId: '1', tokenSecret: 'absent' }, sendContext({}));
    expect(outcome).toEqual({ ok: false, retry: false, reason: expect.stringContaining('"absent"') });
  });

  it('hands a transfer back to the line', async () => {
    const outcome = await senders.transfer.send(sampleMessage(), { kind: 'transfer', id: 't' }, sendContext({}));
    expect(outcome).toEqual({ ok: false, retry: false, reason: 'transfer is handled by the line' });
  });
});

describe('hostile message content', () => {
  const huge = sampleMessage({
    fields: [{ id: 'freeText', label: 'ご用件', value: `${'伝'.repeat(1_000_000)}\uD800 end 👨‍👩‍👧 葛󠄀` }],
  });

  it.each(['slack', 'teams', 'chatwork', 'lineworks'] as const)('a 1 MB free text is cut to what %s accepts, at a character boundary', async (kind) => {
    const r = await receiver(kind);
    expect(await send(r, {}, huge)).toMatchObject({ ok: true });
    expect(r.requests[0]?.problem).toBeUndefined();
    const text = r.received[0]?.text ?? '';
    expect(text).toMatch(/全文はメールをご確認ください/);
    expect(text).not.toMatch(LONE_SURROGATE);
  });

  it('the webhook carries a 1 MB free text whole, with a lone surrogate made U+FFFD', async () => {
    const r = await receiver('webhook');
    expect(await send(r, {}, huge)).toMatchObject({ ok: true });
    const payload = r.received[0]?.payload as { fields: Array<{ value: string }> };
    expect(payload.fields[0]?.value.length).toBeGreaterThan(1_000_000);
    expect(payload.fields[0]?.value.endsWith('\uFFFD end 👨‍👩‍👧 葛󠄀')).toBe(true);
    expect(r.requests[0]?.body).not.toMatch(/\\ud800/i);
  });
});

describe('Retry-After', () => {
  it('is honoured when given as an HTTP date', async () => {
    const now = new Date('2025-04-01T01:00:00Z');
    const r = await receiver('slack', [{ rateLimit: new Date(now.getTime() + 90_000).toUTCString() }]);
    expect(await send(r, { now: () => now })).toMatchObject({ ok: false, retry: true, retryAfterMs: 90_000 });
  });
});

describe('a cancelled attempt', () => {
  it('ends at once and may be retried', async () => {
    const r = await receiver('teams', ['hang']);
    const abort = new AbortController();
    const pending = send(r, { signal: abort.signal, timeoutMs: 10_000 });
    setTimeout(() => abort.abort(), 50);
    expect(await pending).toMatchObject({ ok: false, retry: true, reason: 'the attempt was cancelled' });
  });
});
