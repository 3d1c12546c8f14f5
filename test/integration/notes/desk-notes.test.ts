/**
 * Notes through the desk's own handlers, on real parts: the shift KEK, the store keys and the outbox
 * key in a real gnome-keyring (run under test/support/with-keyring.sh), the vault, audit trail and
 * sealed outbox on disk, the real senders, and loopback receivers (HTTPS with the loopback CA, SMTP).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client, type ClientInput } from '../../../shared/directory/schema.js';
import type { OutboxJobView } from '../../../shared/ipc/notes-contract.js';
import { createDesk, type Desk, type DeskContext } from '../../../electron/main/services/desk.js';
import { buildPop } from '../../../electron/main/services/directory/pop-builder.js';
import { createKeytarKeyStore } from '../../../electron/main/services/keychain.js';
import { nullLogger } from '../../../electron/main/services/log.js';
import { createNoteHandlers, DEFAULT_RETENTION_HOURS, type NoteHandlers } from '../../../electron/main/services/note-handlers.js';
import { generateClient } from '../../support/generate-directory.js';
import { startHttpsReceiver, type HttpsReceiver } from '../../support/receivers/https-receiver.js';
import { startSmtpReceiver, type SmtpReceiver } from '../../support/receivers/smtp-receiver.js';
import { liveDeskContext } from '../../support/live-desk-context.js';
import { keyringReady, notReadyMessage, repoRoot, runInSession } from '../services/keychain-child.js';

const assetsDir = path.join(repoRoot, 'assets');
const caller = { name: '山田 太郎', number: '09012345678' };

let dataDir: string;
let desk: Desk | undefined;
const service = `Kotozute-test-notes-${process.pid}-${Date.now()}`;
const keyStore = createKeytarKeyStore({ service, timeoutMs: 5_000 });

const openDesk = async () => {
  desk = await createDesk({ dataDir, assetsDir, keyStore, log: nullLogger });
  return desk;
};

const noteFiles = () => fs.readdirSync(path.join(dataDir, 'vault', 'notes'));

describe.skipIf(!keyringReady)(`notes on the desk${keyringReady ? '' : ` — ${notReadyMessage}`}`, () => {
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-desk-notes-'));
  });
  afterEach(async () => {
    await desk?.close();
    desk = undefined;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('brings an autosaved note back with its call context after the desk restarts', async () => {
    const { handlers } = await openDesk();
    const [client] = await handlers.listClients(undefined);
    const pop = await handlers.simulateCall({ clientId: client!.id, caller });
    const opened = await handlers.openNote({ callId: pop.callId });
    expect(opened.summary.training).toBe(true);
    expect(opened.form.generic).toBe(false);
    expect(opened.form.fields.length).toBeGreaterThan(0);
    // A second open of the same call is the same note, not a new one.
    expect((await handlers.openNote({ callId: pop.callId })).summary.id).toBe(opened.summary.id);

    const saved = await handlers.saveNote({ noteId: opened.summary.id, fields: { callerName: '佐藤 花子', freeText: '折り返しを希望' } });
    expect(saved.saves).toBe(1);
    await desk!.close();

    const again = await openDesk();
    const unfinished = await again.handlers.listNotes(undefined);
    expect(unfinished.map((n) => n.id)).toEqual([opened.summary.id]);
    expect(unfinished[0]!.clientName).toBe(client!.name);
    expect(unfinished[0]!.expiresAt).not.toBeNull();
    const reopened = await again.handlers.openNote({ callId: pop.callId });
    expect(reopened.fields).toEqual({ callerName: '佐藤 花子', freeText: '折り返しを希望' });
    expect(reopened.call).toMatchObject({ callerName: caller.name, callerNumber: caller.number, did: pop.did });
    expect(reopened.form.fields).toEqual(opened.form.fields);
  });

  it('wipes a training note instead of handing it off, and records the wipe', async () => {
    const { handlers } = await openDesk();
    const pop = await handlers.simulateCall({ did: '0120-000-000', caller });
    const note = await handlers.openNote({ callId: pop.callId });
    expect(note.form.generic).toBe(true);
    await handlers.saveNote({ noteId: note.summary.id, fields: { callerName: 'テスト' } });
    expect(await handlers.handOffNote({ noteId: note.summary.id })).toEqual([]);
    expect(await handlers.listNotes(undefined)).toEqual([]);
    expect(noteFiles()).toEqual([]);
    expect(await handlers.listOutbox(undefined)).toEqual([]);
    const audit = await handlers.getAudit({ limit: 50 });
    expect(audit.chain.ok).toBe(true);
    expect(audit.events.find((e) => e.noteId === note.summary.id && e.type === 'wiped')?.reason).toBe('training');
  });

  it('wipes a training note when the simulated call ends', async () => {
    const { handlers } = await openDesk();
    const pop = await handlers.simulateCall({ did: '0120-000-000', caller });
    const note = await handlers.openNote({ callId: pop.callId });
    expect(await handlers.discardNote({ noteId: note.summary.id })).toEqual({ wiped: true });
    expect(await handlers.discardNote({ noteId: note.summary.id })).toEqual({ wiped: false });
    expect(noteFiles()).toEqual([]);
  });

  it('moves aside an audit trail cut short since the desk last ran, records the rollback, and warns', async () => {
    const first = await openDesk();
    const pop = await first.handlers.simulateCall({ did: '0120-000-000', caller });
    const note = await first.handlers.openNote({ callId: pop.callId });
    await first.handlers.discardNote({ noteId: note.summary.id });
    await desk!.close();
    desk = undefined;
    // Someone removes the last line (the wipe): the chain still verifies on its own.
    const file = path.join(dataDir, 'audit', 'audit.jsonl');
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    fs.writeFileSync(file, lines.slice(0, -1).map((l) => `${l}\n`).join(''));

    const { handlers } = await openDesk();
    const warning = (await handlers.getDeskState(undefined)).warnings.find((w) => w.code === 'audit-rolled-back');
    expect(warning?.message).toMatch(new RegExp(`the file ends at line ${lines.length - 1}, before the head at line ${lines.length} \\(1 line missing\\)`));
    const aside = fs.readdirSync(path.join(dataDir, 'audit')).filter((f) => f.startsWith('audit.jsonl.rolled-back-'));
    expect(aside).toHaveLength(1);
    expect(warning?.message).toContain(aside[0]);
    const audit = await handlers.getAudit({ limit: 10 });
    expect(audit.chain.ok).toBe(true);
    expect(audit.events.at(-1)).toMatchObject({ type: 'audit-restarted', reason: 'audit-rolled-back' });
    await desk!.close();
    desk = undefined;
    // The new trail is now the kept one: the next start is quiet.
    expect((await (await openDesk()).handlers.getDeskState(undefined)).warnings.map((w) => w.code)).not.toContain('audit-rolled-back');
  });

  it('still starts, and refuses notes with the cause, when the vault folder cannot be used', async () => {
    fs.writeFileSync(path.join(dataDir, 'vault'), 'not a folder');
    const { handlers } = await openDesk();
    const state = await handlers.getDeskState(undefined);
    expect(state.warnings.map((w) => w.code)).toContain('notes-unavailable');
    const pop = await handlers.simulateCall({ did: '0120-000-000', caller });
    await expect((async () => handlers.openNote({ callId: pop.callId }))()).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringMatching(/^Notes cannot be taken on this desk: the vault could not be opened/),
    });
  });

  it('destroys a note past its retention at start, and records it as undelivered', async () => {
    let now = new Date('2026-12-01T01:00:00Z');
    desk = await createDesk({ dataDir, assetsDir, keyStore, log: nullLogger, now: () => now });
    const pop = await desk.handlers.simulateCall({ did: '0120-000-000', caller });
    const note = await desk.handlers.openNote({ callId: pop.callId });
    const [listed] = await desk.handlers.listNotes(undefined);
    // An unknown number has no client retention: the desk's default applies.
    expect(listed!.expiresAt).toBe(new Date(now.getTime() + DEFAULT_RETENTION_HOURS * 3_600_000).toISOString());
    await desk.close();

    now = new Date(Date.parse(listed!.expiresAt!) + 1_000);
    desk = await createDesk({ dataDir, assetsDir, keyStore, log: nullLogger, now: () => now });
    expect(await desk.handlers.listNotes(undefined)).toEqual([]);
    expect(noteFiles()).toEqual([]);
    const expired = (await desk.handlers.getAudit({ limit: 20 })).events.find((e) => e.noteId === note.summary.id && e.type === 'expired');
    expect(expired?.reason).toBe('undelivered');
  });

  it('answers not-found for a call the desk never popped', async () => {
    const { handlers } = await openDesk();
    await expect((async () => handlers.openNote({ callId: randomUUID() }))()).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe.skipIf(!keyringReady)(`live hand-off from the desk's handlers${keyringReady ? '' : ` — ${notReadyMessage}`}`, () => {
  let webhook: HttpsReceiver;
  let slack: HttpsReceiver;
  let smtp: SmtpReceiver;
  let closeSteps: Array<() => Promise<void> | void> = [];

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-desk-live-'));
    webhook = await startHttpsReceiver('webhook');
    slack = await startHttpsReceiver('slack');
    smtp = await startSmtpReceiver();
  });
  afterEach(async () => {
    for (const step of closeSteps.reverse()) await step();
    closeSteps = [];
    await webhook.close();
    await slack.close();
    await smtp.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function liveClient(): ClientInput {
    return {
      ...generateClient(2),
      id: 'aoba-clinic',
      name: 'あおばクリニック',
      handOff: {
        channels: [webhook.channel, slack.channel, { kind: 'email', id: 'mail', to: ['desk@aoba.example'], smtpSecret: 'test.smtp' }],
        urgentAlso: [],
        minimalChat: true,
      },
    };
  }

  /** The desk's context as createDesk builds it (test/support/live-desk-context.ts), its directory holding liveClient(). */
  async function liveDesk(): Promise<{ notes: NoteHandlers; ctx: DeskContext; client: Client }> {
    const ctx = await liveDeskContext({ dataDir, keyStore, repoRoot, clients: [liveClient()] });
    const notes = await createNoteHandlers(ctx);
    closeSteps.push(async () => {
      for (const step of ctx.onClose.slice().reverse()) await step();
    });
    await notes.setHandOffSecret({ ref: 'test.webhook', value: webhook.secret });
    await notes.setHandOffSecret({ ref: 'test.slack', value: slack.secret });
    await notes.setHandOffSecret({ ref: 'test.smtp', value: smtp.secret() });
    return { notes, ctx, client: ctx.active().index.byId('aoba-clinic')! };
  }

  async function liveNote(d: { notes: NoteHandlers; ctx: DeskContext; client: Client }): Promise<string> {
    const pop = d.ctx.calls.remember(
      buildPop({ client: d.client, did: d.client.dids[0]!, caller, callId: randomUUID(), training: false, at: new Date() }),
    );
    const note = await d.notes.openNote({ callId: pop.callId });
    expect(note.summary.training).toBe(false);
    await d.notes.saveNote({ noteId: note.summary.id, fields: { name: '鈴木 一郎', callback: '03-1234-5678', memo: '検査結果について' } });
    return note.summary.id;
  }

  async function until(notes: NoteHandlers, ok: (jobs: OutboxJobView[]) => boolean, timeoutMs = 20_000): Promise<OutboxJobView[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const jobs = await notes.listOutbox(undefined);
      if (ok(jobs)) return jobs;
      if (Date.now() > deadline) throw new Error(`timed out; jobs: ${JSON.stringify(jobs)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const allDelivered = (n: number) => (jobs: OutboxJobView[]) => jobs.length === n && jobs.every((j) => j.state === 'delivered');

  it('hands a live note to every channel exactly once and wipes it only after the confirming replies', async () => {
    const d = await liveDesk();
    const id = await liveNote(d);
    const jobs = await d.notes.handOffNote({ noteId: id });
    expect(jobs.map((j) => j.kind).sort()).toEqual(['email', 'slack', 'webhook']);
    expect(jobs.every((j) => j.clientName === 'あおばクリニック')).toBe(true);
    await until(d.notes, allDelivered(3));
    expect(webhook.received).toHaveLength(1);
    expect(slack.received).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);
    expect(await d.notes.listNotes(undefined)).toEqual([]);
    expect(noteFiles()).toEqual([]);
    const audit = await d.notes.getAudit({ limit: 100 });
    expect(audit.chain).toEqual({ ok: true, events: expect.any(Number) });
    const types = audit.events.filter((e) => e.noteId === id).map((e) => e.type).reverse();
    expect(types.filter((t) => t === 'delivered')).toHaveLength(3);
    expect(types.indexOf('wiped')).toBeGreaterThan(types.lastIndexOf('delivered'));
  });

  it('refuses to discard a live note with content and says why, discards an empty live draft, and audits the discard', async () => {
    const d = await liveDesk();
    const full = await liveNote(d);
    // The handlers answer synchronously; the API wraps them in promises.
    const discard = async (noteId: string) => d.notes.discardNote({ noteId });
    await expect(discard(full)).rejects.toMatchObject({ code: 'not-allowed', message: expect.stringMatching(/has content/) });
    // Blanks are no content, but one filled field is.
    const pop = d.ctx.calls.remember(
      buildPop({ client: d.client, did: d.client.dids[0]!, caller, callId: randomUUID(), training: false, at: new Date() }),
    );
    const empty = (await d.notes.openNote({ callId: pop.callId })).summary.id;
    await d.notes.saveNote({ noteId: empty, fields: { name: '佐', memo: '' } });
    await expect(discard(empty)).rejects.toMatchObject({ code: 'not-allowed' });
    const blank = await d.notes.saveNote({ noteId: empty, fields: { name: '  ', memo: '' } });
    expect(blank.hasContent).toBe(false);
    const listed = await d.notes.listNotes(undefined);
    expect(listed.map((n) => [n.id, n.hasContent])).toEqual(expect.arrayContaining([[full, true], [empty, false]]));

    expect(await d.notes.discardNote({ noteId: empty })).toEqual({ wiped: true });
    expect((await d.notes.listNotes(undefined)).map((n) => n.id)).toEqual([full]);
    expect(noteFiles()).toHaveLength(1);
    const audit = await d.notes.getAudit({ limit: 50 });
    expect(audit.chain.ok).toBe(true);
    expect(audit.events.filter((e) => e.type === 'wiped').map((e) => [e.noteId, e.reason])).toEqual([[empty, 'discarded']]);
  });

  it('keeps the note while a receiver is down, then delivers once when it is back', async () => {
    const d = await liveDesk();
    await webhook.down();
    const id = await liveNote(d);
    await d.notes.handOffNote({ noteId: id });
    await until(d.notes, (jobs) => jobs.some((j) => j.kind === 'webhook' && j.state === 'retrying'));
    expect((await d.notes.listNotes(undefined)).map((n) => n.id)).toEqual([id]);
    expect(noteFiles()).toHaveLength(1);
    await webhook.up();
    await until(d.notes, allDelivered(3), 30_000);
    expect(webhook.received).toHaveLength(1);
    expect(await d.notes.listNotes(undefined)).toEqual([]);
  }, 40_000);
});

describe.skipIf(!keyringReady)('a desk without the OS keychain', () => {
  it('refuses to take notes, says why, and writes no note, audit or outbox file', () => {
    const url = (p: string) => JSON.stringify(pathToFileURL(path.join(repoRoot, p)).href);
    const body = `
      const { createDesk } = await import(${url('electron/main/services/desk.ts')});
      const { nullLogger } = await import(${url('electron/main/services/log.ts')});
      const dataDir = scratch + '/data';
      const desk = await createDesk({ dataDir, assetsDir: ${JSON.stringify(assetsDir)}, keyStore: keychain.createKeytarKeyStore({ timeoutMs: 3000 }), log: nullLogger });
      const refusals = [];
      for (const [m, a] of [['listNotes', undefined], ['openNote', { callId: 'c1' }], ['saveNote', { noteId: 'n', fields: {} }], ['getAudit', { limit: 5 }]]) {
        try { await desk.handlers[m](a); refusals.push({ m, code: 'none' }); } catch (e) { refusals.push({ m, code: e.code, message: e.message }); }
      }
      const fs = await import('node:fs');
      const files = fs.readdirSync(dataDir, { recursive: true });
      await desk.close();
      print({ refusals, files });
    `;
    const { value } = runInSession({ kind: 'bus-without-keyring' }, body, 30_000);
    const { refusals, files } = value as { refusals: Array<{ m: string; code: string; message: string }>; files: string[] };
    for (const r of refusals) {
      expect(r.code, r.m).toBe('keychain-unavailable');
      expect(r.message).toMatch(/refuses to take notes without the OS keychain/);
      expect(r.message).toMatch(/nothing is ever written in plaintext/);
    }
    expect(files.filter((f) => /vault|audit|outbox|notes/.test(f))).toEqual([]);
  });
});
