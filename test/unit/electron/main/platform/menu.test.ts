import { beforeEach, describe, expect, it, vi } from 'vitest';
import { appMenuTemplate, installAppMenu, isRefusedKey, refuseReloadKeys, type KeyInput } from '../../../../../electron/main/platform/menu.js';
import * as fake from '../../../../support/fake-electron.js';

vi.mock('electron', () => import('../../../../support/fake-electron.js'));

beforeEach(() => fake.resetFake());

/** Every role anywhere in a menu template. */
function roles(items: readonly Record<string, unknown>[]): string[] {
  return items.flatMap((item) => [
    ...(typeof item.role === 'string' ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu as Record<string, unknown>[]) : []),
  ]);
}

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({ type: 'keyDown', key: k, code: '', control: false, meta: false, shift: false, alt: false, ...mods });

describe('the application menu', () => {
  it("replaces Electron's default menu with edit roles only: no reload, no devtools, no Help link", () => {
    installAppMenu('linux');
    const menu = fake.Menu.application;
    expect(menu).toBeTruthy();
    const all = roles(menu!.template);
    expect(all).toEqual(['editMenu', 'undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
    expect(JSON.stringify(menu!.template)).not.toMatch(/reload|toggleDevTools|help|electronjs|click/i);
  });

  it('on macOS keeps the app menu with Quit, and nothing that reloads', () => {
    const all = roles(appMenuTemplate('darwin') as unknown as Record<string, unknown>[]);
    expect(all).toContain('quit');
    expect(all).toContain('paste');
    expect(all.filter((r) => /reload|devtools|help|window/i.test(r))).toEqual([]);
  });
});

describe('keys on the desk page', () => {
  it('refuses every reload key, in development and packaged', () => {
    for (const packaged of [false, true]) {
      expect(isRefusedKey(key('r', { control: true }), packaged)).toBe(true);
      expect(isRefusedKey(key('R', { control: true, shift: true }), packaged)).toBe(true);
      expect(isRefusedKey(key('r', { meta: true }), packaged)).toBe(true);
      expect(isRefusedKey(key('R', { meta: true, shift: true }), packaged)).toBe(true);
      expect(isRefusedKey(key('F5'), packaged)).toBe(true);
      expect(isRefusedKey(key('F5', { shift: true }), packaged)).toBe(true);
      expect(isRefusedKey(key('F5', { control: true }), packaged)).toBe(true);
      // Another keyboard layout: the physical R key still reloads in Chromium.
      expect(isRefusedKey(key('к', { control: true, code: 'KeyR' }), packaged)).toBe(true);
    }
  });

  it('refuses the devtools toggles only when packaged', () => {
    const toggles = [key('F12'), key('I', { control: true, shift: true }), key('J', { control: true, shift: true }), key('ˆ', { meta: true, alt: true, code: 'KeyI' })];
    for (const input of toggles) {
      expect(isRefusedKey(input, true)).toBe(true);
      expect(isRefusedKey(input, false)).toBe(false);
    }
  });

  it('lets the desk its own keys and typing through', () => {
    for (const input of [key('r'), key('R', { shift: true }), key('F9'), key('c', { control: true }), key('v', { meta: true }), key('Enter'), key('i', { control: true })]) {
      expect(isRefusedKey(input, true), input.key).toBe(false);
    }
    expect(isRefusedKey({ ...key('F5'), type: 'keyUp' }, true)).toBe(false);
  });

  it('stops a refused key before the page sees it', () => {
    const page = new fake.BrowserWindow().webContents;
    refuseReloadKeys(page as never, true);
    expect(page.pressKey({ key: 'r', control: true })).toBe(false);
    expect(page.pressKey({ key: 'F5' })).toBe(false);
    expect(page.pressKey({ key: 'a' })).toBe(true);
  });
});
