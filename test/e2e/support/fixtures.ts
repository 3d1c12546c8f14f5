/**
 * The end-to-end `test`: every spec file gets its own dev-web harness (fresh data folder, any free
 * port), started on first use and stopped when the next file starts or the worker ends. Tests get
 * `harness` and a `desk` page already opened on the harness URL, holding exactly the permissions the
 * desktop app's handlers grant (./permissions.ts).
 */
import { test as base, expect, type Page } from '@playwright/test';
import { startHarness, type Harness } from './harness.js';
import { grantDeskPermissions } from './permissions.js';

interface WorkerFixtures {
  /** The harness of the spec file being run, keyed by file. */
  harnessForFile: (file: string) => Promise<Harness>;
}

interface TestFixtures {
  harness: Harness;
  /** The page, opened on the desk and waiting until the desk has loaded. */
  desk: Page;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  harnessForFile: [
    async ({}, use) => {
      let current: { file: string; harness: Promise<Harness> } | undefined;
      await use(async (file) => {
        if (current?.file !== file) {
          if (current) await (await current.harness).stop();
          current = { file, harness: startHarness() };
        }
        return current.harness;
      });
      if (current) await (await current.harness).stop();
    },
    { scope: 'worker' },
  ],

  harness: async ({ harnessForFile }, use, testInfo) => {
    await use(await harnessForFile(testInfo.file));
  },

  desk: async ({ page, context, harness }, use) => {
    await grantDeskPermissions(context, harness.origin);
    await openDesk(page, harness);
    await use(page);
  },
});

/** Opens the desk page and waits for it to finish loading (the "simulate" button is the sign). */
export async function openDesk(page: Page, harness: Pick<Harness, 'url'>): Promise<void> {
  await page.goto(harness.url);
  await expect(page.getByRole('button', { name: /着信をシミュレート|Simulate incoming call/ })).toBeVisible();
}

export { expect };
