/**
 * The hardened shell: what the app's session and every web contents may do. Only the microphone
 * (audio, never video) and notifications are granted, and only to our own pages; device pickers
 * (HID, serial, USB, Bluetooth), downloads, navigation away, new windows and <webview> are refused.
 */
import type { Session, WebContents } from 'electron';
import { connectSourceOf, connectSrcDirective } from '../../../shared/line/connect-source.js';
import { APP_ORIGIN, isAppUrl } from './app-origin.js';

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

/** Permissions the desk needs besides the microphone: ringing needs a desktop notification. */
const GRANTED = new Set(['notifications']);

function isOurs(originOrUrl: string | undefined): boolean {
  return originOrUrl === APP_ORIGIN || isAppUrl(originOrUrl);
}

/** Audio capture only: a request that includes video (or names nothing) is refused whole. */
function isAudioOnly(mediaTypes: readonly string[] | undefined): boolean {
  return mediaTypes !== undefined && mediaTypes.length > 0 && mediaTypes.every((t) => t === 'audio');
}

/** Installs the permission, device and download policy on a session (the app's default one). */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    if (!isOurs(details.requestingUrl)) return callback(false);
    if (permission === 'media') return callback('mediaTypes' in details && isAudioOnly(details.mediaTypes));
    callback(GRANTED.has(permission));
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    if (!isOurs(requestingOrigin)) return false;
    if (permission === 'media') return details.mediaType === 'audio';
    return GRANTED.has(permission);
  });
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
}
