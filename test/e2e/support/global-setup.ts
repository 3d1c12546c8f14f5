/**
 * Builds the renderer in web mode once per run, so the harness serves the code under test and not
 * a stale dist/. Set KOTOZUTE_E2E_SKIP_BUILD=1 to reuse an existing build while iterating.
 */
import { buildWebRenderer, rendererBuilt } from './chromium.js';

export default function globalSetup(): void {
  if (process.env.KOTOZUTE_E2E_SKIP_BUILD === '1' && rendererBuilt()) return;
  buildWebRenderer();
}
