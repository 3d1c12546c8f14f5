/**
 * The calls bench's own pages on 127.0.0.1: the bare sip.js callee (bundled with esbuild in memory)
 * and the busy page that stands for the other work in the operator's browser.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser, servePages } from '../../test/e2e/support/serve-pages.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface BenchPages {
  bareUrl: string;
  busyUrl: string;
  close(): Promise<void>;
}

const BARE_HTML = '<!doctype html><html lang="ja"><head><meta charset="UTF-8"><title>bare</title><link rel="icon" href="data:,"><script type="module" src="/bare.js"></script></head><body></body></html>';

export async function serveBenchPages(): Promise<BenchPages> {
  const js = await bundleForBrowser(path.join(here, 'bare-callee.ts'), 'bare-callee');
  const busy = await readFile(path.join(here, 'busy-page.html'));
  const pages = await servePages({
    '/bare': { body: BARE_HTML, type: 'text/html; charset=utf-8' },
    '/bare.js': { body: js, type: 'text/javascript' },
    '/busy': { body: busy, type: 'text/html; charset=utf-8' },
  });
  return { bareUrl: `${pages.origin}/bare`, busyUrl: `${pages.origin}/busy`, close: pages.close };
}
