import { describe, expect, it } from 'vitest';
import { refusalReason } from '../../../../electron/dev-web/guard.js';

const dev = { env: {}, versions: { node: '24.0.0' }, moduleUrl: 'file:///home/dev/kotozute/electron/dev-web/server.ts' };

describe('the dev-web guard', () => {
  it('lets the harness run in development', () => {
    expect(refusalReason(dev)).toBeNull();
  });

  it('refuses a production environment', () => {
    expect(refusalReason({ ...dev, env: { NODE_ENV: 'production' } })).toMatch(/production/);
  });

  it('refuses to run inside Electron', () => {
    expect(refusalReason({ ...dev, versions: { node: '24.0.0', electron: '45.5.0' } })).toMatch(/Electron/);
  });

  it('refuses to run from a packaged app', () => {
    expect(refusalReason({ ...dev, moduleUrl: 'file:///opt/Kotozute/resources/app.asar/dev-web/server.js' })).toMatch(/packaged/);
    expect(refusalReason({ ...dev, moduleUrl: 'C:\\Program Files\\Kotozute\\resources\\app\\server.js' })).toMatch(/packaged/);
  });
});
