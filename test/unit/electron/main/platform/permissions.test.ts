/**
 * The permission handlers against the one table of what the renderer asks for
 * (shared/desk-permissions.ts): every permission Electron 45 can ask about (read from its own
 * typings) is granted exactly when the table grants it, only to our main frame, and refused
 * otherwise; and the renderer's source uses no permission-gated web API the table does not list.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { session } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { hardenSession } from '../../../../../electron/main/platform/security.js';
import { DESK_PERMISSIONS, GRANTED_DESK_PERMISSIONS, PLAYWRIGHT_GRANTS } from '../../../../../shared/desk-permissions.js';
import * as fake from '../../../../support/fake-electron.js';

vi.mock('electron', () => import('../../../../support/fake-electron.js'));

const REPO = path.resolve(import.meta.dirname, '../../../../..');
const PAGE = 'app://kotozute/index.html';
const ORIGIN = 'app://kotozute';

/** The permission names of a handler's `permission` parameter in node_modules/electron/electron.d.ts. */
function electronPermissions(handler: 'setPermissionRequestHandler' | 'setPermissionCheckHandler'): string[] {
  const dts = readFileSync(path.join(REPO, 'node_modules/electron/electron.d.ts'), 'utf8');
  const at = dts.indexOf(`${handler}(handler: ((`);
  expect(at, handler).toBeGreaterThan(0);
  const union = /permission: ((?:'[^']+'\s*\|?\s*)+)/.exec(dts.slice(at, at + 4000))?.[1] ?? '';
  return [...union.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

const REQUESTABLE = electronPermissions('setPermissionRequestHandler');
const CHECKABLE = electronPermissions('setPermissionCheckHandler');

/** Details that satisfy the table's extra condition (audio only for media). */
const goodRequest = (name: string) => (name === 'media' ? { requestingUrl: PAGE, mediaTypes: ['audio'] } : { requestingUrl: PAGE });
const goodCheck = (name: string) => (name === 'media' ? { requestingUrl: PAGE, mediaType: 'audio' } : { requestingUrl: PAGE });

beforeEach(() => {
  fake.resetFake();
  hardenSession(session.defaultSession as never);
});
const ses = () => fake.session.defaultSession;

describe('the permission table and the handlers', () => {
  it('reads Electron 45’s permission lists, and the table names only permissions Electron has', () => {
    expect(REQUESTABLE).toEqual(expect.arrayContaining(['media', 'notifications', 'local-network-access', 'local-network', 'loopback-network', 'speaker-selection']));
    expect(REQUESTABLE.length).toBeGreaterThan(40);
    for (const row of DESK_PERMISSIONS) expect(REQUESTABLE, row.name).toContain(row.name);
  });

  it.each(REQUESTABLE)('request handler: %s is granted to our page exactly when the table grants it', async (name) => {
    expect(await ses().requestPermission(name, goodRequest(name))).toBe(GRANTED_DESK_PERMISSIONS.has(name));
  });

  it.each(CHECKABLE)('check handler: %s is granted to our origin exactly when the table grants it', (name) => {
    expect(ses().checkPermission(name, ORIGIN, goodCheck(name))).toBe(GRANTED_DESK_PERMISSIONS.has(name));
  });

  it('grants the Local Network Access permissions for the SIP line, in both handlers', async () => {
    for (const name of ['local-network-access', 'local-network', 'loopback-network']) {
      expect(await ses().requestPermission(name, { requestingUrl: PAGE })).toBe(true);
      expect(ses().checkPermission(name, ORIGIN, { requestingUrl: PAGE })).toBe(true);
    }
  });

  it('refuses every granted permission to another origin, a look-alike origin and a sub-frame', async () => {
    for (const name of GRANTED_DESK_PERMISSIONS) {
      const media = name === 'media' ? { mediaTypes: ['audio'], mediaType: 'audio' } : {};
      expect(await ses().requestPermission(name, { ...media, requestingUrl: 'https://evil.example/' }), name).toBe(false);
      expect(await ses().requestPermission(name, { ...media, requestingUrl: 'app://kotozute.evil.example/' }), name).toBe(false);
      expect(await ses().requestPermission(name, { ...media, requestingUrl: PAGE, isMainFrame: false }), name).toBe(false);
      expect(ses().checkPermission(name, 'http://127.0.0.1:5173', media), name).toBe(false);
      expect(ses().checkPermission(name, ORIGIN, { ...media, isMainFrame: false }), name).toBe(false);
    }
  });

  it('refuses the clipboard to the page: note text is copied and cleared by the main process', async () => {
    for (const name of ['clipboard-read', 'clipboard-sanitized-write', 'deprecated-sync-clipboard-read']) {
      expect(await ses().requestPermission(name, { requestingUrl: PAGE })).toBe(false);
      expect(ses().checkPermission(name, ORIGIN)).toBe(false);
    }
  });

  it('has the e2e runs grant Chromium only what the handlers grant', () => {
    expect([...PLAYWRIGHT_GRANTS].sort()).toEqual(['local-network-access', 'microphone', 'notifications']);
    for (const row of DESK_PERMISSIONS) if (row.playwright !== null) expect(row.granted, row.name).toBe(true);
  });

  it('tells macOS why the desk reaches the local network (NSLocalNetworkUsageDescription), in Japanese and English', () => {
    const yml = readFileSync(path.join(REPO, 'electron-builder.yml'), 'utf8');
    expect(yml).toMatch(/^\s+NSLocalNetworkUsageDescription: ".*ローカルネットワーク.*local network.*"$/m);
  });

  it('names only renderer files that exist', () => {
    for (const row of DESK_PERMISSIONS) {
      for (const where of row.usedIn) {
        if (where.startsWith('sip.js')) continue;
        expect(existsSync(path.join(REPO, where.replace(/ \(.*\)$/, ''))), `${row.name}: ${where}`).toBe(true);
      }
    }
  });
});

/**
 * Web APIs that make Chromium ask for a permission, and the Electron permission each needs. A
 * renderer file that uses one needs its permission in the table (granted or deliberately refused).
 */
const GATED_APIS: { api: RegExp; needs: string[] }[] = [
  { api: /\bgetUserMedia\b/, needs: ['media'] },
  { api: /\benumerateDevices\b/, needs: ['media'] },
  { api: /\bNotification\b/, needs: ['notifications'] },
  { api: /\bsetSinkId\b|\bselectAudioOutput\b/, needs: ['speaker-selection'] },
  { api: /\bnew WebSocket\b|from 'sip\.js'/, needs: ['local-network-access', 'local-network', 'loopback-network'] },
  { api: /\bnavigator\.clipboard\b|\bclipboard\.read(?:Text)?\(/, needs: ['clipboard-read'] },
  { api: /\bnavigator\.clipboard\b|\bclipboard\.write(?:Text)?\(/, needs: ['clipboard-sanitized-write'] },
  { api: /\bgetDisplayMedia\b/, needs: ['display-capture'] },
  { api: /\bgeolocation\b/, needs: ['geolocation'] },
  { api: /\brequestFullscreen\b/, needs: ['fullscreen'] },
  { api: /\brequestPointerLock\b/, needs: ['pointerLock'] },
  { api: /\bwakeLock\b/, needs: ['screen-wake-lock'] },
  { api: /\bnavigator\.(?:hid|usb|serial|bluetooth)\b/, needs: ['hid'] },
  { api: /\bshow(?:Open|Save)FilePicker\b|\bshowDirectoryPicker\b/, needs: ['fileSystem'] },
  { api: /\brequestMIDIAccess\b/, needs: ['midi'] },
  { api: /\bIdleDetector\b/, needs: ['idle-detection'] },
  { api: /\bstorage\.persist\(/, needs: ['persistent-storage'] },
  { api: /\bqueryLocalFonts\b/, needs: ['local-fonts'] },
  { api: /\bgetScreenDetails\b/, needs: ['window-management'] },
  { api: /\bkeyboard\.lock\(/, needs: ['keyboardLock'] },
];

function rendererSources(dir = path.join(REPO, 'renderer/src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return rendererSources(full);
    return /\.(ts|tsx)$/.test(e.name) ? [full] : [];
  });
}

/** Code only: comments may name an API without using it. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('the renderer’s use of permission-gated web APIs', () => {
  const listed = new Set<string>(DESK_PERMISSIONS.map((p) => p.name));
  const uses = rendererSources().flatMap((file) => {
    const code = withoutComments(readFileSync(file, 'utf8'));
    return GATED_APIS.filter((g) => g.api.test(code)).flatMap((g) => g.needs.map((needs) => ({ file: path.relative(REPO, file), needs })));
  });

  it('finds the ones the desk is known to use (the scan works)', () => {
    const found = new Set(uses.map((u) => u.needs));
    for (const name of ['media', 'notifications', 'speaker-selection', 'local-network-access', 'clipboard-read']) expect(found, name).toContain(name);
  });

  it('uses none the table does not list', () => {
    const missing = uses.filter((u) => !listed.has(u.needs)).map((u) => `${u.file} needs ${u.needs}`);
    expect(missing).toEqual([]);
  });

  it('lists each use in the row’s usedIn', () => {
    for (const { file, needs } of uses) {
      const row = DESK_PERMISSIONS.find((p) => p.name === needs)!;
      if (needs.endsWith('network') || needs === 'local-network-access') continue; // every sip.js module: the row names the transport
      expect(row.usedIn.map((u) => u.replace(/ \(.*\)$/, '')), `${file} (${needs})`).toContain(file);
    }
  });
});
