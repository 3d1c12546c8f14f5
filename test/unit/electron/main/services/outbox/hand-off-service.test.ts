/**
 * The hand-off from a ready note to a wiped one, with the real vault (KEK in hand, no keychain),
 * the real audit log, the real channel senders and loopback receivers that speak each service's
 * format. The keychain-backed variant is test/integration/outbox/hand-off.test.ts.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client, type ClientInput } from '../../../../../../shared/directory/schema.js';
import { openAuditLog, type AuditLog } from '../../../../../../electron/main/services/audit/audit-log.js';
import { createHandOffService, type HandOffService } from '../../../../../../electron/main/services/handoff/hand-off-service.js';
import { createSenders } from '../../../../../../electron/main/services/handoff/senders.js';
import { nullLogger } from '../../../../../../electron/main/services/log.js';
import type { OutboxJob } from '../../../../../../electron/main/services/outbox/outbox.js';
import { openEncryptedStore } from '../../../../../../electron/main/services/secure-store.js';
import { openVaultWithKek, type Vault } from '../../../../../../electron/main/services/vault/vault.js';
import { generateClient } from '../../../../../support/generate-directory.js';
import { startHttpsReceiver, type HttpsReceiver } from '../../../../../support/receivers/https-receiver.js';
import { loopbackCa } from '../../../../../support/receivers/loopback-ca.js';
import { allJobs, outboxUntil } from '../../../../../support/outbox-wait.js';

let dir: string;
let kek: Buffer;
let storeKey: Buffer;
let webhook: HttpsReceiver;
let slack: HttpsReceiver;
let desk: Desk | undefined;
/** The client's fallback channel (End of day): one of its channels by id, or a channel of its own. */
let fallback: ClientInput['handOff']['fallback'];
/** A Teams receiver for the tests whose fallback is a channel of its own. */
let teams: HttpsReceiver | undefined;

interface Desk {
  vault: Vault;
  audit: AuditLog;
  service: HandOffService;
  close(): Promise<void>;
}

function clientFor(): Client {
  const base: ClientInput = generateClient(7);
  return Client.parse({
    ...base,
    id: 'sato-law',
    messageForm: {
      fields: [
        { id: 'callerName', kind: 'callerName', label: 'お名前', required: true },
        { id: 'callbackNumber', kind: 'callbackNumber', label: '折り返し先', required: true },
        { id: 'forWhom', kind: 'text', label: '担当者' },
        { id: 'subject', kind: 'subject', label: 'ご用件', required: true },
        { id: 'urgency', kind: 'urgency', label: '緊急度', options: ['通常', '本日中', '至急'] },
        { id: 'freeText', kind: 'freeText', label: '伝言' },
      ],
    },
    handOff: {
      channels: [webhook.channel, slack.channel, { kind: 'transfer', id: 'oncall', staffId: 's0' }],
      urgentAlso: ['slack', 'oncall'],
      minimalChat: true,
      ...(fallback === undefined ? {} : { fallback }),
    },
  });
}

function openDesk(): Desk {
  const audit = openAuditLog({ dir: path.join(dir, 'audit') });
  const vault = openVaultWithKek({ dir: path.join(dir, 'vault'), kek, audit, log: nullLogger });
  const { store } = openEncryptedStore({ dir, name: 'outbox', key: storeKey });
  const client = clientFor();
  const secrets: Record<string, string> = { 'test.webhook': webhook.secret, 'test.slack': slack.secret, ...(teams ? { 'test.teams': teams.secret } : {}) };
  const service = createHandOffService({
    vault,
    audit,
    store,
    senders: createSenders(),
    directory: { byId: (id) => (id === client.id ? client : undefined) },
    secrets: (ref) => secrets[ref],
    log: nullLogger,
    random: () => 0.5,
    backoff: { baseMs: 60, maxMs: 600 },
    timeoutMs: 2_000,
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

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-handoff-'));
  kek = randomBytes(32);
  storeKey = randomBytes(32);
  webhook = await startHttpsReceiver('webhook');
  slack = await startHttpsReceiver('slack');
  desk = openDesk();
});
afterEach(async () => {
  await desk?.close();
  desk = undefined;
  fallback = undefined;
  await teams?.close();
  teams = undefined;
  await webhook.close();
  await slack.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const FIELDS = {
  callerName: '山田太郎',
  callbackNumber: '090-1234-5678',
  forWhom: '田中',
  subject: '契約書の件',
  urgency: '通常',
  freeText: '明日の午前中に折り返しをお願いします。',
};

function readyNote(d: Desk, fields: Record<string, string> = FIELDS, training = false): string {
  const meta = d.vault.create({
    callId: `call-${Math.random()}`,
    clientId: 'sato-law',
    training,
    call: { did: '03-1234-5678', callerName: 'ヤマダ', callerNumber: '09012345678', receivedAt: '2025-04-01T09:00:00.000Z' },
  });
  d.vault.save(meta.id, fields);
  d.vault.setState(meta.id, 'ready');
  return meta.id;
}

const until = (d: Desk, predicate: (jobs: OutboxJob[]) => boolean, timeoutMs = 8_000) => outboxUntil(d.service.outbox, predicate, timeoutMs);
const all = allJobs;
const some = (state: OutboxJob['state']) => (jobs: OutboxJob[]) => jobs.some((j) => j.state === state);
const live = (d: Desk, id: string) => d.vault.list().some((m) => m.id === id);
const types = (d: Desk, noteId: string) => d.audit.read().filter((e) => e.noteId === noteId).map((e) => (e.channel ? `${e.type}:${e.channel}` : e.type));

describe('hand-off service', () => {
  it('delivers a normal message on its channels once, then wipes the note and records each step', async () => {
    const d = desk!;
    const id = readyNote(d);
    d.service.outbox.start();
    const jobs = d.service.handOff(id);
    expect(jobs.map((j) => j.channelId)).toEqual(['webhook']);
    expect(d.vault.list().find((m) => m.id === id)?.state).toBe('handing-off');

    await until(d, all('delivered'));
    expect(live(d, id)).toBe(false);
    expect(fs.readdirSync(path.join(dir, 'vault', 'notes'))).toEqual([]);
    expect(webhook.received).toHaveLength(1);
    expect(webhook.received[0]?.idempotencyKey).toBe(jobs[0]?.idempotencyKey);
    expect(webhook.received[0]?.text).toContain('明日の午前中に折り返しをお願いします。');
    expect(slack.requests).toHaveLength(0);
    expect(types(d, id)).toEqual(['created', 'autosaved', 'handed-off:webhook', 'delivered:webhook', 'wiped']);
  });

  it('adds the urgent-only channels to an urgent message, never a transfer, and minimal chat carries no caller data', async () => {
    const d = desk!;
    const id = readyNote(d, { ...FIELDS, urgency: '至急' });
    d.service.outbox.start();
    expect(d.service.handOff(id).map((j) => j.channelId)).toEqual(['webhook', 'slack']);
    await until(d, (jobs) => jobs.length === 2 && all('delivered')(jobs));
    expect(live(d, id)).toBe(false);
    expect(slack.received).toHaveLength(1);
    const chat = slack.received[0]!.text;
    expect(chat).toContain('田中');
    expect(chat).toContain('至急');
    for (const secret of ['山田', '090-1234-5678', '契約書', '明日']) expect(chat).not.toContain(secret);
  });

  it('refuses a training note, a note still in draft and a note without a client', () => {
    const d = desk!;
    expect(() => d.service.handOff(readyNote(d, FIELDS, true))).toThrow(/Training notes are never handed off/);
    const draft = d.vault.create({ callId: 'c', clientId: 'sato-law', training: false, call: { did: '1', callerName: '', callerNumber: '', receivedAt: '2025-04-01T09:00:00.000Z' } });
    expect(() => d.service.handOff(draft.id)).toThrow(/ready/);
    const orphan = d.vault.create({ callId: 'c2', clientId: null, training: false, call: { did: '1', callerName: '', callerNumber: '', receivedAt: '2025-04-01T09:00:00.000Z' } });
    d.vault.setState(orphan.id, 'ready');
    expect(() => d.service.handOff(orphan.id)).toThrow(/no client/);
    expect(d.vault.list().find((m) => m.id === orphan.id)?.state).toBe('ready');
    expect(d.service.outbox.list()).toEqual([]);
  });

  it('keeps the note through an outage and wipes it only after the receiver, back again, confirms once', async () => {
    const d = desk!;
    await webhook.down();
    const id = readyNote(d);
    d.service.outbox.start();
    d.service.handOff(id);
    const [retrying] = await until(d, all('retrying'));
    expect(retrying?.lastError).toMatch(/could not reach/);
    expect(live(d, id)).toBe(true);

    await webhook.up();
    await until(d, all('delivered'));
    expect(webhook.received).toHaveLength(1);
    expect(live(d, id)).toBe(false);
  });

  it("honours the receiver's Retry-After", async () => {
    const d = desk!;
    webhook.script([{ rateLimit: '1' }]);
    const id = readyNote(d);
    d.service.outbox.start();
    d.service.handOff(id);
    const [retrying] = await until(d, all('retrying'));
    expect(Date.parse(retrying!.nextAttemptAt!) - Date.now()).toBeGreaterThan(900);
    const first = Date.now();
    await until(d, all('delivered'));
    expect(Date.now() - first).toBeGreaterThanOrEqual(850);
    expect(webhook.received).toHaveLength(1);
  });

  it('stops at a refusal with the reason, keeps the note, and delivers after a manual retry', async () => {
    const d = desk!;
    webhook.script(['reject']);
    const id = readyNote(d);
    d.service.outbox.start();
    const [job] = d.service.handOff(id);
    const [failed] = await until(d, all('failed'));
    expect(failed?.lastError).toMatch(/refused/);
    expect(d.vault.list().find((m) => m.id === id)?.state).toBe('failed');
    expect(types(d, id)).toContain('failed:webhook');

    d.service.outbox.retry(job!.id);
    await until(d, all('delivered'));
    expect(live(d, id)).toBe(false);
    expect(webhook.received).toHaveLength(1);
    const audit = d.audit.read().filter((e) => e.noteId === id);
    expect(audit.find((e) => e.type === 'failed')?.reason).toBe('rejected');
    expect(audit.find((e) => e.type === 'handed-off' && e.reason === 'manual-retry')).toBeDefined();
  });

  it('never wipes a note while one of its channels has not confirmed', async () => {
    const d = desk!;
    slack.script(['reject']);
    const id = readyNote(d, { ...FIELDS, urgency: '至急' });
    d.service.outbox.start();
    d.service.handOff(id);
    await until(d, (jobs) => some('delivered')(jobs) && some('failed')(jobs));
    expect(live(d, id)).toBe(true);
    expect(d.vault.list().find((m) => m.id === id)?.state).toBe('failed');
    expect(types(d, id)).not.toContain('wiped');
  });

  it('resumes a delivery cut off by a restart and the receiver gets it once', async () => {
    const first = desk!;
    webhook.script(['hang']);
    const id = readyNote(first);
    first.service.outbox.start();
    const [job] = first.service.handOff(id);
    await until(first, all('sending'));
    await new Promise((r) => setTimeout(r, 100));
    await first.close();
    expect(webhook.requests).toHaveLength(1);

    desk = openDesk();
    const second = desk;
    expect(second.service.outbox.list()[0]).toMatchObject({ id: job!.id, state: 'retrying' });
    second.service.outbox.start();
    await until(second, all('delivered'));
    expect(live(second, id)).toBe(false);
    expect(webhook.received).toHaveLength(1);
    expect(webhook.requests.map((r) => r.headers['idempotency-key'])).toEqual([job!.idempotencyKey, job!.idempotencyKey]);
  });

  it('gives a note left handing-off without jobs by a crash its jobs again at start', async () => {
    const d = desk!;
    const id = readyNote(d);
    d.vault.setState(id, 'handing-off'); // the crash came before the jobs were written
    d.service.outbox.start();
    await until(d, all('delivered'));
    expect(live(d, id)).toBe(false);
    expect(webhook.received).toHaveLength(1);
  });
});

describe('End of day: retry now and the fallback channel', () => {
  it('"retry now" sends a failed message again at once and it is wiped once delivered', async () => {
    const d = desk!;
    webhook.script(['reject']);
    const id = readyNote(d);
    d.service.outbox.start();
    d.service.handOff(id);
    await until(d, all('failed'));
    expect(d.vault.list().find((m) => m.id === id)?.state).toBe('failed');

    d.service.sendAgain(id);
    await until(d, all('delivered'));
    expect(live(d, id)).toBe(false);
    expect(webhook.received).toHaveLength(1);
  });

  it('"retry now" hands off a message still in draft, and does not wait out the back-off of a retrying one', async () => {
    const d = desk!;
    const draft = d.vault.create({ callId: 'c-draft', clientId: 'sato-law', training: false, call: { did: '1', callerName: '', callerNumber: '', receivedAt: '2025-04-01T09:00:00.000Z' } });
    d.vault.save(draft.id, FIELDS);
    d.service.outbox.start();
    d.service.sendAgain(draft.id);
    await until(d, all('delivered'));
    expect(live(d, draft.id)).toBe(false);

    webhook.script([{ rateLimit: '3600' }]);
    const id = readyNote(d);
    d.service.handOff(id);
    await until(d, (jobs) => jobs.some((j) => j.noteId === id && j.state === 'retrying'));
    d.service.sendAgain(id);
    await until(d, (jobs) => jobs.filter((j) => j.noteId === id).every((j) => j.state === 'delivered'), 5_000);
    expect(live(d, id)).toBe(false);
  });

  it('the fallback channel (a channel of its own) delivers a message its usual channel refuses; the note is wiped and the failed job dropped', async () => {
    teams = await startHttpsReceiver('teams');
    fallback = teams.channel;
    await desk!.close();
    desk = openDesk();
    const d = desk;
    webhook.script(['reject']);
    const id = readyNote(d);
    d.service.outbox.start();
    d.service.handOff(id);
    await until(d, all('failed'));

    const jobs = d.service.sendByFallback(id);
    expect(jobs.find((j) => j.channelId === 'teams')).toMatchObject({ fallback: true, kind: 'teams' });
    // While the fallback is on its way the message is handing off, not failed.
    expect(d.vault.list().find((m) => m.id === id)?.state).toBe('handing-off');
    await until(d, (list) => list.filter((j) => j.noteId === id).every((j) => j.state === 'delivered' && j.fallback === true));
    expect(live(d, id)).toBe(false);
    expect(teams.received).toHaveLength(1);
    expect(teams.received[0]?.text).toContain('田中');
    expect(webhook.received).toHaveLength(0);
    const audit = d.audit.read().filter((e) => e.noteId === id);
    expect(audit.find((e) => e.type === 'handed-off' && e.reason === 'fallback')?.channel).toBe('teams');
    expect(audit.find((e) => e.type === 'delivered')?.channel).toBe('teams');
    expect(audit.at(-1)?.type).toBe('wiped');
  });

  it('a fallback that is one of the usual channels sends there (here the urgent-only chat) and settles the message once it confirms', async () => {
    fallback = 'slack';
    await desk!.close();
    desk = openDesk();
    const d = desk;
    await webhook.down();
    const id = readyNote(d);
    d.service.outbox.start();
    d.service.handOff(id);
    await until(d, all('retrying'));

    d.service.sendByFallback(id);
    await until(d, (list) => list.filter((j) => j.noteId === id).every((j) => j.state === 'delivered' && j.fallback === true));
    expect(live(d, id)).toBe(false);
    expect(slack.received).toHaveLength(1);
  });

  it('a message stays undelivered (and its note kept) while the fallback channel refuses too', async () => {
    teams = await startHttpsReceiver('teams', { otherwise: 'reject' });
    fallback = teams.channel;
    await desk!.close();
    desk = openDesk();
    const d = desk;
    webhook.script(['reject']);
    const id = readyNote(d);
    d.service.outbox.start();
    d.service.handOff(id);
    await until(d, all('failed'));
    d.service.sendByFallback(id);
    await until(d, (list) => list.filter((j) => j.noteId === id).every((j) => j.state === 'failed'));
    expect(live(d, id)).toBe(true);
    expect(d.vault.list().find((m) => m.id === id)?.state).toBe('failed');
  });

  it('refuses the fallback for a client without one, and both for a training note', () => {
    const d = desk!;
    const id = readyNote(d);
    expect(() => d.service.sendByFallback(id)).toThrow(/no fallback channel/);
    expect(d.vault.list().find((m) => m.id === id)?.state).toBe('ready');
    const training = readyNote(d, FIELDS, true);
    expect(() => d.service.sendAgain(training)).toThrow(/Training notes/);
    expect(() => d.service.sendByFallback(training)).toThrow(/Training notes/);
  });
});
