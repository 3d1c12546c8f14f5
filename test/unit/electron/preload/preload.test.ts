import { BrowserWindow } from 'electron';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createDispatch } from '../../../../electron/main/api/dispatch.js';
import { forwardPowerEvents } from '../../../../electron/main/platform/desk-events.js';
import { registerApi } from '../../../../electron/main/platform/ipc.js';
import { nullLogger } from '../../../../electron/main/services/log.js';
import { methodNames, type ApiHandlers } from '../../../../shared/ipc/contract.js';
import { DESK_EVENT_CHANNEL, type DeskEvent, type KotozuteWindowApi } from '../../../../shared/ipc/desk-events.js';
import { ApiError, ErrorInfo } from '../../../../shared/ipc/errors.js';
import * as fake from '../../../support/fake-electron.js';

vi.mock('electron', () => import('../../../support/fake-electron.js'));

const notHere = (): never => {
  throw new ApiError('not-found', 'not part of this test', ['detail one']);
};
const handlers = {
  ...Object.fromEntries(methodNames.map((m) => [m, notHere])),
  getSettings: () => ({ locale: 'ja' }),
  updateSettings: (patch: { locale?: 'ja' | 'en' }) => ({ locale: patch.locale ?? 'ja' }),
} as unknown as ApiHandlers;

let api: KotozuteWindowApi;
let page: fake.FakeWebContents;
let win: BrowserWindow;

// The preload runs once per page, as in Electron: wire the main side, then load it.
beforeAll(async () => {
  fake.resetFake();
  win = new BrowserWindow({});
  page = fake.BrowserWindow.all[0]!.webContents;
  await page.loadURL('app://kotozute/index.html');
  registerApi(createDispatch(handlers, nullLogger), (contents) => contents === win.webContents, nullLogger);
  fake.preloadRunsIn(page);
  await import('../../../../electron/preload/index.js');
  api = fake.contextBridge.exposed.get('kotozute') as KotozuteWindowApi;
});

/** The ErrorInfo a rejected call carries, decoded the way the renderer will decode it. */
async function failure(call: Promise<unknown>): Promise<ErrorInfo> {
  const err: unknown = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  const message = (err as Error).message;
  expect(message.startsWith('KOTOZUTE_API_ERROR ')).toBe(true);
  return ErrorInfo.parse(JSON.parse(message.slice('KOTOZUTE_API_ERROR '.length)));
}

describe('preload', () => {
  it('exposes one object, window.kotozute, and nothing else', () => {
    expect([...fake.contextBridge.exposed.keys()]).toEqual(['kotozute']);
  });

  it("exposes exactly the contract's methods and onDeskEvent, each a function", () => {
    expect(Object.keys(api).sort()).toEqual([...methodNames, 'onDeskEvent'].sort());
    for (const m of methodNames) expect(typeof api[m], m).toBe('function');
    expect(typeof api.onDeskEvent).toBe('function');
  });

  it('never exposes ipcRenderer or a way to send on an arbitrary channel', () => {
    const values: unknown[] = Object.values(api);
    expect(values).not.toContain(fake.ipcRenderer);
    expect(values).not.toContain(fake.ipcRenderer.invoke);
    for (const name of ['ipcRenderer', 'invoke', 'send', 'on', 'sendSync']) expect(api).not.toHaveProperty(name);
  });

  it("resolves to the handler's value", async () => {
    await expect(api.getSettings()).resolves.toEqual({ locale: 'ja' });
    await expect(api.updateSettings({ locale: 'en' })).resolves.toEqual({ locale: 'en' });
  });

  it('throws an Error whose message carries the ErrorInfo as JSON after KOTOZUTE_API_ERROR', async () => {
    expect(await failure(api.listClients())).toEqual({ code: 'not-found', message: 'not part of this test', details: ['detail one'] });
  });

  it('reports a malformed argument as invalid-argument with the failing path', async () => {
    const info = await failure(api.updateSettings({ locale: 'fr' as 'ja' }) /* a renderer bug the types would catch */);
    expect(info.code).toBe('invalid-argument');
    expect(info.details.join('\n')).toContain('locale');
  });
});

describe('preload without a main side', () => {
  it('still throws in the KOTOZUTE_API_ERROR format when nothing answers', async () => {
    const handler = fake.ipcMain.handlers.get('kotozute:getSettings')!;
    fake.ipcMain.removeHandler('kotozute:getSettings');
    try {
      expect((await failure(api.getSettings())).code).toBe('internal');
    } finally {
      fake.ipcMain.handle('kotozute:getSettings', handler);
    }
  });
});

describe('desk events in the preload', () => {
  /** Subscribes; returns what each call of the listener received (all its arguments). */
  function listen(): { calls: unknown[][]; stop: () => void } {
    const calls: unknown[][] = [];
    const stop = api.onDeskEvent((...args: unknown[]) => calls.push(args));
    return { calls, stop };
  }

  it("delivers the OS's resume from powerMonitor to the page's listener, and only the parsed event", () => {
    const { calls, stop } = listen();
    const stopForwarding = forwardPowerEvents(() => win.webContents, nullLogger);
    try {
      fake.powerMonitor.emit('resume');
      expect(calls).toEqual([[{ type: 'power', event: 'resume' }]]);
    } finally {
      stopForwarding();
      stop();
    }
  });

  it('passes on only plain objects with a type (the page checks them against the schema), and keeps delivering after bad ones', () => {
    const { calls, stop } = listen();
    try {
      for (const bad of [undefined, null, 'resume', 42, ['power'], { type: 7 }, { event: 'suspend' }]) {
        expect(() => page.send(DESK_EVENT_CHANNEL, bad)).not.toThrow();
      }
      expect(calls).toEqual([]);
      page.send(DESK_EVENT_CHANNEL, { type: 'power', event: 'suspend' });
      expect(calls).toEqual([[{ type: 'power', event: 'suspend' }]]);
    } finally {
      stop();
    }
  });

  it('hears nothing on other channels, nothing after stopping, and survives a listener that throws', () => {
    const { calls, stop } = listen();
    const stopBroken = api.onDeskEvent(() => {
      throw new Error('a broken listener');
    });
    const resume: DeskEvent = { type: 'power', event: 'resume' };
    page.send('kotozute:getSettings', resume);
    expect(() => page.send(DESK_EVENT_CHANNEL, resume)).not.toThrow();
    stop();
    stopBroken();
    page.send(DESK_EVENT_CHANNEL, resume);
    expect(calls).toEqual([[resume]]);
  });

  it('refuses a listener that is not a function', () => {
    expect(() => api.onDeskEvent('resume' as never)).toThrow(TypeError);
  });
});
