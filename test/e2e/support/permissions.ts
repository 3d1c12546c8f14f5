/**
 * What an end-to-end run grants Chromium: exactly what the Electron desk's permission handlers grant
 * (shared/desk-permissions.ts, in Playwright's names), to the harness origin only — never a
 * permission the desktop app does not have, so a test cannot pass on a grant the app lacks.
 * Note that an explicit grant makes Chromium refuse every permission not listed (CDP).
 */
import type { BrowserContext } from '@playwright/test';
import { PLAYWRIGHT_GRANTS } from '../../../shared/desk-permissions.js';

export async function grantDeskPermissions(context: BrowserContext, origin: string): Promise<void> {
  await context.grantPermissions([...PLAYWRIGHT_GRANTS], { origin });
}
