/**
 * Every permission the renderer's code asks Chromium for, in one table: what it is for, where it is
 * used, and whether the desk's session grants it. The Electron permission handlers
 * (electron/main/platform/permissions.ts) grant exactly the `granted` rows, only to our own app
 * origin's main frame; the end-to-end runs grant Chromium exactly the rows' `playwright` names
 * (test/e2e/support/permissions.ts); and a unit test scans renderer/src for the web APIs that need a
 * permission and fails when one is used that this table does not list.
 *
 * A new web API that needs a permission is therefore a change here first, reviewed as such.
 */

/** Electron's names for the permissions below (a subset of Electron 45's permission union). */
export type DeskPermissionName =
  | 'media'
  | 'notifications'
  | 'speaker-selection'
  | 'local-network-access'
  | 'local-network'
  | 'loopback-network'
  | 'clipboard-read'
  | 'clipboard-sanitized-write';

export interface DeskPermission {
  /** The permission as Electron's setPermissionRequestHandler / setPermissionCheckHandler name it. */
  name: DeskPermissionName;
  /** Whether the desk's session grants it (to app://kotozute's main frame only). */
  granted: boolean;
  /** Further conditions on the grant. */
  condition: 'app-origin' | 'app-origin, audio only';
  why: string;
  /** Renderer files whose code leads Chromium to ask for it. */
  usedIn: readonly string[];
  /** Playwright's name for the same grant in the dev-web e2e runs; null when it needs none there. */
  playwright: string | null;
}

export const DESK_PERMISSIONS: readonly DeskPermission[] = [
  {
    name: 'media',
    granted: true,
    condition: 'app-origin, audio only',
    why: 'The operator speaks on the call (getUserMedia, audio only; a request naming video is refused whole) and picks a microphone (enumerateDevices labels).',
    usedIn: ['renderer/src/line/microphone.ts', 'renderer/src/calls/audio-devices.ts', 'sip.js (getLocalMediaStream)'],
    playwright: 'microphone',
  },
  {
    name: 'notifications',
    granted: true,
    condition: 'app-origin',
    why: 'A ringing call shows a desktop notification, so an operator in another window sees it.',
    usedIn: ['renderer/src/calls/call-notification.ts'],
    playwright: 'notifications',
  },
  {
    name: 'speaker-selection',
    granted: true,
    condition: 'app-origin',
    why:
      'The ringtone, the call audio and a supervisor\'s monitor audio go to the output chosen in Settings (HTMLMediaElement.setSinkId). ' +
      'Chromium authorises a non-default output through the microphone grant today; it is granted as well so a ' +
      'Chromium that gates output selection on speaker-selection does not silently ring on the default device.',
    usedIn: ['renderer/src/calls/ringtone.ts', 'renderer/src/calls/remote-audio.tsx', 'renderer/src/calls/audio-devices.ts', 'renderer/src/floor/monitor-panel.tsx'],
    // Playwright has no name for it; Chromium at http://127.0.0.1 does not ask for it.
    playwright: null,
  },
  {
    name: 'local-network-access',
    granted: true,
    condition: 'app-origin',
    why:
      "The SIP line's WebSocket (sip.js) to the paired server: since Electron 43 a page of a non-local origin " +
      '(app://) needs Local Network Access to open a connection to a private (office LAN PBX) or loopback address. ' +
      "The permission's details do not name the target, so the grant is our origin's; where the page may " +
      "connect at all is the CSP's connect-src (platform/security.ts).",
    usedIn: ['renderer/src/line/line.ts', 'sip.js (WebSocket transport)'],
    // Playwright's 'local-network-access' grants all three Chromium permissions.
    playwright: 'local-network-access',
  },
  {
    name: 'local-network',
    granted: true,
    condition: 'app-origin',
    why: 'The finer-grained Local Network Access permission for private (LAN) addresses: the office PBX.',
    usedIn: ['renderer/src/line/line.ts', 'sip.js (WebSocket transport)'],
    playwright: null,
  },
  {
    name: 'loopback-network',
    granted: true,
    condition: 'app-origin',
    why: 'The finer-grained Local Network Access permission for loopback: a PBX or proxy on this computer (ws://127.0.0.1).',
    usedIn: ['renderer/src/line/line.ts', 'sip.js (WebSocket transport)'],
    playwright: null,
  },
  {
    name: 'clipboard-read',
    granted: false,
    condition: 'app-origin',
    why:
      'Refused. Only the dev-web build asks (the 30 s clear of a copied note compares first); the desktop app ' +
      'copies and clears note text in the main process (copyNoteText), so no page ever reads the clipboard.',
    usedIn: ['renderer/src/notes/note-guard.ts (dev-web build only)'],
    playwright: null,
  },
  {
    name: 'clipboard-sanitized-write',
    granted: false,
    condition: 'app-origin',
    why: 'Refused, as clipboard-read: the desktop app writes the clipboard from the main process, concealed.',
    usedIn: ['renderer/src/notes/note-guard.ts (dev-web build only)'],
    playwright: null,
  },
];

/** The rows the desk's session grants. */
export const GRANTED_DESK_PERMISSIONS: ReadonlySet<string> = new Set(DESK_PERMISSIONS.filter((p) => p.granted).map((p) => p.name));

/** What the e2e runs grant Chromium: the granted rows' Playwright names, nothing else. */
export const PLAYWRIGHT_GRANTS: readonly string[] = [
  ...new Set(DESK_PERMISSIONS.filter((p) => p.granted && p.playwright !== null).map((p) => p.playwright!)),
];
