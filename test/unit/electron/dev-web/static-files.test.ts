import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveStaticPath } from '../../../../electron/dev-web/static-files.js';

const root = path.resolve('/srv/renderer');

describe('resolveStaticPath', () => {
  it('serves index.html for the root', () => {
    expect(resolveStaticPath(root, '/')).toEqual({ kind: 'file', file: path.join(root, 'index.html') });
  });

  it('maps a file path under the root and ignores the query string', () => {
    expect(resolveStaticPath(root, '/assets/app.js?v=1')).toEqual({ kind: 'file', file: path.join(root, 'assets', 'app.js') });
  });

  it('refuses ".." however it is spelled', () => {
    for (const p of ['/../etc/passwd', '/%2e%2e/etc/passwd', '/assets/..%2F..%2Fetc', '/a/./b']) {
      expect(resolveStaticPath(root, p), p).toEqual({ kind: 'refused', status: 403 });
    }
  });

  it('refuses backslashes, NUL bytes and broken escapes', () => {
    for (const p of ['/..%5c..%5cwin.ini', '/index.html%00.png', '/%E0%A4%A', 'index.html']) {
      expect(resolveStaticPath(root, p), p).toEqual({ kind: 'refused', status: 400 });
    }
  });

  it('lists no directory', () => {
    expect(resolveStaticPath(root, '/assets/')).toEqual({ kind: 'refused', status: 404 });
  });
});
