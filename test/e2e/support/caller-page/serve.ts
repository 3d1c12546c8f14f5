/**
 * Serves the test phone (index.html + phone.ts bundled with sip.js by esbuild, in memory) on
 * 127.0.0.1, which Chromium treats as a secure context (getUserMedia works).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser, servePages } from '../serve-pages.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface PhoneServer {
  url: string;
  close(): Promise<void>;
}

export async function servePhonePage(): Promise<PhoneServer> {
  const js = await bundleForBrowser(path.join(here, 'phone.ts'), 'phone');
  const html = await readFile(path.join(here, 'index.html'));
  const pages = await servePages({
    '/': { body: html, type: 'text/html; charset=utf-8' },
    '/phone.js': { body: js, type: 'text/javascript' },
  });
  return { url: `${pages.origin}/`, close: pages.close };
}
