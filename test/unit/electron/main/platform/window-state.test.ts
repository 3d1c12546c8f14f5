import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openWindowState } from '../../../../../electron/main/platform/window-state.js';

// Runs before the imports above. electron-store imports the real 'electron' package, which (without its binary) would try to
// download Electron; this override makes it resolve to a path string instead, and electron-store
// then runs on plain `conf` with the absolute cwd the window state always passes.
vi.hoisted(() => {
  process.env.ELECTRON_OVERRIDE_DIST_PATH ??= '/nonexistent';
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kotozute-window-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('window state', () => {
  it('has no bounds the first time', () => {
    expect(openWindowState(dir)).toMatchObject({ bounds: undefined, maximized: false });
  });

  it('remembers bounds and the maximised state across restarts', () => {
    openWindowState(dir).save({ x: 10, y: 20, width: 1400, height: 900 }, true);
    expect(openWindowState(dir)).toMatchObject({ bounds: { x: 10, y: 20, width: 1400, height: 900 }, maximized: true });
  });

  it('ignores bounds that make no sense', () => {
    writeFileSync(path.join(dir, 'window-state.json'), JSON.stringify({ bounds: { x: 0, y: 0, width: -5, height: 'tall' } }));
    expect(openWindowState(dir).bounds).toBeUndefined();
  });

  it('starts fresh from a damaged file (window bounds are not worth refusing to start for)', () => {
    writeFileSync(path.join(dir, 'window-state.json'), '{ not json');
    expect(openWindowState(dir).bounds).toBeUndefined();
  });
});
