/**
 * Serves the test phone (index.html + phone.ts bundled with sip.js by esbuild, in memory) on
 * 127.0.0.1, which Chromium treats as a secure context (getUserMedia works).
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface PhoneServer {
  url: string;
  close(): Promise<void>;
}

export async function servePhonePage(): Promise<PhoneServer> {
  const bundle = await build({
    entryPoints: [path.join(here, 'phone.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'warning',
  });
  const js = bundle.outputFiles[0]?.contents;
  if (!js) throw new Error('esbuild produced no phone bundle');
  const html = await readFile(path.join(here, 'index.html'));
  const server = createServer((req, res) => {
    const file = req.url === '/phone.js' ? { body: js, type: 'text/javascript' } : req.url === '/' ? { body: html, type: 'text/html; charset=utf-8' } : null;
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
