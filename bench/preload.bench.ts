/**
 * The preload's size (issue 11 §4): parsed and run on every page load, so it carries no schema
 * library — the method names come from the generated shared/ipc/method-names.ts and the page checks
 * desk events itself. Built exactly as scripts/build-electron.mjs builds it (esbuild, minified CJS for
 * a sandboxed renderer), in memory. Target ≤ 8 KB (with the contract and zod it was 478,771 bytes).
 */
import { build } from 'esbuild';
import path from 'node:path';
import type { Bench, BenchResult } from './harness.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const TARGET_BYTES = 8 * 1024;

const bench: Bench = {
  title: 'preload: bundle size (minified, as shipped)',
  async run(): Promise<BenchResult[]> {
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: ['electron/preload/index.ts'],
      bundle: true,
      minify: true,
      platform: 'browser',
      format: 'cjs',
      target: 'es2023',
      external: ['electron'],
      write: false,
      metafile: true,
      logLevel: 'warning',
    });
    const bytes = result.outputFiles.reduce((n, f) => n + f.contents.byteLength, 0);
    const inputs = Object.keys(result.metafile.inputs);
    console.log(`  preload: ${bytes} bytes from ${inputs.length} inputs (${inputs.join(', ')})`);
    return [{ name: 'preload', metric: 'bundle size', value: bytes, unit: 'bytes', target: TARGET_BYTES }];
  },
};

export default bench;
