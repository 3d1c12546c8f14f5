import { app, BrowserWindow, session } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy, hardenEveryWindow, hardenSession, hardenWebContents, PRINT_REFUSED } from '../../../../../electron/main/platform/security.js';
import * as fake from '../../../../support/fake-electron.js';

vi.mock('electron', () => import('../../../../support/fake-electron.js'));

const PAGE = 'app://kotozute/index.html';
const EVIL = 'https://evil.example/';

function hardenedPage(): fake.FakeWebContents {
  const win = new BrowserWindow({});
  hardenWebContents(win.webContents);
  const page = fake.BrowserWindow.all.at(-1)!.webContents;
  void page.loadURL(PAGE);
  return page;
}

beforeEach(() => {
  fake.resetFake();
  hardenSession(session.defaultSession);
});

describe('permissions', () => {
  const ses = () => fake.session.defaultSession;

  it('grants the microphone to our pages, for audio only', async () => {
    expect(await ses().requestPermission('media', { requestingUrl: PAGE, mediaTypes: ['audio'] })).toBe(true);
    expect(ses().checkPermission('media', 'app://kotozute', { requestingUrl: PAGE, mediaType: 'audio' })).toBe(true);
  });

  it('refuses the camera, and audio asked together with video', async () => {
    expect(await ses().requestPermission('media', { requestingUrl: PAGE, mediaTypes: ['video'] })).toBe(false);
    expect(await ses().requestPermission('media', { requestingUrl: PAGE, mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(await ses().requestPermission('media', { requestingUrl: PAGE, mediaTypes: [] })).toBe(false);
    expect(await ses().requestPermission('media', { requestingUrl: PAGE })).toBe(false);
    expect(ses().checkPermission('media', 'app://kotozute', { mediaType: 'video' })).toBe(false);
    expect(ses().checkPermission('media', 'app://kotozute', { mediaType: 'unknown' })).toBe(false);
  });

  it('grants notifications to our pages', async () => {
    expect(await ses().requestPermission('notifications', { requestingUrl: PAGE })).toBe(true);
    expect(ses().checkPermission('notifications', 'app://kotozute')).toBe(true);
  });

  it.each([
    'hid', 'serial', 'usb', 'geolocation', 'clipboard-read', 'display-capture', 'midiSysex', 'openExternal',
    'fileSystem', 'idle-detection', 'pointerLock', 'window-management', 'local-fonts', 'unknown',
  ])('refuses %s', async (permission) => {
    expect(await ses().requestPermission(permission, { requestingUrl: PAGE })).toBe(false);
    expect(ses().checkPermission(permission, 'app://kotozute', { requestingUrl: PAGE })).toBe(false);
  });

  it('refuses even the microphone and notifications to any other origin', async () => {
    expect(await ses().requestPermission('media', { requestingUrl: EVIL, mediaTypes: ['audio'] })).toBe(false);
    expect(await ses().requestPermission('notifications', { requestingUrl: EVIL })).toBe(false);
    expect(ses().checkPermission('media', 'https://evil.example', { mediaType: 'audio' })).toBe(false);
    expect(ses().checkPermission('notifications', 'app://kotozute.evil.example')).toBe(false);
  });

  it('denies every USB, HID, serial and Bluetooth device', () => {
    expect(ses().devicePermissionHandler?.({ deviceType: 'usb', origin: 'app://kotozute' })).toBe(false);
    expect(ses().devicePermissionHandler?.({ deviceType: 'hid', origin: 'app://kotozute' })).toBe(false);
    for (const chooser of ['select-hid-device', 'select-usb-device', 'select-serial-port']) {
      const answer = ses().chooseDevice(chooser);
      expect(answer, chooser).toMatchObject({ prevented: true, answered: true });
      expect(answer.chosen === undefined || answer.chosen === null || answer.chosen === '', chooser).toBe(true);
    }
    expect(hardenedPage().chooseBluetoothDevice(['headset'])).toEqual({ prevented: true, chosen: '' });
  });

  it('cancels every download, so no note leaves as a file', () => {
    expect(ses().download('app://kotozute/note.txt')).toBe(false);
  });
});

describe('navigation and windows', () => {
  it('keeps the window on our pages: navigation to https://evil.example is prevented', () => {
    const page = hardenedPage();
    expect(page.navigate('https://evil.example/phish')).toBe(false);
    expect(page.navigate('file:///etc/passwd')).toBe(false);
    expect(page.navigate('app://kotozute.evil.example/')).toBe(false);
    expect(page.navigate('app://kotozute/index.html#calls')).toBe(true);
  });

  it('prevents a redirect off the app origin', () => {
    const page = hardenedPage();
    expect(page.redirect(EVIL)).toBe(false);
    expect(page.redirect('app://kotozute/index.html')).toBe(true);
  });

  it('denies window.open and opens nothing in the system browser either', () => {
    const page = hardenedPage();
    expect(page.openWindow(EVIL)).toBe('deny');
    expect(page.openWindow('app://kotozute/index.html')).toBe('deny');
    expect(fake.shell.opened).toEqual([]);
  });

  it('refuses to attach a <webview>', () => {
    expect(hardenedPage().attachWebview(EVIL)).toBe(false);
  });
});

describe('content security policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name = '', ...sources] = d.trim().split(/\s+/);
      return [name, sources] as const;
    }),
  );

  it('allows no remote origin, no inline script and no eval', () => {
    const allowed = new Set(["'self'", "'none'", 'data:', 'blob:', 'mediastream:']);
    for (const [name, sources] of directives) {
      if (name === 'connect-src') continue; // checked below: the SIP line's WebSocket only
      for (const source of sources) expect(allowed.has(source), `${name} ${source}`).toBe(true);
    }
    expect(directives.get('script-src')).toEqual(["'self'"]);
  });

  it('lets an unpaired (training) page open no WebSocket at all', () => {
    expect(directives.get('connect-src')).toEqual(["'self'"]);
  });

  it("lets a paired page reach its line's server origin only, never any wss:", () => {
    const connectSrc = (server: string | null) =>
      /connect-src ([^;]*)/.exec(contentSecurityPolicy(server))?.[1]?.split(' ');
    expect(connectSrc('wss://pbx.example.jp:7443/ws')).toEqual(["'self'", 'wss://pbx.example.jp:7443']);
    expect(connectSrc('wss://PBX.example.jp/ws?x=1')).toEqual(["'self'", 'wss://pbx.example.jp']);
    expect(connectSrc('ws://127.0.0.1:5066')).toEqual(["'self'", 'ws://127.0.0.1:5066']);
    // Refused servers add nothing: clear text to another host, junk that would end the directive.
    expect(connectSrc('ws://pbx.example.jp/ws')).toEqual(["'self'"]);
    expect(connectSrc("wss://a.example; script-src 'unsafe-inline'")).toEqual(["'self'"]);
    expect(connectSrc(null)).toEqual(["'self'"]);
  });

  it('forbids plugins, <base> rewriting, form posts and being framed', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });
});

describe('print and export, refused by the main process', () => {
  it('refuses webContents.print with a reason, and printToPDF of the page and of every frame, before Chromium sees them', async () => {
    const page = hardenedPage();
    const contents = BrowserWindow.getAllWindows().at(-1)!.webContents;
    const outcome = await new Promise<[boolean, string]>((resolve) => contents.print({ silent: true }, (ok, why) => resolve([ok, why])));
    expect(outcome).toEqual([false, PRINT_REFUSED]);
    await expect(contents.printToPDF({})).rejects.toThrow(PRINT_REFUSED);
    await expect(contents.mainFrame.printToPDF({})).rejects.toThrow(PRINT_REFUSED);
    const frame = page.createFrame('app://kotozute/sheet.html');
    await expect(frame.printToPDF()).rejects.toThrow(PRINT_REFUSED);
    expect(page.printed).toEqual([]);
    expect(page.mainFrame.pdfs).toEqual([]);
    expect(frame.pdfs).toEqual([]);
  });

  it('an unhardened page would print (the fake is not what refuses)', async () => {
    const win = new BrowserWindow({});
    win.webContents.print({});
    await win.webContents.printToPDF({});
    expect(fake.BrowserWindow.all.at(-1)!.webContents.printed).toEqual(['print', 'pdf']);
  });

  it.each([
    { key: 'p', control: true },
    { key: 'P', control: true, shift: true },
    { key: 'p', meta: true },
    { key: 'π', code: 'KeyP', meta: true, alt: true },
  ])('swallows the print key %o before the page sees it', (input) => {
    expect(hardenedPage().pressKey(input)).toBe(false);
  });

  it('lets other keys through, and P without a modifier', () => {
    const page = hardenedPage();
    expect(page.pressKey({ key: 'p' })).toBe(true);
    expect(page.pressKey({ key: 'c', control: true })).toBe(true);
    expect(page.pressKey({ key: 'p', control: true, type: 'keyUp' })).toBe(true);
  });

  it('covers every window the app makes: each web contents hardened, each window content-protected', async () => {
    hardenEveryWindow(app);
    const windows = [new BrowserWindow({}), new BrowserWindow({ show: false })];
    for (const [i, win] of windows.entries()) {
      const f = fake.BrowserWindow.all.at(i - windows.length)!;
      expect(f.contentProtection).toBe(true);
      await expect(win.webContents.printToPDF({})).rejects.toThrow(PRINT_REFUSED);
      expect(f.webContents.pressKey({ key: 'p', control: true })).toBe(false);
      expect(f.webContents.openWindow('app://kotozute/index.html')).toBe('deny');
    }
  });
});
