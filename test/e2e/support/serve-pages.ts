/**
 * Small in-memory pages on 127.0.0.1 (which Chromium treats as a secure context): the test phone,
 * and the calls bench's bare callee and busy page. Scripts are bundled by esbuild in memory.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';

export interface PageFile {
  body: Uint8Array | string;
  type: string;
}

export interface ServedPages {
  origin: string;
  close(): Promise<void>;
}

/** `entry` bundled for the browser (ESM, with its npm imports such as sip.js). */
export async function bundleForBrowser(entry: string, what: string): Promise<Uint8Array> {
  const bundle = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'chrome120', write: false, logLevel: 'warning' });
  const js = bundle.outputFiles[0]?.contents;
  if (!js) throw new Error(`esbuild produced no ${what} bundle`);
  return js;
}

/** Serves exactly `files` by path (uncached); anything else is 404. */
export async function servePages(files: Record<string, PageFile>): Promise<ServedPages> {
  const server = createServer((req, res) => {
    const file = files[req.url ?? ''];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
