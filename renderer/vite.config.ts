// The renderer build. `vite build --config renderer/vite.config.ts` makes the Electron page;
// `--mode web` makes the dev-web page, the only build that contains the WebSocket bridge
// (renderer/src/api/index.ts tests import.meta.env.MODE, which Vite replaces at build time).
import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = import.meta.dirname;

export default defineConfig(({ mode }) => ({
  root: here,
  // Relative asset URLs: the page is loaded from the app's own protocol or from files, not a server root.
  base: './',
  plugins: [react()],
  build: {
    outDir: path.resolve(here, '../dist/renderer'),
    emptyOutDir: true,
    // Source maps only in the development build: a packaged app ships no sources.
    sourcemap: mode === 'web',
    // Never turn an asset into a data: URL; the CSP allows fonts from 'self' only.
    assetsInlineLimit: 0,
    // No polyfill injected into the page: Chromium supports modulepreload natively.
    modulePreload: { polyfill: false },
    target: 'chrome130',
    reportCompressedSize: false,
  },
  server: { host: '127.0.0.1', strictPort: true },
}));
