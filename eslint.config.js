// ESLint for the whole repository, and the place where the layering of DESIGN.md §6 is enforced.
//
// Layers (VS Code's common/browser/node/electron-main idea at a smaller scale):
//   shared/                     common: plain TypeScript, runs in both processes. Imports shared/ and zod only.
//   renderer/                   browser: never imports electron/, 'electron' or a Node built-in.
//   electron/preload/           sandboxed bridge: 'electron' and shared/ only (it is bundled).
//   electron/main/platform/,    the thin Electron glue: the only main-process code that may import
//   electron/main/index.ts        'electron' or 'electron-store'.
//   the rest of electron/       plain Node services, API, admin CLI, dev-web harness: no 'electron',
//                                 no 'electron-store', nothing from renderer/ or the platform layer.
// Every layering message starts with "Bad layering:" so that test/unit/layering can find them.
// Not type-aware on purpose: type-aware linting costs minutes on the 2-core CI machine.

import path from 'node:path';
import { isBuiltin } from 'node:module';
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

/** Globals that only a browser page has (not Node, not the language itself). */
const domOnlyGlobals = [
  ...new Set([
    ...Object.keys(globals.browser).filter((name) => !(name in globals.node) && !(name in globals.es2025)),
    // Node 22+ has these too, but not with the browser's meaning: code that reaches for them belongs in renderer/.
    'navigator',
    'localStorage',
    'sessionStorage',
  ]),
];
/** Globals that only Node has (process, Buffer, require, …). */
const nodeOnlyGlobals = Object.keys(globals.node).filter(
  (name) => !(name in globals.browser) && !(name in globals.es2025),
);

const restrictGlobals = (names, why) => names.map((name) => ({ name, message: `Bad layering: ${why} (\`${name}\`).` }));

/** Node-only npm packages: they cannot run in a page. */
const nodeOnlyPackages = ['electron', 'electron-store', 'conf', 'keytar', 'ws', 'nodemailer', 'smtp-server'];

/**
 * Where a layer's imports may land. Folders are repository-relative; a folder also matches the file
 * of that name without its extension (so 'electron/main/index' matches '../index.js').
 * - allowFolders: a relative import must resolve inside one of these (allow-list).
 * - denyFolders: checked first; refused even when inside an allowed folder.
 * - allowPackages: when present, the only bare packages allowed.
 * - denyPackages: bare packages refused.
 * - builtins: whether Node built-ins (node:*, fs, path, …) are allowed.
 */
const layers = {
  shared: {
    what: 'shared/ runs in both processes and imports only shared/ and zod',
    allowFolders: ['shared'],
    allowPackages: ['zod'],
    builtins: false,
  },
  renderer: {
    what: 'renderer/ is a browser page; it reaches the main process only through the preload API',
    allowFolders: ['renderer', 'shared', 'assets'],
    denyPackages: nodeOnlyPackages,
    builtins: false,
  },
  rendererPart: {
    what: "the renderer's parts (calls, notes, pairing, line) never import the desk screen that composes them (renderer/src/desk)",
    allowFolders: ['renderer', 'shared', 'assets'],
    denyFolders: ['renderer/src/desk'],
    denyPackages: nodeOnlyPackages,
    builtins: false,
  },
  rendererUi: {
    what: 'renderer/src/ui holds the pieces every screen shares (dialogs, alerts, text, keys); it imports no screen or part',
    allowFolders: ['renderer/src/ui', 'renderer/src/i18n', 'shared', 'assets'],
    denyPackages: nodeOnlyPackages,
    builtins: false,
  },
  preload: {
    what: "electron/preload/ is sandboxed and bundled; it imports only 'electron' and shared/",
    allowFolders: ['electron/preload', 'shared'],
    allowPackages: ['electron'],
    builtins: false,
  },
  platform: {
    what: 'the Electron platform layer loads the renderer as files, never imports it',
    allowFolders: ['electron', 'shared', 'assets', 'package.json'],
    denyFolders: ['renderer', 'electron/preload'],
    builtins: true,
  },
  node: {
    what: "main-process services, API, admin CLI and dev-web run in plain Node: no 'electron' (only electron/main/platform/ and electron/main/index.ts may use it), no renderer/",
    allowFolders: ['electron', 'shared', 'assets', 'package.json'],
    denyFolders: ['renderer', 'electron/preload', 'electron/main/platform', 'electron/main/index'],
    denyPackages: ['electron', 'electron-store', 'react', 'react-dom'],
    builtins: true,
  },
};

/** 'react-dom/client' → 'react-dom'; '@scope/pkg/x' → '@scope/pkg'. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function withinFolder(target, folder) {
  return target === folder || target.startsWith(`${folder}/`) || target.replace(/\.[cm]?[jt]sx?$/, '') === folder;
}

/** The layering problem with one import specifier, or null. */
function layeringProblem(layer, specifier, filename) {
  const bare = specifier.replace(/[?#].*$/, '');
  if (bare.startsWith('.') || bare.startsWith('/')) {
    const target = path.relative(root, path.resolve(path.dirname(filename), bare)).split(path.sep).join('/');
    const denied = (layer.denyFolders ?? []).some((folder) => withinFolder(target, folder));
    const allowed = layer.allowFolders.some((folder) => withinFolder(target, folder));
    return denied || !allowed ? `'${specifier}' resolves to ${target} — ${layer.what}.` : null;
  }
  if (isBuiltin(bare) || bare.startsWith('node:')) {
    return layer.builtins ? null : `Node built-in '${specifier}' — ${layer.what}.`;
  }
  const name = packageName(bare);
  if (layer.allowPackages !== undefined && !layer.allowPackages.includes(name)) {
    return `package '${name}' — ${layer.what}.`;
  }
  if ((layer.denyPackages ?? []).includes(name)) return `package '${name}' — ${layer.what}.`;
  return null;
}

/** The string of a literal or of a template literal without expressions, else null. */
function staticString(node) {
  if (node == null) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  if (node.type === 'TSLiteralType') return staticString(node.literal);
  return null;
}

/**
 * One rule for every way code names a module: import/export … from, import(), require(),
 * `import x = require()` and `import('x').Type`. no-restricted-imports cannot do this job: it
 * matches specifier text, and whether '../../x' leaves shared/ depends on where the file is.
 */
const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep each layer to the imports its runtime allows (DESIGN.md §6).' },
    schema: [{ type: 'string', enum: Object.keys(layers) }],
    messages: { bad: 'Bad layering: {{problem}}' },
  },
  create(context) {
    const layer = layers[context.options[0]];
    const check = (sourceNode) => {
      const specifier = staticString(sourceNode);
      if (specifier === null) return;
      const problem = layeringProblem(layer, specifier, context.filename);
      if (problem !== null) context.report({ node: sourceNode, messageId: 'bad', data: { problem } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportType: (node) => check(node.source ?? node.argument),
      TSExternalModuleReference: (node) => check(node.expression),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node.arguments[0]);
      },
    };
  },
};

const layering = { meta: { name: 'kotozute-layering' }, rules: { imports: importsRule } };

/** Markup injection and string evaluation: nothing from the directory or a caller may become code. */
const unsafeSyntax = [
  {
    selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
    message: 'dangerouslySetInnerHTML is banned: render directory text as React text nodes (DESIGN.md §5).',
  },
  {
    selector: "AssignmentExpression > MemberExpression.left[property.name=/^(innerHTML|outerHTML)$/]",
    message: 'innerHTML/outerHTML assignment is banned: render text as text (DESIGN.md §5).',
  },
  {
    selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|write|writeln)$/][callee.object.name='document'], CallExpression[callee.property.name='insertAdjacentHTML']",
    message: 'HTML string insertion is banned: render text as text (DESIGN.md §5).',
  },
];

export default defineConfig(
  {
    ignores: [
      'dist/',
      'release/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      'bench/results/',
      '.tmp/',
      'test/unit/layering/fixtures/',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    plugins: { layering },
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-restricted-syntax': ['error', ...unsafeSyntax],
    },
  },
  {
    // Playwright reads a fixture's first parameter as a destructuring pattern, so `({}, use)` is idiomatic.
    files: ['test/**'],
    rules: { 'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }] },
  },
  {
    files: ['shared/**'],
    languageOptions: { globals: {} },
    rules: {
      'layering/imports': ['error', 'shared'],
      'no-restricted-globals': [
        'error',
        ...restrictGlobals(domOnlyGlobals, 'shared/ runs in both processes; this is a DOM-only global'),
        ...restrictGlobals(nodeOnlyGlobals, 'shared/ runs in both processes; this is a Node-only global'),
      ],
    },
  },
  {
    files: ['renderer/**'],
    ignores: ['renderer/*.config.*'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      'layering/imports': ['error', 'renderer'],
      'no-restricted-globals': [
        'error',
        ...restrictGlobals(nodeOnlyGlobals, 'renderer/ is a browser page; this is a Node-only global'),
      ],
    },
  },
  {
    // Below the desk screen: its parts and the shared pieces (the arrows point one way).
    files: ['renderer/src/calls/**', 'renderer/src/notes/**', 'renderer/src/pairing/**', 'renderer/src/line/**'],
    rules: { 'layering/imports': ['error', 'rendererPart'] },
  },
  {
    files: ['renderer/src/ui/**'],
    rules: { 'layering/imports': ['error', 'rendererUi'] },
  },
  {
    files: ['electron/preload/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'layering/imports': ['error', 'preload'] },
  },
  {
    files: ['electron/main/platform/**', 'electron/main/index.ts'],
    rules: { 'layering/imports': ['error', 'platform'] },
  },
  {
    files: ['electron/**'],
    ignores: ['electron/preload/**', 'electron/main/platform/**', 'electron/main/index.ts'],
    rules: {
      'layering/imports': ['error', 'node'],
      'no-restricted-globals': [
        'error',
        ...restrictGlobals(domOnlyGlobals, 'this code runs in plain Node; this is a DOM-only global'),
      ],
    },
  },
);
