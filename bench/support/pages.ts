/**
 * The calls bench's own pages on 127.0.0.1: the bare sip.js callee (bundled with esbuild in memory)
 * and the busy page that stands for the other work in the operator's browser.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface BenchPages {
  bareUrl: string;
  busyUrl: string;
  close(): Promise<void>;
}

const BARE_HTML = '<!doctype html><html lang="ja"><head><meta charset="UTF-8"><title>bare</title><link rel="icon" href="data:,"><script type="module" src="/bare.js"></script></head><body></body></html>';

export async function serveBenchPages(): Promise<BenchPages> {
  const bundle = await build({
    entryPoints: [path.join(here, 'bare-callee.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'warning',
  });
  const js = bundle.outputFiles[0]?.contents;
  if (!js) throw new Error('esbuild produced no bare-callee bundle');
  const busy = await readFile(path.join(here, 'busy-page.html'));
  const files: Record<string, { body: Uint8Array | string; type: string }> = {
    '/bare': { body: BARE_HTML, type: 'text/html; charset=utf-8' },
    '/bare.js': { body: js, type: 'text/javascript' },
    '/busy': { body: busy, type: 'text/html; charset=utf-8' },
  };
  const server = createServer((req, res) => {
    const file = files[req.url ?? ''];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    bareUrl: `${origin}/bare`,
    busyUrl: `${origin}/busy`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
