/**
 * What the operator's keys may do to the desk window itself. Electron's default application menu
 * reloads the page on Ctrl/Cmd+R (dropping live calls and the SIP line) and opens electronjs.org
 * from Help; the desk replaces it with a menu of edit roles only, and refuses the reload keys (and,
 * when packaged, the devtools toggles) before the page sees them, whatever menu is live.
 */
import { Menu, type Input, type MenuItemConstructorOptions, type WebContents } from 'electron';

const EDIT_ROLES: MenuItemConstructorOptions[] = [
  { role: 'undo' },
  { role: 'redo' },
  { type: 'separator' },
  { role: 'cut' },
  { role: 'copy' },
  { role: 'paste' },
  { role: 'selectAll' },
];

/** The menu template: the edit roles (so copy and paste keep their keys), and on macOS the app menu with Quit. */
export function appMenuTemplate(platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const edit: MenuItemConstructorOptions = { role: 'editMenu', submenu: EDIT_ROLES };
  if (platform !== 'darwin') return [edit];
  return [{ role: 'appMenu', submenu: [{ role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] }, edit];
}

/** Replaces Electron's default menu (reload, devtools, Help → electronjs.org). Once the app is ready. */
export function installAppMenu(platform: NodeJS.Platform = process.platform): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(platform)));
}

/** The part of Electron's `Input` the key rule reads. */
export type KeyInput = Pick<Input, 'type' | 'key' | 'code' | 'control' | 'meta' | 'shift' | 'alt'>;

/**
 * True for a key the desk refuses: reload (Ctrl/Cmd+R, Ctrl/Cmd+Shift+R, F5, Shift/Ctrl+F5) always;
 * the devtools toggles (F12, Ctrl+Shift+I/J/C, Cmd+Alt+I/J/C) when `packaged`.
 */
export function isRefusedKey(input: KeyInput, packaged: boolean): boolean {
  if (input.type !== 'keyDown') return false;
  // The physical key too: with Alt (macOS Option) or another layout, `key` is some other character.
  const is = (letter: string) => input.key.toLowerCase() === letter || input.code === `Key${letter.toUpperCase()}`;
  const command = input.control || input.meta;
  if (input.key === 'F5' || input.code === 'F5') return true;
  if (command && is('r')) return true;
  if (!packaged) return false;
  if (input.key === 'F12' || input.code === 'F12') return true;
  const devToolsLetter = is('i') || is('j') || is('c');
  return devToolsLetter && ((input.control && input.shift) || (input.meta && input.alt));
}

/** Installs the key rule on the desk window's page. */
export function refuseReloadKeys(contents: WebContents, packaged: boolean): void {
  contents.on('before-input-event', (event, input) => {
    if (isRefusedKey(input, packaged)) event.preventDefault();
  });
}
