/**
 * The Electron entry: wires the platform glue (window, protocol, security, IPC) around the desk
 * services. Everything durable and secret lives in the desk (services/, plain Node); this file
 * only decides paths and order.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, session, type WebContents } from 'electron';
import { createDispatch } from './api/dispatch.js';
import { forwardPowerEvents } from './platform/desk-events.js';
import { createElectronClipboard } from './platform/clipboard.js';
import { registerApi } from './platform/ipc.js';
import { registerAppScheme, serveApp } from './platform/protocol.js';
import { hardenSession, hardenWebContents } from './platform/security.js';
import { createMainWindow } from './platform/window.js';
import { openWindowState } from './platform/window-state.js';
import { createDesk, type Desk } from './services/desk.js';
import { createKeytarKeyStore } from './services/keychain.js';
import { createLogger } from './services/log.js';

const APP_ID = 'jp.kotozute.desk';
const log = createLogger();

let mainWindow: BrowserWindow | null = null;
let desk: Desk | null = null;

function isOurWindow(contents: WebContents): boolean {
  return mainWindow !== null && !mainWindow.isDestroyed() && mainWindow.webContents === contents;
}

function showMainWindow(): void {
  if (mainWindow && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    return;
  }
  mainWindow = createMainWindow({
    preloadPath: path.join(import.meta.dirname, '..', 'preload', 'index.cjs'),
    devTools: !app.isPackaged,
    state: openWindowState(app.getPath('userData')),
    log,
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

/**
 * Crash dumps are process memory, which may hold a note being typed. They stay inside userData
 * (so the end-of-day wipe covers them) and are never uploaded: crashReporter.start is not called.
 * Leftovers from an earlier crash are removed at start.
 */
function keepCrashDumpsLocal(): void {
  const crashDumps = path.join(app.getPath('userData'), 'crash-dumps');
  rmSync(crashDumps, { recursive: true, force: true });
  app.setPath('crashDumps', crashDumps);
}

async function start(): Promise<void> {
  app.setAppUserModelId(APP_ID);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  await app.whenReady();

  hardenSession(session.defaultSession);
  serveApp(path.join(app.getAppPath(), 'dist', 'renderer'));
  desk = await createDesk({
    dataDir: app.getPath('userData'),
    assetsDir: app.isPackaged ? path.join(process.resourcesPath, 'assets') : path.join(app.getAppPath(), 'assets'),
    keyStore: createKeytarKeyStore(),
    log,
    clipboard: createElectronClipboard(),
  });
  registerApi(createDispatch(desk.handlers, log), isOurWindow, log);

  showMainWindow();
  // powerMonitor is usable only once the app is ready. The page re-registers its SIP line on resume.
  forwardPowerEvents(() => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null), log);
  app.on('second-instance', showMainWindow);
  app.on('activate', showMainWindow);
}

// One desk per user: a second launch focuses the running window instead of opening the store twice.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  keepCrashDumpsLocal();
  // Chromium fixes scheme privileges at start-up: this must run before 'ready'.
  registerAppScheme();
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (!desk) return;
    const closing = desk;
    desk = null;
    event.preventDefault();
    void closing.close().finally(() => app.quit());
  });
  start().catch((err: unknown) => {
    log.error('app.start-failed', { error: err instanceof Error ? `${err.name}: ${err.message}` : 'unknown' });
    dialog.showErrorBox('Kotozute', 'Kotozute を起動できませんでした。\nKotozute could not start.');
    app.exit(1);
  });
}
