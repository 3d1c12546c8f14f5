/**
 * An exported deletion record saved through the system's save dialog (the app's session refuses
 * downloads): offered under its own name in the default folder, written owner-only where the shift
 * lead chose, nothing written when they cancel.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFileSaver } from '../../../../../electron/main/platform/save-file.js';
import * as fake from '../../../../support/fake-electron.js';

vi.mock('electron', () => import('../../../../support/fake-electron.js'));

let dir: string;
beforeEach(() => {
  fake.resetFake();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kz-save-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('saving an exported record', () => {
  it('asks where, offering the file name in the default folder with its type, and writes it owner-only', async () => {
    const target = path.join(dir, 'chosen.html');
    fake.dialog.answer = { canceled: false, filePath: target };
    const window = new fake.FakeBrowserWindow({});
    const save = createFileSaver(() => window as never, () => dir);
    expect(await save('deletion-record-desk-01-000001.html', '<!doctype html><p>記録</p>')).toBe(true);
    expect(fake.dialog.asked).toHaveLength(1);
    expect(fake.dialog.asked[0]?.owner).toBe(window);
    expect(fake.dialog.asked[0]?.options.defaultPath).toBe(path.join(dir, 'deletion-record-desk-01-000001.html'));
    expect(fake.dialog.asked[0]?.options.filters?.[0]?.extensions).toEqual(['html']);
    expect(fs.readFileSync(target, 'utf8')).toBe('<!doctype html><p>記録</p>');
    if (process.platform !== 'win32') expect(fs.statSync(target).mode & 0o777).toBe(0o600);
  });

  it('writes nothing when the shift lead cancels', async () => {
    const save = createFileSaver(() => null, () => dir);
    expect(await save('deletion-record-desk-01-000001.json', '{}')).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('never lets the offered name climb out of the default folder', async () => {
    const save = createFileSaver(() => null, () => dir);
    await save('../../deletion-record-desk-01-000001.json', '{}');
    expect(fake.dialog.asked[0]?.options.defaultPath).toBe(path.join(dir, 'deletion-record-desk-01-000001.json'));
  });
});
