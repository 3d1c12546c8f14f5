/**
 * The desk's main window, locked down: an isolated, sandboxed renderer with no Node, the web
 * security model on, no spell-check service, devtools only in development, and content protection
 * so screen capture shows no notes.
 */
import { BrowserWindow, screen, type Rectangle } from 'electron';
import type { Logger } from '../services/log.js';
import { APP_ENTRY_URL } from './app-origin.js';
import { superviseDesk, type DeskFailure } from './desk-recovery.js';
import { refuseReloadKeys } from './menu.js';
import type { WindowState } from './window-state.js';

export interface MainWindowOptions {
  /** Absolute path of the bundled preload (dist/preload/index.cjs). */
  preloadPath: string;
  /** True only when not packaged. */
  devTools: boolean;
  state: WindowState;
  log: Logger;
  /** The page cannot be kept up (crash loop, failed loads): say why and quit (see desk-recovery.ts). */
  giveUp: (why: DeskFailure) => void;
}

const DEFAULT_SIZE = { width: 1280, height: 800 };
const MIN_SIZE = { minWidth: 960, minHeight: 600 };

/** Saved bounds are reused only if some display still shows part of them (a monitor may be gone). */
function visible(bounds: Rectangle | undefined): Rectangle | undefined {
  if (!bounds) return undefined;
  const overlaps = (a: Rectangle) =>
    bounds.x < a.x + a.width && a.x < bounds.x + bounds.width && bounds.y < a.y + a.height && a.y < bounds.y + bounds.height;
  return screen.getAllDisplays().some((d) => overlaps(d.workArea)) ? bounds : undefined;
}

export function createMainWindow({ preloadPath, devTools, state, log, giveUp }: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    ...(visible(state.bounds) ?? DEFAULT_SIZE),
    ...MIN_SIZE,
    title: 'Kotozute',
    show: false,
    // Written out here, not built by a helper, so that Electronegativity (npm run lint:electron)
    // reads every preference where the window is made.
    webPreferences: {
      // PRELOAD_JS_CHECK asks to review the preload: it is electron/preload/index.ts, sandboxed and
      // isolated, exposing one function per contract method and never ipcRenderer itself.
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // A middle click on a link would ask for a new window (refused anyway): the feature is off.
      disableBlinkFeatures: 'Auxclick',
      // Spell-check would send note text to a dictionary service and store words on disk.
      spellcheck: false,
      // A hidden desk (minimized, behind other windows) must still ring and keep its line: no timer
      // throttling in the background. (Animation frames may still stop: see renderer after-paint.ts.)
      backgroundThrottling: false,
      devTools,
    },
  });
  win.setContentProtection(true);
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => state.save(win.getNormalBounds(), win.isMaximized()));
  // A reload drops live calls and the line: no key reloads the desk (nor opens devtools when packaged).
  refuseReloadKeys(win.webContents, !devTools);
  superviseDesk(win.webContents, { log, giveUp });
  // A failure also arrives as 'did-fail-load', where superviseDesk retries once or gives up.
  win.loadURL(APP_ENTRY_URL).catch(() => undefined);
  return win;
}

/** Brings an existing desk window to the operator: restored, shown (it may be hidden) and focused. */
export function bringToFront(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}
