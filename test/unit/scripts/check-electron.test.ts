import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkElectron, locateElectron } from '../../../scripts/check-electron.mjs';

const DIR = '/repo/node_modules/electron';
const BINARY = path.join(DIR, 'dist', 'electron');

/** A node_modules/electron with the given files (path → content). */
function disk(files: Record<string, string>) {
  return {
    exists: (p: string) => p in files,
    read: (p: string) => files[p] ?? null,
  };
}

const fetched = { [path.join(DIR, 'path.txt')]: 'electron', [BINARY]: '' };
const neverFetch = () => {
  throw new Error('must not fetch');
};

describe('npm start checks for the Electron binary before building', () => {
  it('starts at once when the binary was fetched before', () => {
    expect(checkElectron({ electronDir: DIR, version: '45.5.0', env: {}, ...disk(fetched), fetch: neverFetch })).toBeNull();
  });

  it('uses ELECTRON_OVERRIDE_DIST_PATH as the electron package does, and says so in one line when it holds no binary', () => {
    const env = { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' };
    expect(locateElectron({ electronDir: DIR, env, ...disk({ '/opt/electron/electron': '' }) })).toEqual({
      state: 'found',
      binary: '/opt/electron/electron',
    });
    const line = checkElectron({ electronDir: DIR, version: '45.5.0', env, ...disk(fetched), fetch: neverFetch });
    expect(line).toContain('ELECTRON_OVERRIDE_DIST_PATH');
    expect(line).toContain('/opt/electron/electron');
    expect(line).toContain('npm run dev:web');
    expect(line).not.toContain('\n');
  });

  it('fetches a missing binary first, and starts when the fetch brought it', () => {
    const files: Record<string, string> = {};
    const line = checkElectron({
      electronDir: DIR,
      version: '45.5.0',
      env: {},
      ...disk(files),
      fetch: () => {
        Object.assign(files, fetched);
        return { ok: true, output: '' };
      },
    });
    expect(line).toBeNull();
  });

  it('turns a failed fetch into one line naming its cause and what to do, not a stack trace', () => {
    const stack = 'Downloading Electron binary...\nRequestError: getaddrinfo ENOTFOUND github.com\n    at ClientRequest.<anonymous> (got/index.js:1:1)\n';
    const line = checkElectron({ electronDir: DIR, version: '45.5.0', env: {}, ...disk({}), fetch: () => ({ ok: false, output: stack }) });
    expect(line).toContain('Electron 45.5.0 could not be fetched (RequestError: getaddrinfo ENOTFOUND github.com)');
    for (const way of ['ELECTRON_MIRROR', 'ELECTRON_OVERRIDE_DIST_PATH', 'npm run dev:web']) expect(line).toContain(way);
    expect(line).not.toContain('\n');
    expect(line).not.toContain(' at ');
  });

  it('says so when the electron package itself is not installed', () => {
    expect(checkElectron({ electronDir: null, version: null, env: {}, ...disk({}), fetch: neverFetch })).toContain('npm install');
  });
});
