import { BrowserWindow } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createDispatch } from '../../../../../electron/main/api/dispatch.js';
import { registerApi } from '../../../../../electron/main/platform/ipc.js';
import { createLogger } from '../../../../../electron/main/services/log.js';
import { methodNames, type ApiHandlers, type MethodName } from '../../../../../shared/ipc/contract.js';
import { ApiError, channelOf, Envelope } from '../../../../../shared/ipc/errors.js';
import * as fake from '../../../../support/fake-electron.js';

vi.mock('electron', () => import('../../../../support/fake-electron.js'));

const notHere = (): never => {
  throw new ApiError('not-found', 'not part of this test');
};

/** Real dispatch, tiny handlers: only getSettings answers; every call is recorded. */
function tinyHandlers(calls: MethodName[]): ApiHandlers {
  const record = <R>(m: MethodName, f: () => R) => () => {
    calls.push(m);
    return f();
  };
  const handlers = Object.fromEntries(methodNames.map((m) => [m, record(m, notHere)]));
  return { ...handlers, getSettings: record('getSettings', () => ({ locale: 'ja' as const })) } as unknown as ApiHandlers;
}

const caller = { name: '山田', number: '0312345678' };

/** Bad arguments for each method; a method added to the contract must be added here. */
const malformed: Record<MethodName, unknown[]> = {
  getDeskState: [{}, 'x', 0, null, [], { clientId: 'a' }],
  listClients: [{}, 'x', 0, null, []],
  simulateCall: [
    undefined,
    null,
    'acme',
    { caller },
    { clientId: 'Bad Id!', caller },
    { did: 42, caller },
    { clientId: 'acme', caller: { name: 5, number: '1' } },
    { clientId: 'acme', caller: { name: 'x'.repeat(300), number: '1' } },
  ],
  getSettings: [{}, 'ja', 0, null],
  updateSettings: [null, 'en', 7, [], { locale: 'fr' }, { locale: 3 }],
  importDirectory: [undefined, null, {}, { bundle: 42 }, 'bundle', [{ bundle: '' }]],
  getLine: [{}, 'x', 0, null],
  pairLine: [undefined, {}, { profile: {} }, { profile: { server: 'wss://x', aor: 'sip:a@b', authUser: '' } }, { profile: { server: 'wss://x', aor: 'sip:a@b', authUser: 'a' }, password: '' }],
  unpairLine: [{}, 'x', null],
  getLinePassword: [{}, 'x', null],
  importProvisioning: [undefined, {}, { profile: 42 }, 'profile'],
  probeLineServer: [undefined, {}, { server: 42 }, { server: '' }, { server: `wss://${'x'.repeat(600)}` }, 'wss://pbx.example.test'],
  clientLabels: [{}, 'x', 0, null],
  popIncomingCall: [undefined, {}, { callId: '', did: null, caller }, { callId: 'c1', did: 5, caller }, { callId: 'c1', did: null, caller: { name: 'x'.repeat(300), number: '' } }],
  resolveTransferTarget: [undefined, {}, { clientId: 'Bad Id!', staffId: 's' }, { clientId: 'acme', staffId: '' }],
  openNote: [undefined, {}, { callId: '' }, { callId: 7 }],
  saveNote: [undefined, {}, { noteId: 'n', fields: { '1bad': 'x' } }, { noteId: 'n', fields: { a: 5 } }],
  handOffNote: [undefined, {}, { noteId: '' }],
  discardNote: [undefined, {}, { noteId: 3 }],
  listNotes: [{}, 'x', null],
  listOutbox: [{}, 'x', null],
  retryOutboxJob: [undefined, {}, { jobId: '' }],
  getAudit: [undefined, null, { limit: 0 }, { limit: 'all' }],
  copyNoteText: [undefined, {}, { text: '' }, { text: 42 }, { text: 'x'.repeat(2_000_001) }, 'text'],
  setHandOffSecret: [undefined, {}, { ref: 'Bad Ref', value: 'x' }, { ref: 'a.b', value: '' }],
  deskIdentity: [{}, 'x', 0, null],
  rosterState: [{}, 'x', null],
  importRoster: [undefined, {}, { bundle: 42 }, { bundle: 'x'.repeat(6 * 1024 * 1024 + 1) }],
  signIn: [undefined, {}, { personId: 'Bad Id!', secret: '1234' }, { personId: 'op-1', secret: '' }, { personId: 'op-1', secret: 'x'.repeat(1025) }],
  unlock: [undefined, {}, { secret: '' }, { secret: 42 }, { secret: 'x'.repeat(1025) }],
  lockDesk: [{}, 'x', null],
  lineLogLevel: [{}, 'x', null],
  writeLineLog: [undefined, {}, { level: 'trace', category: 'sip', message: '' }, { level: 'warn', category: '', message: '' }, { level: 'warn', category: 'x'.repeat(41), message: '' }, { level: 'warn', category: 'sip', message: 'x'.repeat(401) }],
  signOut: [{}, 'x', null],
  floorReport: [undefined, {}, { activity: 'asleep', since: 0, call: null, line: 'registered' }, { activity: 'idle', since: -1, call: null, line: 'registered' }, { activity: 'talking', since: 0, call: { ref: 'caller number', client: null, onHold: false, monitored: false }, line: 'registered' }],
  floorDeliver: [undefined, {}, { body: 'x'.repeat(5_000), from: 'sip:a@b' }, { body: 42, from: '' }],
  floorWatch: [undefined, null, { end: 'yes' }],
  getFloorBoard: [{}, 'x', null],
  planClearance: [{}, 'x', null],
  clearDesk: [
    undefined,
    { settlements: [], confirm: 'x'.repeat(65) },
    { settlements: [{ noteId: 'not-a-uuid', action: 'discard', reason: 'duplicate' }], confirm: 'desk-1' },
    { settlements: [{ noteId: '11111111-1111-4111-8111-111111111111', action: 'discard', reason: 'I just felt like it' }], confirm: 'desk-1' },
    { settlements: [{ noteId: '11111111-1111-4111-8111-111111111111', action: 'discard' }], confirm: 'desk-1' },
    { settlements: [{ noteId: '11111111-1111-4111-8111-111111111111', action: 'burn' }], confirm: 'desk-1' },
  ],
  listDeletionRecords: [undefined, {}, { limit: 0 }, { limit: 201 }, { limit: 1.5 }],
  floorClearAll: [undefined, {}, { confirm: 'x'.repeat(17) }, { confirm: '2', desks: [] }, { confirm: '1', desks: ['Desk 1'] }, { confirm: '1', extra: true }],
  floorClearanceUnsent: [undefined, {}, { deskId: 'desk-1', nonce: 'short' }, { deskId: 'Desk 1', nonce: 'AAAAAAAAAAAAAAAAAAAAAA' }],
  getFloorClearance: [{}, 'x', null],
  reportDeskBusy: [undefined, {}, { call: true }, { call: 'yes', typing: false }, { call: true, typing: false, extra: 1 }],
  getClearanceNotice: [{}, 'x', null],
  dismissClearanceNotice: [undefined, {}, { seq: 0 }, { seq: 1.5 }, { seq: '1' }],
  exportDeletionRecord: [undefined, { fileName: '../../etc/passwd', text: 'x' }, { fileName: 'deletion-record-desk-01-000001.exe', text: 'x' }, { fileName: 'deletion-record-desk-01-000001.json', text: '' }],
  sendUndelivered: [undefined, {}, { noteId: 'not-a-uuid', action: 'retry' }, { noteId: '11111111-1111-4111-8111-111111111111', action: 'carry-over' }, { noteId: '11111111-1111-4111-8111-111111111111', action: 'retry', extra: 1 }],
  signMonitorRequest: [undefined, {}, { deskId: 'Desk 1', callRef: 'call-ref-0001', mode: 'listen' }, { deskId: 'desk-1', callRef: 'short', mode: 'listen' }, { deskId: 'desk-1', callRef: 'call-ref-0001', mode: 'spy' }],
  checkMonitorRequest: [
    undefined,
    { token: 't', from: 'sip:a@b' },
    { token: 'x'.repeat(5000), from: 'sip:a@b', liveCallRefs: [] },
    { token: null, from: 'sip:a@b', liveCallRefs: Array.from({ length: 17 }, (_, i) => `call-ref-${String(i).padStart(4, '0')}`) },
    { token: null, from: 'sip:a@b', liveCallRefs: ['no spaces allowed'] },
    { token: null, from: 'sip:a@b', liveCallRefs: [], sessionId: 'not-a-uuid' },
  ],
  endMonitorSession: [undefined, { sessionId: 'x', cause: 'call-ended' }, { sessionId: '00000000-0000-4000-8000-000000000000', cause: 'bored' }],
};

let calls: MethodName[];
let logLines: string[];
let page: fake.FakeWebContents;
let unregister: () => void;

beforeEach(() => {
  fake.resetFake();
  calls = [];
  logLines = [];
  const log = createLogger((line) => logLines.push(line));
  const win = new BrowserWindow({});
  page = fake.BrowserWindow.all[0]!.webContents;
  void page.loadURL('app://kotozute/index.html');
  unregister = registerApi(createDispatch(tinyHandlers(calls), log), (contents) => contents === win.webContents, log);
});

function answer(raw: unknown): Envelope {
  return Envelope.parse(raw);
}

describe('IPC handlers', () => {
  it('handles exactly one channel per contract method', () => {
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(methodNames.map(channelOf).sort());
  });

  it("passes a call from our window's main frame to the dispatcher", async () => {
    const res = answer(await fake.ipcMain.invokeFrom(page, page.mainFrame, channelOf('getSettings')));
    expect(res).toEqual({ ok: true, value: { locale: 'ja' } });
    expect(calls).toEqual(['getSettings']);
  });

  it('removes every handler when unregistered', () => {
    unregister();
    expect(fake.ipcMain.handlers.size).toBe(0);
  });
});

describe('sender check', () => {
  const forbidden = { ok: false, error: expect.objectContaining({ code: 'forbidden-sender' }) };

  it('answers forbidden-sender to a window that is not ours', async () => {
    new BrowserWindow({});
    const stranger = fake.BrowserWindow.all[1]!.webContents;
    await stranger.loadURL('app://kotozute/index.html');
    expect(answer(await fake.ipcMain.invokeFrom(stranger, stranger.mainFrame, channelOf('getSettings')))).toEqual(forbidden);
  });

  it('answers forbidden-sender to an iframe inside our window', async () => {
    const frame = page.childFrame('app://kotozute/index.html');
    expect(answer(await fake.ipcMain.invokeFrom(page, frame, channelOf('getSettings')))).toEqual(forbidden);
  });

  it('answers forbidden-sender when our window shows a foreign page', async () => {
    await page.loadURL('https://evil.example/');
    expect(answer(await fake.ipcMain.invokeFrom(page, page.mainFrame, channelOf('getSettings')))).toEqual(forbidden);
    expect(logLines.join('\n')).toContain('ipc.forbidden-sender');
    expect(logLines.join('\n')).not.toContain('evil');
  });

  it('answers forbidden-sender when the sending frame is already gone', async () => {
    expect(answer(await fake.ipcMain.invokeFrom(page, null, channelOf('getSettings')))).toEqual(forbidden);
  });

  it('never runs a handler for a forbidden sender, whatever the method', async () => {
    const frame = page.childFrame('app://kotozute/index.html');
    for (const m of methodNames) await fake.ipcMain.invokeFrom(page, frame, channelOf(m), undefined);
    expect(calls).toEqual([]);
  });
});

describe('argument validation', () => {
  it.each(methodNames)('answers invalid-argument with a message to a malformed argument of %s', async (method) => {
    for (const arg of malformed[method]) {
      const res = answer(await fake.ipcMain.invokeFrom(page, page.mainFrame, channelOf(method), arg));
      expect(res.ok, JSON.stringify(arg)).toBe(false);
      if (res.ok) continue;
      expect(res.error.code, JSON.stringify(arg)).toBe('invalid-argument');
      expect(res.error.message).toContain(method);
      expect(res.error.details.length).toBeGreaterThan(0);
    }
    expect(calls).toEqual([]);
  });
});
