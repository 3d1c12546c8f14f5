/**
 * The renderer's storage cleared through Electron's session API at End of day (issue 10 §1), against
 * the fake session: every storage kind the page may hold, then the HTTP cache and the code caches.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CLEARED_AREAS, createRendererStorageClearer } from '../../../../../electron/main/platform/renderer-storage.js';
import * as fake from '../../../../support/fake-electron.js';

vi.mock('electron', () => import('../../../../support/fake-electron.js'));

beforeEach(() => fake.resetFake());

describe('clearing the renderer storage', () => {
  it('clears local storage, IndexedDB, Cache Storage, service workers and the shader cache, then the HTTP and code caches', async () => {
    const session = fake.session.defaultSession;
    const areas = await createRendererStorageClearer(session)();
    expect(session.cleared).toEqual([
      'storage:localstorage',
      'storage:indexdb',
      'storage:cachestorage',
      'storage:serviceworkers',
      'storage:shadercache',
      'cache',
      'code-cache',
    ]);
    expect(areas).toBe(CLEARED_AREAS.length);
  });

  it('never clears everything blindly: the storages are always named (no call without a list)', async () => {
    const session = fake.session.defaultSession;
    await createRendererStorageClearer(session)();
    expect(session.cleared).not.toContain('storage:all');
  });

  it('rejects when the session refuses, so the clearance does not count what was not cleared', async () => {
    const session = fake.session.defaultSession;
    session.clearFails = new Error('profile busy');
    await expect(createRendererStorageClearer(session)()).rejects.toThrow('profile busy');
    expect(session.cleared).toEqual([]);
  });
});
