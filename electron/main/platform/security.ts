/**
 * The hardened shell: what the app's session and every web contents may do. Permissions are granted
 * from one table (shared/desk-permissions.ts: the microphone for audio only, notifications, output
 * device choice, Local Network Access for the SIP line), only to our own pages; device pickers
 * (HID, serial, USB, Bluetooth), downloads, navigation away, new windows and <webview> are refused.
 *
 * No print, no export (DESIGN.md §5, issue 11 §2), refused here in the main process for every web
 * contents, not only by the renderer (notes/note-guard.ts): `webContents.print` and `printToPDF` (of
 * the page and of each of its frames) refuse, so no main-process code can print or export a page,
 * and Ctrl/Cmd+P never reaches any page. What Electron 45 does not let the main process refuse is a
 * page's own `window.print()` (no event or permission guards it: electron/electron#13166, #32925): the
 * renderer blocks that one, and the app's session refuses every download ("Save as").
 *
 * Screen capture: every window gets content protection (Windows: excluded from capture via
 * WDA_EXCLUDEFROMCAPTURE; macOS: NSWindowSharingNone). Linux has no such facility: Electron does
 * nothing there, see README "Screen capture".
 */
import type { App, BrowserWindow, Input, Session, WebContents, WebFrameMain } from 'electron';
import { connectSourceOf, connectSrcDirective } from '../../../shared/line/connect-source.js';
import { isAppUrl } from './app-origin.js';
import { installPermissionHandlers } from './permissions.js';

/**
 * The Content-Security-Policy sent with every page of the app protocol: no remote origins, no
 * inline script, no plugins, nothing may frame us. Media may play our bundled sounds and the
 * call's own streams. The SIP line's WebSocket may reach only the paired server's origin
 * (shared/line/connect-source.ts); an unpaired desk (training) may open none. A document keeps the
 * policy it loaded with: the page reloads after a pairing moves it to another server.
 */
export function contentSecurityPolicy(lineServer: string | null): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    connectSrcDirective([connectSourceOf(lineServer)]),
    "media-src 'self' blob: mediastream:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The policy with no line: for refusals and anything that is not a document. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy(null);

/** Installs the permission, device and download policy on a session (the app's default one). */
export function hardenSession(ses: Session): void {
  // What the renderer may ask for is one table (shared/desk-permissions.ts); see permissions.ts.
  installPermissionHandlers(ses);
  // USB media and other devices are banned at the desk; the UI gets no way to reach them.
  ses.setDevicePermissionHandler(() => false);
  ses.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback(null);
  });
  ses.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  // No file export of notes: nothing the page does may save a file.
  ses.on('will-download', (event) => event.preventDefault());
}

/** Keeps a web contents on our pages: no navigation away, no new windows, no webviews. */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  // Links in scripts open nothing — not even the system browser, which would leak the URL's query.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    callback('');
  });
  refusePrinting(contents);
}

/** What a refused print or export says (to main-process code that tries; nothing reaches the page). */
export const PRINT_REFUSED = 'Printing and export are refused on this desk (no print or export of notes).';

/** Ctrl/Cmd+P (with or without Shift/Alt): the print keys, by letter or by physical key. */
export function isPrintKey(input: Pick<Input, 'type' | 'key' | 'code' | 'control' | 'meta'>): boolean {
  if (input.type !== 'keyDown' && input.type !== 'rawKeyDown') return false;
  return (input.control || input.meta) && (input.key.toLowerCase() === 'p' || input.code === 'KeyP');
}

function refuseFramePrinting(frame: WebFrameMain | null): void {
  if (!frame) return;
  frame.printToPDF = () => Promise.reject(new Error(PRINT_REFUSED));
}

/** Print and print-to-PDF refused on a web contents and every frame it creates; the print keys swallowed. */
export function refusePrinting(contents: WebContents): void {
  contents.print = (_options, callback) => {
    callback?.(false, PRINT_REFUSED);
  };
  contents.printToPDF = () => Promise.reject(new Error(PRINT_REFUSED));
  refuseFramePrinting(contents.mainFrame);
  contents.on('frame-created', (_event, details) => refuseFramePrinting(details.frame));
  contents.on('before-input-event', (event, input) => {
    if (isPrintKey(input)) event.preventDefault();
  });
}

/**
 * The rules for every window and web contents the app will ever make, installed once before the
 * first window: each web contents is hardened (hardenWebContents, printing refused) and each window
 * gets content protection, whoever creates it.
 */
export function hardenEveryWindow(app: Pick<App, 'on'>): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('browser-window-created', (_event, window: BrowserWindow) => window.setContentProtection(true));
}
