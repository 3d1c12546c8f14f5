// Proves that eslint.config.js enforces DESIGN.md §6: each snippet is linted as if it lived at the
// given path (the file need not exist), so the rules are tested exactly as `npm run lint` applies them.
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
let eslint: ESLint;

// The first lint loads the config, typescript-eslint and the React plugin: seconds on a busy 2-core
// machine, so it happens here, under a generous timeout, rather than inside the first test.
beforeAll(async () => {
  eslint = new ESLint({ cwd: root });
  await eslint.lintText('export {};\n', { filePath: path.join(root, 'renderer/src/warm-up.tsx') });
}, 60_000);

async function lint(filePath: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  if (result === undefined) throw new Error(`ESLint returned no result for ${filePath}`);
  return result.messages;
}

function layeringErrors(messages: Linter.LintMessage[]): string[] {
  return messages.filter((m) => m.severity === 2 && m.message.includes('Bad layering:')).map((m) => m.message);
}

describe('shared/ imports only shared/ and zod, and uses no Node or DOM globals', () => {
  it.each([
    ['a Node built-in with the node: prefix', 'shared/directory/x.ts', "import fs from 'node:fs';\nexport const f = fs;"],
    ['a bare Node built-in', 'shared/text/x.ts', "import { createHash } from 'crypto';\nexport const h = createHash;"],
    ['a file in electron/ one level up', 'shared/x.ts', "export { log } from '../electron/main/services/log.js';"],
    ['a file in electron/ two levels up', 'shared/directory/x.ts', "import '../../electron/main/api/dispatch.js';"],
    ['a file in renderer/', 'shared/ipc/x.ts', "import type { X } from '../../renderer/src/app.js';\nexport type Y = X;"],
    ['react', 'shared/directory/x.ts', "import { useState } from 'react';\nexport const u = useState;"],
    ['electron', 'shared/ipc/x.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;"],
    ['a package other than zod', 'shared/text/x.ts', "import { marked } from 'marked';\nexport const m = marked;"],
    ['a dynamic import of a built-in', 'shared/x.ts', "export const load = () => import('node:path');"],
    ['the window global', 'shared/directory/x.ts', 'export const width = (): number => window.innerWidth;'],
    ['the localStorage global', 'shared/x.ts', "export const get = (): string | null => localStorage.getItem('k');"],
    ['the navigator global', 'shared/x.ts', 'export const lang = (): string => navigator.language;'],
    ['the process global', 'shared/text/x.ts', "export const env = (): string | undefined => process.env['X'];"],
  ])('refuses %s', async (_what, filePath, code) => {
    expect(layeringErrors(await lint(filePath, code))).not.toEqual([]);
  });

  it.each([
    ['zod', 'shared/directory/x.ts', "import { z } from 'zod';\nexport const s = z.string();"],
    ['a zod subpath', 'shared/x.ts', "import { z } from 'zod/v4';\nexport const s = z.string();"],
    ['a sibling folder inside shared/', 'shared/directory/x.ts', "export { foldForSearch } from '../text/fold.js';"],
    ['a file in the same folder', 'shared/ipc/x.ts', "export { ApiError } from './errors.js';"],
  ])('allows %s', async (_what, filePath, code) => {
    expect(layeringErrors(await lint(filePath, code))).toEqual([]);
  });

  it('says which layer rule was broken and why', async () => {
    const [message] = layeringErrors(await lint('shared/x.ts', "import fs from 'node:fs';\nexport const f = fs;"));
    expect(message).toMatch(/^Bad layering: .*node:fs.*shared\//);
  });
});

describe('renderer/ never reaches electron/ or Node', () => {
  it.each([
    ['the electron package', 'renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;"],
    ['a main-process file', 'renderer/src/x.ts', "export { log } from '../../electron/main/x.js';"],
    ['a preload file from deeper down', 'renderer/src/desk/x.tsx', "import '../../../electron/preload/index.js';"],
    ['a bare Node built-in', 'renderer/src/x.ts', "import fs from 'fs';\nexport const f = fs;"],
    ['fs/promises', 'renderer/src/x.ts', "import { readFile } from 'fs/promises';\nexport const r = readFile;"],
    ['a node: built-in through require()', 'renderer/src/x.ts', "export const os = require('node:os') as unknown;"],
    ['a Node-only package', 'renderer/src/x.ts', "import Store from 'electron-store';\nexport const s = Store;"],
    ['the keychain package', 'renderer/src/x.ts', "export const k = () => import('keytar');"],
    ['the process global', 'renderer/src/x.ts', "export const env = (): string | undefined => process.env['X'];"],
  ])('refuses %s', async (_what, filePath, code) => {
    expect(layeringErrors(await lint(filePath, code))).not.toEqual([]);
  });

  it.each([
    ['shared/', 'renderer/src/x.ts', "export { contract } from '../../shared/ipc/contract.js';"],
    ['react and i18next', 'renderer/src/x.tsx', "import { useState } from 'react';\nimport i18next from 'i18next';\nexport const a = [useState, i18next];"],
    ['DOM globals', 'renderer/src/x.ts', 'export const width = (): number => window.innerWidth;'],
  ])('allows %s', async (_what, filePath, code) => {
    expect(layeringErrors(await lint(filePath, code))).toEqual([]);
  });

  it('leaves the Vite config (Node code) alone', async () => {
    const code = "import path from 'node:path';\nexport default { root: path.resolve('.') };";
    expect(layeringErrors(await lint('renderer/vite.config.ts', code))).toEqual([]);
  });
});

describe("only the Electron platform layer imports 'electron'", () => {
  it.each([
    ['a service importing electron', 'electron/main/services/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['a service importing electron-store', 'electron/main/services/x.ts', "import Store from 'electron-store';\nexport const s = Store;"],
    ['a service importing electron dynamically', 'electron/main/services/x.ts', "export const e = () => import('electron');"],
    ['a service re-exporting electron', 'electron/main/services/x.ts', "export { shell } from 'electron';"],
    ['a service importing the platform layer', 'electron/main/services/x.ts', "export { openWindow } from '../platform/window.js';"],
    ['a service importing index.ts', 'electron/main/services/x.ts', "import '../index.js';"],
    ['the API layer importing electron', 'electron/main/api/x.ts', "import { ipcMain } from 'electron';\nexport const i = ipcMain;"],
    ['the admin CLI importing electron', 'electron/admin/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['dev-web importing electron', 'electron/dev-web/x.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['dev-web importing the renderer', 'electron/dev-web/x.ts', "export { App } from '../../renderer/src/app.js';"],
    ['a service using a DOM global', 'electron/main/services/x.ts', "export const d = (): unknown => document.title;"],
    ['the platform layer importing the renderer', 'electron/main/platform/x.ts', "import '../../../renderer/src/main.js';"],
  ])('refuses %s', async (_what, filePath, code) => {
    expect(layeringErrors(await lint(filePath, code))).not.toEqual([]);
  });

  it.each([
    ['the platform layer importing electron', 'electron/main/platform/window.ts', "import { BrowserWindow } from 'electron';\nexport const w = BrowserWindow;"],
    ['the platform layer importing electron-store', 'electron/main/platform/settings.ts', "import Store from 'electron-store';\nexport const s = Store;"],
    ['index.ts importing electron', 'electron/main/index.ts', "import { app } from 'electron';\nexport const a = app;"],
    ['a service importing Node built-ins, conf and keytar', 'electron/main/services/x.ts', "import fs from 'node:fs';\nimport Conf from 'conf';\nimport keytar from 'keytar';\nexport const a = [fs, Conf, keytar];"],
    ['a service importing shared/', 'electron/main/services/x.ts', "export { contract } from '../../../shared/ipc/contract.js';"],
    ['dev-web importing the services', 'electron/dev-web/x.ts', "export { createDesk } from '../main/services/desk.js';"],
  ])('allows %s', async (_what, filePath, code) => {
    expect(layeringErrors(await lint(filePath, code))).toEqual([]);
  });
});

describe("electron/preload/ imports only 'electron' and shared/", () => {
  it.each([
    ['a Node built-in', 'electron/preload/x.ts', "import fs from 'node:fs';\nexport const f = fs;"],
    ['a main-process service', 'electron/preload/x.ts', "export { log } from '../main/services/log.js';"],
    ['another package', 'electron/preload/x.ts', "import Store from 'electron-store';\nexport const s = Store;"],
  ])('refuses %s', async (_what, filePath, code) => {
    expect(layeringErrors(await lint(filePath, code))).not.toEqual([]);
  });

  it('allows electron and the shared contract', async () => {
    const code = "import { contextBridge } from 'electron';\nimport { contract } from '../../shared/ipc/contract.js';\nexport const a = [contextBridge, contract];";
    expect(layeringErrors(await lint('electron/preload/index.ts', code))).toEqual([]);
  });
});

describe("the renderer's arrows point one way: screens compose parts, parts never import the screen", () => {
  it.each([
    ['calls/ importing the desk screen', 'renderer/src/calls/x.tsx', "import { DeskApp } from '../desk/desk-app.js';\nexport const d = DeskApp;"],
    ['notes/ importing a desk piece', 'renderer/src/notes/x.tsx', "import { PopView } from '../desk/pop-view.js';\nexport const p = PopView;"],
    ['pairing/ importing the desk state', 'renderer/src/pairing/x.ts', "import type { DeskPhase } from '../desk/desk-state.js';\nexport type P = DeskPhase;"],
    ['ui/ importing a part', 'renderer/src/ui/x.tsx', "import { LiveCallStrip } from '../calls/live-call-strip.js';\nexport const l = LiveCallStrip;"],
    ['ui/ importing the desk', 'renderer/src/ui/x.tsx', "import { DeskApp } from '../desk/desk-app.js';\nexport const d = DeskApp;"],
  ])('refuses %s', async (_what, filePath, code) => {
    expect(layeringErrors(await lint(filePath, code))).toHaveLength(1);
  });

  it('lets parts use the shared pieces and the desk use its parts', async () => {
    expect(layeringErrors(await lint('renderer/src/calls/x.tsx', "import { ModalDialog } from '../ui/modal-dialog.js';\nexport const m = ModalDialog;"))).toEqual([]);
    expect(layeringErrors(await lint('renderer/src/desk/x.tsx', "import { LiveCallStrip } from '../calls/live-call-strip.js';\nexport const l = LiveCallStrip;"))).toEqual([]);
  });
});

describe('unsafe code is refused everywhere', () => {
  it.each([
    ['any', 'shared/x.ts', 'export const f = (x: any): unknown => x;', '@typescript-eslint/no-explicit-any'],
    ['dangerouslySetInnerHTML', 'renderer/src/x.tsx', 'export const X = ({ h }: { h: string }) => <div dangerouslySetInnerHTML={{ __html: h }} />;', 'no-restricted-syntax'],
    ['innerHTML assignment', 'renderer/src/x.ts', "export const set = (e: HTMLElement, h: string): void => { e.innerHTML = h; };", 'no-restricted-syntax'],
    ['eval', 'electron/main/services/x.ts', "export const run = (s: string): unknown => eval(s);", 'no-eval'],
    ['new Function', 'test/x.ts', "export const make = (s: string): unknown => new Function(s);", 'no-new-func'],
  ])('refuses %s', async (_what, filePath, code, ruleId) => {
    const messages = await lint(filePath, code);
    expect(messages.filter((m) => m.severity === 2).map((m) => m.ruleId)).toContain(ruleId);
  });
});

describe('the real tree', () => {
  it('has no layering errors, so a wrong import fails npm test', { timeout: 120_000 }, async () => {
    const results = await eslint.lintFiles(['.']);
    const errors = results.flatMap((result) =>
      layeringErrors(result.messages).map((message) => `${path.relative(root, result.filePath)}: ${message}`),
    );
    expect(errors).toEqual([]);
  });
});
