/**
 * Builds the renderer in web mode once per run, so the harness serves the code under test and not
 * a stale dist/. Set KOTOZUTE_E2E_SKIP_BUILD=1 to reuse an existing build while iterating.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO } from './paths.js';

export default function globalSetup(): void {
  const built = existsSync(path.join(REPO, 'dist', 'renderer', 'index.html'));
  if (process.env.KOTOZUTE_E2E_SKIP_BUILD === '1' && built) return;
  const vite = path.join(REPO, 'node_modules', 'vite', 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--mode', 'web', '--logLevel', 'warn'], {
    cwd: REPO,
    stdio: 'inherit',
  });
}
