import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bringToFront, createMainWindow } from '../../../../../electron/main/platform/window.js';
import { openWindowState } from '../../../../../electron/main/platform/window-state.js';
import { nullLogger } from '../../../../../electron/main/services/log.js';
import * as fake from '../../../../support/fake-electron.js';

// Runs before the imports above: the window state's electron-store must not load the real
// 'electron' package (see window-state.test.ts).
vi.hoisted(() => {
  process.env.ELECTRON_OVERRIDE_DIST_PATH ??= '/nonexistent';
});
vi.mock('electron', () => import('../../../../support/fake-electron.js'));

const PRELOAD = '/opt/kotozute/dist/preload/index.cjs';
let dir: string;

beforeEach(() => {
  fake.resetFake();
  dir = mkdtempSync(path.join(tmpdir(), 'kotozute-window-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

let gaveUp: string[];
beforeEach(() => {
  gaveUp = [];
});

function open(devTools = false): fake.FakeBrowserWindow {
  createMainWindow({ preloadPath: PRELOAD, devTools, state: openWindowState(dir), log: nullLogger, giveUp: (why) => gaveUp.push(why) });
  return fake.BrowserWindow.all.at(-1)!;
}

describe('main window', () => {
  it('runs the renderer isolated and sandboxed, without Node, with web security and our preload', () => {
    expect(open().options.webPreferences).toMatchObject({
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
      navigateOnDragDrop: false,
      // Middle-click would ask for a new window (refused anyway): the Blink feature is off.
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('keeps timers running while the desk is hidden, so it still rings and keeps its line', () => {
    expect(open().options.webPreferences?.backgroundThrottling).toBe(false);
  });

  it('offers devtools only when asked to (development builds)', () => {
    expect(open(true).options.webPreferences?.devTools).toBe(true);
  });

  it('protects its content from screen capture', () => {
    expect(open().contentProtection).toBe(true);
  });

  it('loads the app from app://kotozute/, never a remote URL', () => {
    expect(open().webContents.mainFrame.url).toBe('app://kotozute/index.html');
  });

  it('stays hidden until the page is ready to show', () => {
    const win = open();
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('reopens where the operator left it', () => {
    const first = open();
    first.setBounds({ x: 100, y: 50, width: 1500, height: 950 });
    first.maximize();
    first.close();
    const second = open();
    expect(second.options).toMatchObject({ x: 100, y: 50, width: 1500, height: 950 });
    expect(second.isMaximized()).toBe(true);
  });

  it('opens at the default size when the saved place is on a display that is gone', () => {
    const first = open();
    first.setBounds({ x: 5000, y: 0, width: 1200, height: 800 });
    first.close();
    const second = open();
    expect(second.options.x).toBeUndefined();
    expect(second.options).toMatchObject({ width: 1280, height: 800 });
  });

  it('refuses reload keys on its page, and devtools keys when packaged', () => {
    const packaged = open(false).webContents;
    expect(packaged.pressKey({ key: 'r', control: true })).toBe(false);
    expect(packaged.pressKey({ key: 'F12' })).toBe(false);
    const development = open(true).webContents;
    expect(development.pressKey({ key: 'F5' })).toBe(false);
    expect(development.pressKey({ key: 'F12' })).toBe(true);
  });

  it('reloads a crashed page and gives up on a page that cannot load', () => {
    const page = open().webContents;
    page.crashRenderer();
    expect(page.loads.at(-1)).toBe('app://kotozute/index.html#recovered');
    page.failLoad();
    page.failLoad();
    expect(gaveUp).toEqual(['load-failed']);
  });

  it('is shown, restored and focused when brought to the front, even while hidden', () => {
    const win = open();
    win.minimized = true;
    bringToFront(win as never);
    expect(win).toMatchObject({ shown: true, minimized: false, focused: true });
  });
});
