/**
 * The system Chromium as the end-to-end tests and the browser benchmarks launch it, and the web
 * build of the renderer the dev-web harness serves to it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO } from './paths.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless in a container, no GPU, and nothing that talks to a public host on its own. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether dist/renderer holds a build the harness can serve. */
export function rendererBuilt(): boolean {
  return existsSync(path.join(REPO, 'dist', 'renderer', 'index.html'));
}

/** Builds the renderer in web mode (what `npm run build:renderer:web` does). */
export function buildWebRenderer(): void {
  const vite = path.join(REPO, 'node_modules', 'vite', 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--mode', 'web', '--logLevel', 'warn'], {
    cwd: REPO,
    stdio: 'inherit',
  });
}
