import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Settings } from '../../../../../shared/ipc/contract.js';
import { openSettingsStore } from '../../../../../electron/main/services/settings-store.js';

let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-settings-'));
  file = path.join(dir, 'settings.json');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('settings store', () => {
  it('starts in Japanese with no warning on a fresh machine', () => {
    const { settings, warning } = openSettingsStore({ dir });
    expect(settings.get()).toEqual({ locale: 'ja' });
    expect(warning).toBeNull();
  });

  it('remembers a changed language across restarts, in a private file', () => {
    expect(openSettingsStore({ dir }).settings.update({ locale: 'en' })).toEqual({ locale: 'en' });
    const again = openSettingsStore({ dir });
    expect(again.settings.get()).toEqual({ locale: 'en' });
    expect(again.warning).toBeNull();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses an invalid patch and leaves what was stored alone', () => {
    const { settings } = openSettingsStore({ dir });
    settings.update({ locale: 'en' });
    const before = fs.readFileSync(file, 'utf8');
    expect(() => settings.update({ locale: 'fr' } as unknown as Partial<Settings>)).toThrow(/locale/);
    expect(settings.get()).toEqual({ locale: 'en' });
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });

  it('hands out copies, so a caller cannot change the settings behind the store', () => {
    const { settings } = openSettingsStore({ dir });
    const copy = settings.get();
    copy.locale = 'en';
    expect(settings.get()).toEqual({ locale: 'ja' });
  });

  it('moves a settings file that is not JSON aside, warns, and uses the defaults', () => {
    fs.writeFileSync(file, '{"locale": "en"');
    const { settings, warning } = openSettingsStore({ dir });
    expect(warning).toMatch(/could not be read and was moved to .*settings\.corrupt-.*\.json/);
    expect(settings.get()).toEqual({ locale: 'ja' });
    const kept = fs.readdirSync(dir).filter((f) => f.startsWith('settings.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, kept[0] ?? ''), 'utf8')).toBe('{"locale": "en"');
  });

  it('moves aside a settings file that is a FIFO or over 1 MB instead of waiting on it or reading it all', () => {
    execFileSync('mkfifo', [file]);
    const fromFifo = openSettingsStore({ dir });
    expect(fromFifo.warning).toMatch(/could not be read and was moved to/);
    expect(fromFifo.settings.get()).toEqual({ locale: 'ja' });
    expect(fs.existsSync(file)).toBe(false);
    fs.writeFileSync(file, `{"locale":"en","pad":"${'x'.repeat(1024 * 1024)}"}`);
    const big = openSettingsStore({ dir });
    expect(big.warning).toMatch(/could not be read and was moved to/);
    expect(big.settings.get()).toEqual({ locale: 'ja' });
  });

  it('falls back to the default for a value it does not understand, naming it, and keeps other keys', () => {
    fs.writeFileSync(file, JSON.stringify({ locale: 'klingon', windowSize: { width: 1200, height: 800 } }));
    const { settings, warning } = openSettingsStore({ dir });
    expect(warning).toMatch(/locale/);
    expect(settings.get()).toEqual({ locale: 'ja' });

    settings.update({ locale: 'en' });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ locale: 'en', windowSize: { width: 1200, height: 800 } });
  });
});
