/**
 * End of day's "retry now" and "send by the fallback channel" through the desk's handlers, on real
 * parts: the real keychain (with-keyring.sh), vault, audit trail and sealed outbox, the real senders,
 * a loopback HTTPS webhook receiver (the usual channel) and a loopback SMTP receiver (the client's
 * fallback channel). A message sent again still needs settling until it is delivered; then it is
 * wiped and leaves the plan, and the page was told the outbox changed.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientInput } from '../../../shared/directory/schema.js';
import type { DeskEvent } from '../../../shared/ipc/desk-events.js';
import { createClearanceHandlers, type ClearanceHandlers } from '../../../electron/main/services/clearance-handlers.js';
import type { DeskContext } from '../../../electron/main/services/desk-context.js';
import { buildPop } from '../../../electron/main/services/directory/pop-builder.js';
import { createKeytarKeyStore } from '../../../electron/main/services/keychain.js';
import { createNoteHandlers, type NoteHandlers } from '../../../electron/main/services/note-handlers.js';
import { generateClient } from '../../support/generate-directory.js';
import { startHttpsReceiver, type HttpsReceiver } from '../../support/receivers/https-receiver.js';
import { startSmtpReceiver, type SmtpReceiver } from '../../support/receivers/smtp-receiver.js';
import { fixtureIdentity, makeRoster } from '../../support/roster-fixture.js';
import { liveDeskContext } from '../../support/live-desk-context.js';
import { keyringReady, notReadyMessage, repoRoot } from '../services/keychain-child.js';

const caller = { name: '送信カナリア', number: '09055556666' };
const service = `Kotozute-test-send-again-${process.pid}-${Date.now()}`;
const keyStore = createKeytarKeyStore({ service, timeoutMs: 5_000 });

let dataDir: string;
let webhook: HttpsReceiver;
let smtp: SmtpReceiver;
let closeSteps: Array<() => Promise<void> | void> = [];

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-send-again-'));
  webhook = await startHttpsReceiver('webhook');
  smtp = await startSmtpReceiver();
});
afterEach(async () => {
  for (const step of closeSteps.reverse()) await step();
  closeSteps = [];
  await webhook.close();
  await smtp.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Live {
  notes: NoteHandlers;
  clearance: ClearanceHandlers;
  ctx: DeskContext;
  events: DeskEvent[];
  signIn(id: 'op-001' | 'sl-001'): Promise<void>;
}

async function liveDesk(): Promise<Live> {
  const client: ClientInput = {
    ...generateClient(3),
    id: 'hikari-dental',
    name: 'ひかり歯科',
    handOff: {
      channels: [webhook.channel],
      urgentAlso: [],
      minimalChat: false,
      fallback: { kind: 'email', id: 'backup-mail', to: ['uketsuke@hikari.example'], smtpSecret: 'test.smtp' },
    },
  };
  const roster = await makeRoster({
    desks: [{ id: 'desk-01', sipUri: 'sip:desk-01@pbx.test' }],
    people: [
      { id: 'op-001', roles: ['operator'], secret: '2468' },
      { id: 'sl-001', roles: ['shift-lead'], secret: 'blue kettle under the stairs' },
    ],
  });
  const identity = fixtureIdentity(roster, 'desk-01');
  const events: DeskEvent[] = [];
  const ctx = await liveDeskContext({ dataDir, keyStore, repoRoot, clients: [client], options: { floorIdentity: identity, pushEvent: (e) => events.push(e) } });
  const notes = await createNoteHandlers(ctx);
  closeSteps.push(async () => {
    for (const step of ctx.onClose.slice().reverse()) await step();
  });
  await notes.setHandOffSecret({ ref: 'test.webhook', value: webhook.secret });
  await notes.setHandOffSecret({ ref: 'test.smtp', value: smtp.secret() });
  const clearance = createClearanceHandlers(ctx);
  const signIn = async (id: string) => {
    const person = roster.roster.people.find((p) => p.id === id)!;
    identity.signIn({ person, key: await roster.personKey(id), since: new Date() });
  };
  return { notes, clearance, ctx, events, signIn };
}

async function failedNote(d: Live): Promise<string> {
  const client = d.ctx.active().index.byId('hikari-dental')!;
  const pop = d.ctx.calls.remember(buildPop({ client, did: client.dids[0]!, caller, callId: randomUUID(), training: false, at: new Date() }));
  const note = await d.notes.openNote({ callId: pop.callId });
  await d.notes.saveNote({ noteId: note.summary.id, fields: { name: caller.name, callback: caller.number, memo: '予約の変更' } });
  webhook.script(['reject']);
  await d.notes.handOffNote({ noteId: note.summary.id });
  await until(async () => (await d.notes.listNotes(undefined)).find((n) => n.id === note.summary.id)?.state === 'failed');
  return note.summary.id;
}

async function until(ok: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!keyringReady)(`sending an undelivered message again at End of day${keyringReady ? '' : ` — ${notReadyMessage}`}`, () => {
  it('only a shift lead may send again, and only a message the plan lists as undelivered', async () => {
    const d = await liveDesk();
    const id = await failedNote(d);
    await d.signIn('op-001');
    await expect(d.clearance.sendUndelivered({ noteId: id, action: 'retry' })).rejects.toThrow(/Only a shift lead/);
    await d.signIn('sl-001');
    await expect(d.clearance.sendUndelivered({ noteId: randomUUID(), action: 'retry' })).rejects.toThrow(/not undelivered on this desk/);
    expect(webhook.received).toHaveLength(0);
  });

  it('"retry now" re-queues the failed message at once; it blocks the clearance until delivered, then is wiped and leaves the plan', async () => {
    const d = await liveDesk();
    const id = await failedNote(d);
    await d.signIn('sl-001');
    webhook.script(['hang']);
    const plan = await d.clearance.sendUndelivered({ noteId: id, action: 'retry' });
    // Sent again, not delivered yet: still undelivered, still to be settled.
    expect(plan.undelivered.find((u) => u.noteId === id)).toMatchObject({ resent: 'retry', fallback: 'email' });
    await expect(d.clearance.clearDesk({ settlements: [], confirm: 'desk-01' })).rejects.toThrow(/no settlement/);

    webhook.script(['succeed']);
    await until(async () => (await d.clearance.planClearance(undefined)).undelivered.length === 0);
    expect(webhook.received).toHaveLength(1);
    expect(await d.notes.listNotes(undefined)).toEqual([]);
    expect(d.events.some((e) => e.type === 'outbox-changed')).toBe(true);
    // Nothing left to settle: the desk clears.
    const record = await d.clearance.clearDesk({ settlements: [], confirm: 'desk-01' });
    expect(record.carriedOver.notes).toBe(0);
  });

  it("sends by the client's fallback channel (SMTP) when the usual one refuses; once the mail is accepted the message is wiped", async () => {
    const d = await liveDesk();
    const id = await failedNote(d);
    await d.signIn('sl-001');
    const plan = await d.clearance.sendUndelivered({ noteId: id, action: 'fallback' });
    expect(plan.undelivered.find((u) => u.noteId === id)?.resent ?? 'delivered').toMatch(/fallback|delivered/);
    await until(async () => (await d.clearance.planClearance(undefined)).undelivered.length === 0);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]?.to).toContain('uketsuke@hikari.example');
    expect(webhook.received).toHaveLength(0);
    expect(await d.notes.listNotes(undefined)).toEqual([]);
    const audit = await d.notes.getAudit({ limit: 50 });
    expect(audit.events.some((e) => e.noteId === id && e.type === 'handed-off' && e.reason === 'fallback')).toBe(true);
    expect(audit.events.find((e) => e.noteId === id && e.type === 'wiped')).toBeDefined();
  });

  it('a message whose fallback channel refuses too stays undelivered and still needs a settlement', async () => {
    await smtp.close();
    smtp = await startSmtpReceiver({ rejectRecipients: ['uketsuke@hikari.example'] });
    const d = await liveDesk();
    const id = await failedNote(d);
    await d.signIn('sl-001');
    await d.clearance.sendUndelivered({ noteId: id, action: 'fallback' });
    await until(async () => (await d.clearance.planClearance(undefined)).undelivered.find((u) => u.noteId === id)?.state === 'failed');
    await expect(d.clearance.clearDesk({ settlements: [], confirm: 'desk-01' })).rejects.toThrow(/no settlement/);
    const record = await d.clearance.clearDesk({ settlements: [{ noteId: id, action: 'carry-over' }], confirm: 'desk-01' });
    expect(record.carriedOver.notes).toBe(1);
  });
});
