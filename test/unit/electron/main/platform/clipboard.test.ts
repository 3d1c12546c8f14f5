/**
 * Note text on the system clipboard through Electron's clipboard (the fake module plays the OS
 * clipboard): written concealed for clipboard managers, cleared after 30 s only while it still holds
 * that text, and cleared on quit.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { concealedFormats, createElectronClipboard, osFormat } from '../../../../../electron/main/platform/clipboard.js';
import { createClipboardGuard } from '../../../../../electron/main/services/clipboard/clipboard-guard.js';
import { createLogger } from '../../../../../electron/main/services/log.js';
import * as fake from '../../../../support/fake-electron.js';

vi.mock('electron', () => import('../../../../support/fake-electron.js'));

const NOTE = '山田様 090-1234-5678 折り返し希望';

beforeEach(() => {
  fake.resetFake();
  vi.useFakeTimers();
  return () => vi.useRealTimers();
});

function guard(platform: NodeJS.Platform = 'linux', logLines: string[] = []) {
  return createClipboardGuard(createElectronClipboard(platform), { log: createLogger((l) => logLines.push(l)) });
}

describe('the Electron clipboard port', () => {
  it('writes the text and the concealed marker in one entry (Linux: x-kde-passwordManagerHint = secret)', async () => {
    await guard('linux').copy(NOTE);
    expect(await fake.clipboard.readText()).toBe(NOTE);
    expect(fake.clipboard.writes).toBe(1);
    expect(fake.clipboard.entry?.[osFormat('x-kde-passwordManagerHint')]).toBe('secret');
  });

  it('marks it for Windows (monitor exclusion, no history, no cloud) and macOS (ConcealedType)', async () => {
    await guard('win32').copy(NOTE);
    const win = fake.clipboard.entry!;
    expect(Object.keys(win).sort()).toEqual(
      ['text/plain', ...['CanIncludeInClipboardHistory', 'CanUploadToCloudClipboard', 'ExcludeClipboardContentFromMonitorProcessing'].map(osFormat)].sort(),
    );
    expect(new Uint8Array(await (win[osFormat('CanIncludeInClipboardHistory')] as Blob).arrayBuffer())).toEqual(new Uint8Array(4));
    await guard('darwin').copy(NOTE);
    expect(fake.clipboard.entry).toHaveProperty([osFormat('org.nspasteboard.ConcealedType')]);
    expect(Object.keys(concealedFormats('freebsd'))).toEqual([]);
  });
});

describe('the clipboard guard', () => {
  it('clears the clipboard 30 s after a copy while it still holds that text, and not before', async () => {
    const g = guard();
    expect(await g.copy(NOTE)).toBe(30_000);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(await fake.clipboard.readText()).toBe(NOTE);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fake.clipboard.entry).toBeNull();
  });

  it('leaves a newer copy from another program alone (compare, then clear)', async () => {
    await guard().copy(NOTE);
    fake.clipboard.copyElsewhere('from the mail program');
    await vi.advanceTimersByTimeAsync(31_000);
    expect(await fake.clipboard.readText()).toBe('from the mail program');
  });

  it('counts 30 s from the latest copy: an earlier copy’s timer does not clear a later one', async () => {
    const g = guard();
    await g.copy('first');
    await vi.advanceTimersByTimeAsync(20_000);
    await g.copy(NOTE);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(await fake.clipboard.readText()).toBe(NOTE);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fake.clipboard.entry).toBeNull();
  });

  it('clears at once on close (the app quits before the timer), unless something newer is there', async () => {
    const g = guard();
    await g.copy(NOTE);
    await g.close();
    expect(fake.clipboard.entry).toBeNull();
    const h = guard();
    await h.copy(NOTE);
    fake.clipboard.copyElsewhere('newer');
    await h.close();
    expect(await fake.clipboard.readText()).toBe('newer');
  });

  it('at End of day clears the desk\'s copy at once and says so, but leaves a newer copy from another program', async () => {
    const g = guard();
    await g.copy(NOTE);
    expect(await g.clearNow()).toBe(true);
    expect(fake.clipboard.entry).toBeNull();
    expect(await g.clearNow()).toBe(false);
    await g.copy(NOTE);
    fake.clipboard.copyElsewhere('newer');
    expect(await g.clearNow()).toBe(false);
    expect(await fake.clipboard.readText()).toBe('newer');
  });

  it('never logs the copied text', async () => {
    const lines: string[] = [];
    const g = guard('linux', lines);
    await g.copy(NOTE);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain('090-1234-5678');
  });
});
