/**
 * The desk package's contents and fuses, checked against electron-builder.yml with electron-builder's
 * own file matcher (app-builder-lib), so a rule that stops excluding something fails here rather
 * than in a shipped installer.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repo = path.resolve(import.meta.dirname, '..', '..');
const config = parse(readFileSync(path.join(repo, 'electron-builder.yml'), 'utf8')) as {
  files: string[];
  extraResources: { from: string; to: string; filter?: string[] }[];
  electronFuses: Record<string, boolean>;
  asarUnpack: string[];
};

interface Stat {
  isDirectory(): boolean;
  moduleFullFilePath?: string;
}
type Filter = (file: string, stat: Stat) => boolean;
interface FileMatcherModule {
  FileMatcher: new (from: string, to: string, expand: (s: string) => string, patterns?: string[]) => { createFilter(): Filter };
  getNodeModuleFileMatcher(
    appDir: string,
    destination: string,
    expand: (s: string) => string,
    platformOptions: object,
    packager: object,
  ): { createFilter(): Filter };
}

const require = createRequire(import.meta.url);
const builderLib = path.dirname(require.resolve('app-builder-lib/package.json', { paths: [require.resolve('electron-builder')] }));
const { FileMatcher, getNodeModuleFileMatcher } = require(path.join(builderLib, 'out', 'fileMatcher.js')) as FileMatcherModule;

const same = (s: string) => s;
const file: Stat = { isDirectory: () => false };
const APP = '/build/app';
const OUT = '/build/out/resources/app';

/** Whether the app's `files` rules copy `relative` (a path in the project) into the asar. */
function shipsAppFile(relative: string): boolean {
  return new FileMatcher(APP, OUT, same, config.files).createFilter()(path.join(APP, relative), file);
}

/** Whether electron-builder copies `relative` (node_modules/…) from a production dependency. */
function shipsModuleFile(relative: string): boolean {
  const matcher = getNodeModuleFileMatcher(APP, OUT, same, {}, { config, debugLogger: { isEnabled: false } });
  return matcher.createFilter()(path.join(APP, relative), { ...file, moduleFullFilePath: relative });
}

/** Whether the `assets` extra resource copies `relative` (a path under assets/). */
function shipsAsset(relative: string): boolean {
  const assets = config.extraResources.find((r) => r.from === 'assets');
  if (!assets) return false;
  return new FileMatcher(path.join(APP, 'assets'), '/build/out/resources/assets', same, assets.filter).createFilter()(
    path.join(APP, 'assets', relative),
    file,
  );
}

describe('the desk package', () => {
  it('ships the bundled main process, preload and renderer', () => {
    expect(shipsAppFile('dist/main/index.js')).toBe(true);
    expect(shipsAppFile('dist/preload/index.cjs')).toBe(true);
    expect(shipsAppFile('dist/renderer/index.html')).toBe(true);
  });

  it('leaves out the admin CLI, source maps and development code', () => {
    expect(shipsAppFile('dist/admin/cli.js')).toBe(false);
    expect(shipsAppFile('dist/main/index.js.map')).toBe(false);
    expect(shipsAppFile('electron/dev-web/server.ts')).toBe(false);
  });

  it('ships the training sample and its public key, never the demo admin private key', () => {
    expect(shipsAsset('training/sample-directory.kzdir')).toBe(true);
    expect(shipsAsset('training/demo-admin.pub')).toBe(true);
    expect(shipsAsset('training/demo-admin.key')).toBe(false);
  });

  it('copies keytar (a native module) but no dependency that is already bundled', () => {
    expect(shipsModuleFile('node_modules/keytar/lib/keytar.js')).toBe(true);
    expect(shipsModuleFile('node_modules/keytar/build/Release/keytar.node')).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/keytar/**/*.node');
    for (const bundled of ['react/index.js', 'sip.js/package.json', 'zod/index.js', '@scope/pkg/index.js', 'keytar-other/index.js']) {
      expect(shipsModuleFile(`node_modules/${bundled}`), bundled).toBe(false);
    }
    expect(shipsModuleFile('node_modules/keytar/node_modules/prebuild-install/index.js')).toBe(false);
  });

  it('burns the fuses that close the binary side doors, file:// privileges included', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
