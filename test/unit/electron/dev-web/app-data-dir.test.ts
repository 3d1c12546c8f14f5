import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../../../electron/dev-web/app-data-dir.js';

describe('the default data folder', () => {
  it('follows XDG_CONFIG_HOME on Linux, else ~/.config', () => {
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/x/config' }, '/home/op')).toBe('/x/config/Kotozute');
    expect(defaultDataDir('linux', {}, '/home/op')).toBe('/home/op/.config/Kotozute');
    // A relative XDG_CONFIG_HOME is invalid per the XDG spec and ignored.
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: 'rel' }, '/home/op')).toBe('/home/op/.config/Kotozute');
  });

  it('uses Application Support on macOS', () => {
    expect(defaultDataDir('darwin', {}, '/Users/op')).toBe('/Users/op/Library/Application Support/Kotozute');
  });

  it('uses %APPDATA% on Windows', () => {
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\op\\AppData\\Roaming' }, 'C:\\Users\\op')).toBe(
      'C:\\Users\\op\\AppData\\Roaming\\Kotozute',
    );
  });
});
