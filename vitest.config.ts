// Two vitest projects: `npm run test:unit` and `npm run test:integration` pick one with --project.
// The end-to-end suite (test/e2e) is Playwright, not vitest, and is run by `npm run test:e2e`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Importing 'electron' (or electron-store) without its binary would try to download it; this
    // makes the import fail fast instead. Tests use test/support/fake-electron.ts anyway.
    env: { ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.{ts,tsx}'],
          environment: 'node',
          // Real components (the keyring behind D-Bus, child processes, loopback servers) are slower
          // than unit code, especially on the 2-core CI machine.
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // The files share one gnome-keyring session (test/support/with-keyring.sh) and ports on
          // loopback: one file at a time keeps them from stepping on each other.
          fileParallelism: false,
        },
      },
    ],
  },
});
