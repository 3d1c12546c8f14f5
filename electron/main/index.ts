/**
 * The Electron entry: wires the platform glue (window, protocol, security, IPC) around the desk
 * services. Everything durable and secret lives in the desk (services/, plain Node); this file
 * only decides paths and order.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, session, type WebContents } from 'electron';
import { createDispatch } from './api/dispatch.js';
import type { DeskFailure } from './platform/desk-recovery.js';
import { forwardPowerEvents, sendDeskEvent } from './platform/desk-events.js';
import { createElectronClipboard } from './platform/clipboard.js';
import { createRendererStorageClearer } from './platform/renderer-storage.js';
import { createFileSaver } from './platform/save-file.js';
import { registerApi } from './platform/ipc.js';
import { installAppMenu } from './platform/menu.js';
import { registerAppScheme, serveApp } from './platform/protocol.js';
import { hardenEveryWindow, hardenSession } from './platform/security.js';
import { refusedSwitches } from './platform/start-guard.js';
import { bringToFront, createMainWindow } from './platform/window.js';
import { openWindowState } from './platform/window-state.js';
import { createDesk, type Desk } from './services/desk.js';
import { createKeytarKeyStore } from './services/keychain.js';
import { createLogger, logLevelFromEnv, stderrSink, teeSinks } from './services/log.js';
import { openRotatingLog } from './services/log-file.js';

const APP_ID = 'jp.kotozute.desk';
// Every line redacted (services/log.ts); to stderr and to a size-capped rotating file in userData
// (logs/kotozute.log, services/log-file.ts). KOTOZUTE_LOG_LEVEL=debug for the most verbose.
const log = createLogger(teeSinks(stderrSink, openRotatingLog({ dir: path.join(app.getPath('userData'), 'logs') }).sink), logLevelFromEnv());

let mainWindow: BrowserWindow | null = null;
let desk: Desk | null = null;
/** True once the desk services and the API are up: only then may a window open. */
let ready = false;

function isOurWindow(contents: WebContents): boolean {
  return mainWindow !== null && !mainWindow.isDestroyed() && mainWindow.webContents === contents;
}

const GIVE_UP_TEXT: Record<DeskFailure, string> = {
  'crash-loop':
    'Kotozute の画面が短い間に何度も停止したため、終了します。もう一度起動してください。書きかけの伝言は自動保存から開き直せます。\n' +
    'The Kotozute window stopped several times in a short while, so Kotozute will close. Start it again; unfinished messages reopen from their autosave.',
  'load-failed':
    'Kotozute の画面を読み込めなかったため、終了します。もう一度起動してください。\n' +
    'The Kotozute window could not be loaded, so Kotozute will close. Start it again.',
};

/** The desk window cannot be kept up: say why, then quit (which closes the desk services, below). */
function giveUp(why: DeskFailure): void {
  log.error('app.give-up', { why });
  dialog.showErrorBox('Kotozute', GIVE_UP_TEXT[why]);
  app.quit();
}

function showMainWindow(): void {
  if (!ready) return; // still starting: the window opens when the desk is up
  if (mainWindow && !mainWindow.isDestroyed()) {
    bringToFront(mainWindow);
    return;
  }
  mainWindow = createMainWindow({
    preloadPath: path.join(import.meta.dirname, '..', 'preload', 'index.cjs'),
    devTools: !app.isPackaged,
    state: openWindowState(app.getPath('userData')),
    log,
    giveUp,
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
  hardenEveryWindow(app);
  await app.whenReady();

  installAppMenu();
  hardenSession(session.defaultSession);
  // Each load of the page gets a CSP naming the paired server (none while training).
  serveApp(path.join(app.getAppPath(), 'dist', 'renderer'), async () => (desk ? ((await desk.handlers.getLine(undefined)).profile?.server ?? null) : null));
  desk = await createDesk({
    dataDir: app.getPath('userData'),
    assetsDir: app.isPackaged ? path.join(process.resourcesPath, 'assets') : path.join(app.getAppPath(), 'assets'),
    keyStore: createKeytarKeyStore(),
    // Only the default profile adopts the keychain entries an installed desk made before namespacing.
    adoptLegacyKeychain: app.getPath('userData') === path.join(app.getPath('appData'), app.getName()),
    log,
    clipboard: createElectronClipboard(),
    // The floor board (issue 9) and anything else the services push go to the desk window's page.
    pushEvent: (event) => {
      sendDeskEvent(mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null, event, log);
    },
    // End of day (issue 10): the page's storage through the session API, then the page's own session storage.
    clearRendererStorage: async () => {
      const areas = await createRendererStorageClearer(session.defaultSession)();
      sendDeskEvent(mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null, { type: 'clear-page-storage' }, log);
      return areas;
    },
    saveFile: createFileSaver(
      () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : null),
      () => app.getPath('documents'),
    ),
  });
  registerApi(createDispatch(desk.handlers, log), isOurWindow, log);

  ready = true;
  showMainWindow();
  // powerMonitor is usable only once the app is ready. The page re-registers its SIP line on resume.
  // The OS locking its screen or sleeping turns the idle lock on (issue 11 §2), page or no page.
  const lockDesk = () => void Promise.resolve(desk?.handlers.lockDesk(undefined)).catch(() => undefined);
  forwardPowerEvents(() => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null), log, lockDesk);
}

const refused = app.isPackaged ? refusedSwitches(process.argv) : [];
if (refused.length > 0) {
  // Names only: a value could be anything.
  log.error('app.refused-switches', { switches: refused.map((a) => a.split('=')[0]).join(' ') });
  app.exit(2);
} else if (!app.requestSingleInstanceLock()) {
  // One desk per user: a second launch focuses the running window instead of opening the store twice.
  app.quit();
} else {
  // Registered before the awaited start-up, so a second launch during it is not lost on the floor.
  app.on('second-instance', showMainWindow);
  app.on('activate', showMainWindow);
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
