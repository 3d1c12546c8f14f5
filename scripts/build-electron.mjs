// Bundles the Electron main process, the preload and (when present) the admin CLI with esbuild.
// Needs no Electron binary: 'electron' and native modules stay external and are resolved at run time.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { writeMethodNames } from './gen-method-names.mjs';

const root = path.resolve(import.meta.dirname, '..');
// keytar is a native module: it is loaded from node_modules (unpacked from the asar) at run time.
const nodeExternals = ['electron', 'keytar', '*.node'];
// Code that must never ship inside the app: the dev-web harness and test support.
const FORBIDDEN_INPUTS = [/^electron\/dev-web\//, /^test\//, /^bench\//];
// The preload is parsed on every page load: no schema library, no contract (issue 11 §4).
const PRELOAD_OUT = 'dist/preload/index.cjs';
const PRELOAD_FORBIDDEN = [/node_modules\/zod\//, /^shared\/ipc\/contract\.ts$/];

// Bundled CommonJS dependencies may call require() for Node built-ins; give the ESM bundle one.
const requireShim =
  "import { createRequire as __kotozuteCreateRequire } from 'node:module';\n" +
  'const require = __kotozuteCreateRequire(import.meta.url);';

const common = { absWorkingDir: root, bundle: true, sourcemap: 'linked', logLevel: 'warning', metafile: true };

const builds = [
  {
    ...common,
    entryPoints: ['electron/main/index.ts'],
    outfile: 'dist/main/index.js',
    platform: 'node',
    format: 'esm',
    target: 'node24',
    external: nodeExternals,
    banner: { js: requireShim },
  },
  {
    // A sandboxed preload may require only 'electron': platform 'browser' makes the build fail if
    // anything reaches for a Node built-in. Minified: it is parsed on every page load.
    ...common,
    minify: true,
    entryPoints: ['electron/preload/index.ts'],
    outfile: PRELOAD_OUT,
    platform: 'browser',
    format: 'cjs',
    target: 'es2023',
    external: ['electron'],
  },
];

if (existsSync(path.join(root, 'electron/admin/cli.ts'))) {
  builds.push({
    ...common,
    entryPoints: ['electron/admin/cli.ts'],
    outfile: 'dist/admin/cli.js',
    platform: 'node',
    format: 'esm',
    target: 'node24',
    external: nodeExternals,
    banner: { js: requireShim },
  });
}

// The preload's method list comes from the contract, freshly (it carries no schema itself).
await writeMethodNames();
const results = await Promise.all(builds.map((options) => build(options)));

for (const [i, result] of results.entries()) {
  const forbidden = builds[i].outfile === PRELOAD_OUT ? [...FORBIDDEN_INPUTS, ...PRELOAD_FORBIDDEN] : FORBIDDEN_INPUTS;
  const leaked = Object.keys(result.metafile.inputs).filter((input) => forbidden.some((re) => re.test(input)));
  if (leaked.length > 0) {
    console.error(`${builds[i].outfile} must not include: ${leaked.join(', ')}`);
    process.exit(1);
  }
  console.log(`built ${builds[i].outfile}`);
}
