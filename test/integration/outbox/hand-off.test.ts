/**
 * Hand-off end to end on a desk's real parts: the shift KEK and the outbox key in a real
 * gnome-keyring (run under test/support/with-keyring.sh), the vault and the sealed outbox on disk,
 * the real senders, and loopback receivers (HTTPS with the loopback CA, and a real SMTP server).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '../../../shared/directory/schema.js';
import { openAuditLog, type AuditLog } from '../../../electron/main/services/audit/audit-log.js';
import { createHandOffService, type HandOffService } from '../../../electron/main/services/handoff/hand-off-service.js';
import { createSenders } from '../../../electron/main/services/handoff/senders.js';
import { createKeytarKeyStore, getOrCreateKey } from '../../../electron/main/services/keychain.js';
import { nullLogger } from '../../../electron/main/services/log.js';
import type { OutboxJob } from '../../../electron/main/services/outbox/outbox.js';
import { openEncryptedStore } from '../../../electron/main/services/secure-store.js';
import { openVault, SHIFT_KEK_ACCOUNT, type Vault } from '../../../electron/main/services/vault/vault.js';
import { generateClient } from '../../support/generate-directory.js';
import { startHttpsReceiver, type HttpsReceiver } from '../../support/receivers/https-receiver.js';
import { loopbackCa } from '../../support/receivers/loopback-ca.js';
import { startSmtpReceiver, type SmtpReceiver } from '../../support/receivers/smtp-receiver.js';
import { keyringReady, notReadyMessage } from '../services/keychain-child.js';
import { allJobs, outboxUntil } from '../../support/outbox-wait.js';

if (!keyringReady) console.warn(`hand-off integration tests ${notReadyMessage}`);

const keyStore = createKeytarKeyStore({ service: `Kotozute-test-${randomUUID()}`, timeoutMs: 5_000 });
const OUTBOX_KEY = 'outbox-store';

let dir: string;
let webhook: HttpsReceiver;
let smtp: SmtpReceiver;
let desk: Desk | undefined;

interface Desk {
  vault: Vault;
  audit: AuditLog;
  service: HandOffService;
  close(): Promise<void>;
}

function client(): Client {
  return Client.parse({
    ...generateClient(3),
    id: 'midorido-shop',
    messageForm: {
      fields: [
        { id: 'callerName', kind: 'callerName', label: 'お名前', required: true },
        { id: 'callbackNumber', kind: 'callbackNumber', label: '折り返し先', required: true },
        { id: 'subject', kind: 'subject', label: 'ご用件', required: true },
        { id: 'urgency', kind: 'urgency', label: '緊急度', options: ['通常', '至急'] },
        { id: 'freeText', kind: 'freeText', label: '伝言' },
      ],
    },
    handOff: {
      channels: [webhook.channel, { kind: 'email', id: 'mail', to: ['support@midorido.example'], smtpSecret: 'test.smtp' }],
      urgentAlso: ['mail'],
      minimalChat: false,
    },
  });
}

/** What the desk does at start: keys from the keychain, then the vault, the outbox store and the service. */
async function openDesk(): Promise<Desk> {
  const audit = openAuditLog({ dir: path.join(dir, 'audit') });
  const vault = await openVault({ dir: path.join(dir, 'vault'), keyStore, audit, log: nullLogger });
  const key = await getOrCreateKey(keyStore, OUTBOX_KEY);
  const { store } = openEncryptedStore({ dir, name: 'outbox', key });
  const c = client();
  const secrets: Record<string, string> = { 'test.webhook': webhook.secret, 'test.smtp': smtp.secret() };
  const service = createHandOffService({
    vault,
    audit,
    store,
    senders: createSenders(),
    directory: { byId: (id) => (id === c.id ? c : undefined) },
    secrets: (ref) => secrets[ref],
    log: nullLogger,
    backoff: { baseMs: 100, maxMs: 800 },
    timeoutMs: 3_000,
    ca: loopbackCa().ca,
  });
  return {
    vault,
    audit,
    service,
    async close() {
      await service.outbox.stop();
      vault.close();
      audit.close();
    },
  };
}

function readyNote(d: Desk, urgency = '通常'): string {
  const meta = d.vault.create({
    callId: randomUUID(),
    clientId: 'midorido-shop',
    training: false,
    call: { did: '03-5555-0100', callerName: 'スズキ', callerNumber: '0312345678', receivedAt: new Date().toISOString() },
  });
  d.vault.save(meta.id, {
    callerName: '鈴木花子',
    callbackNumber: '03-1234-5678',
    subject: '注文番号 A-1029 の配送について',
    urgency,
    freeText: '配送先の変更をご希望です。',
  });
  d.vault.setState(meta.id, 'ready');
  return meta.id;
}

const until = (d: Desk, predicate: (jobs: OutboxJob[]) => boolean, timeoutMs = 15_000) => outboxUntil(d.service.outbox, predicate, timeoutMs);
const all = allJobs;
const noteFiles = () => fs.readdirSync(path.join(dir, 'vault', 'notes'));
const live = (d: Desk, id: string) => d.vault.list().some((m) => m.id === id);

describe.skipIf(!keyringReady)(`hand-off through the outbox, keys in the OS keychain${keyringReady ? '' : ` — ${notReadyMessage}`}`, () => {
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-handoff-int-'));
    webhook = await startHttpsReceiver('webhook');
    smtp = await startSmtpReceiver({ deferData: 1 });
    desk = await openDesk();
  });
  afterEach(async () => {
    await desk?.close();
    desk = undefined;
    await webhook.close();
    await smtp.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await keyStore.delete(SHIFT_KEK_ACCOUNT);
    await keyStore.delete(OUTBOX_KEY);
  });

  it('delivers an urgent message by webhook and by email (after a 451) exactly once each, then wipes the note', async () => {
    const d = desk!;
    const id = readyNote(d, '至急');
    d.service.outbox.start();
    expect(d.service.handOff(id).map((j) => j.kind)).toEqual(['webhook', 'email']);
    await until(d, (jobs) => jobs.length === 2 && all('delivered')(jobs));
    expect(live(d, id)).toBe(false);
    expect(noteFiles()).toEqual([]);
    expect(webhook.received).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]?.subject).toContain('至急');
    const kinds = d.audit.read().filter((e) => e.noteId === id).map((e) => e.type);
    expect(kinds.indexOf('wiped')).toBeGreaterThan(kinds.lastIndexOf('delivered'));
  });

  it('rides out a receiver that is down for a while: delivered once, note wiped only after the confirming reply', async () => {
    const d = desk!;
    await webhook.down();
    const id = readyNote(d);
    d.service.outbox.start();
    d.service.handOff(id);
    await until(d, (jobs) => all('retrying')(jobs) && jobs[0]!.attempts >= 2);
    expect(live(d, id)).toBe(true);
    expect(noteFiles()).toHaveLength(1);

    await webhook.up();
    await until(d, all('delivered'));
    expect(webhook.received).toHaveLength(1);
    expect(live(d, id)).toBe(false);
  });

  it('waits out a 429 for as long as Retry-After asks', async () => {
    const d = desk!;
    webhook.script([{ rateLimit: '2' }]);
    const id = readyNote(d);
    d.service.outbox.start();
    const started = Date.now();
    d.service.handOff(id);
    await until(d, all('delivered'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(webhook.requests).toHaveLength(2);
    expect(webhook.received).toHaveLength(1);
    expect(live(d, id)).toBe(false);
  });

  it('delivers once across a restart in the middle of a delivery', async () => {
    webhook.script(['hang']);
    const id = readyNote(desk!);
    desk!.service.outbox.start();
    const [job] = desk!.service.handOff(id);
    await until(desk!, all('sending'));
    await new Promise((r) => setTimeout(r, 200));
    await desk!.close();
    desk = await openDesk();
    expect(live(desk, id)).toBe(true);
    desk.service.outbox.start();
    await until(desk, all('delivered'));
    expect(webhook.received).toHaveLength(1);
    expect(new Set(webhook.requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set([job!.idempotencyKey]));
    expect(live(desk, id)).toBe(false);
  });

  it('shows a refusal with its reason and delivers after the cause is fixed and someone retries', async () => {
    const d = desk!;
    webhook.script(['reject']);
    const id = readyNote(d);
    d.service.outbox.start();
    const [job] = d.service.handOff(id);
    const [failed] = await until(d, all('failed'));
    expect(failed?.lastError).toMatch(/refused/);
    expect(live(d, id)).toBe(true);

    webhook.script([], 'succeed');
    d.service.outbox.retry(job!.id);
    await until(d, all('delivered'));
    expect(webhook.received).toHaveLength(1);
    expect(live(d, id)).toBe(false);
  });
});
