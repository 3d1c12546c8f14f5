/**
 * End-to-end: Playwright driving the system Chromium against the dev-web harness (`npm run dev:web`
 * minus the build, which global-setup.ts does once). Each spec file gets its own harness with a fresh
 * data folder (support/fixtures.ts); the keychain is the real gnome-keyring set up by
 * test/support/with-keyring.sh.
 *
 *   npm run test:e2e
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/chromium.js';
import { MEDIA_ARGS } from './support/media-args.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

const MEDIA_SPECS = /calls\.spec\.ts$/;

export default defineConfig({
  testDir: here,
  testMatch: '**/*.spec.ts',
  // Kept apart from test-results/screenshots/, which a partial run must not wipe.
  outputDir: path.join(repo, 'test-results', 'e2e'),
  globalSetup: path.join(here, 'support', 'global-setup.ts'),
  // Two cores shared with the harness and Chromium: one worker keeps timings honest.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    { name: 'default', testIgnore: MEDIA_SPECS },
    // Real calls with WebRTC media (calls.spec.ts): only inside a private network namespace with
    // nothing but loopback — `npm run test:e2e:media` — and with a fake microphone.
    {
      name: 'media',
      testMatch: MEDIA_SPECS,
      use: { launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...MEDIA_ARGS] } },
    },
  ],
});
