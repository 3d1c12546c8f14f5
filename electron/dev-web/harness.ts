/**
 * The dev-web harness as a function: the same desk the Electron main process composes, served to
 * a browser on 127.0.0.1 with the typed API over the token-guarded bridge. server.ts is the command
 * line around it; tests and the pop benchmark start it as that command.
 */
import { readFile, realpath } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { DeskEvent } from '../../shared/ipc/desk-events.js';
import { createDispatch } from '../main/api/dispatch.js';
import { createDesk, type DeskOptions } from '../main/services/desk.js';
import type { FloorIdentity } from '../main/services/roster/floor-identity.js';
import type { KeyStore } from '../main/services/keychain.js';
import type { Logger } from '../main/services/log.js';
import { attachBridge } from './bridge.js';
import { cspFromIndexHtml, FALLBACK_CSP, securityHeaders, withLineConnectSrc } from './security-headers.js';
import { createStaticHandler, sendError } from './static-files.js';
import { newBridgeToken } from './token.js';

/** Loopback only, by design: the harness is never reachable from another machine. */
export const HOST = '127.0.0.1';

export interface DevWebOptions {
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  dataDir: string;
  assetsDir: string;
  keyStore: KeyStore;
  log: Logger;
  /** 0 picks any free port. */
  port: number;
  /** Test-only: a signed directory bundle (and the PEM key it is checked against) for training mode. */
  trainingBundlePath?: string;
  trainingPublicKeyPath?: string;
  /** Test-only: an extra CA (PEM text) the hand-off senders trust, for loopback receivers. */
  handOffCa?: string;
  /** Test-only: the desk's floor identity (a roster and keys written by the test: floor-fixture.ts). */
  floorIdentity?: FloorIdentity;
}

export interface DevWeb {
  /** The page URL, with the bridge token in the fragment (never sent to the server by a browser). */
  url: string;
  port: number;
  /**
   * Pushes a desk event to the connected pages. Plain Node has no OS power events, so this is
   * how the harness plays the main process's part (server.ts drives it from a signal in tests).
   * Returns how many pages it reached.
   */
  pushEvent(event: DeskEvent): number;
  close(): Promise<void>;
}

/**
 * Composes the desk, then serves the renderer and the bridge on 127.0.0.1. Fails (closing the desk)
 * if the renderer is not built or the port is taken.
 */
export async function startDevWeb(o: DevWebOptions): Promise<DevWeb> {
  const root = await realpath(o.rendererDir).catch(() => {
    throw new Error(`dev-web: no built renderer at ${o.rendererDir}; run "npm run build:renderer:web" first.`);
  });
  const indexHtml = await readFile(path.join(root, 'index.html'), 'utf8').catch(() => {
    throw new Error(`dev-web: ${root} has no index.html; run "npm run build:renderer:web" first.`);
  });
  const declared = cspFromIndexHtml(indexHtml);
  if (!declared) o.log.warn('dev-web.csp-missing', { using: 'fallback' });
  const headers = securityHeaders(declared ?? FALLBACK_CSP);

  const deskOptions: DeskOptions = {
    dataDir: o.dataDir,
    assetsDir: o.assetsDir,
    keyStore: o.keyStore,
    log: o.log,
    ...(o.trainingBundlePath ? { trainingBundlePath: o.trainingBundlePath } : {}),
    ...(o.trainingPublicKeyPath ? { trainingPublicKeyPath: o.trainingPublicKeyPath } : {}),
    ...(o.handOffCa ? { handOffCa: o.handOffCa } : {}),
    ...(o.floorIdentity ? { floorIdentity: o.floorIdentity } : {}),
    // The bridge exists only once the server listens; events before that reach no page anyway.
    pushEvent: (event) => void pushToPages(event),
    // What the page keeps is the page's to clear: it is told to (and the count is the pages told).
    clearRendererStorage: () => Promise.resolve(pushToPages({ type: 'clear-page-storage' })),
  };
  let pushToPages: (event: DeskEvent) => number = () => 0;
  const desk = await createDesk(deskOptions);
  const dispatch = createDispatch(desk.handlers, o.log);

  let expectedHost = '';
  // Each load of the page: a CSP that lets it reach the bridge and the paired server only.
  const documentHeaders = async (): Promise<Record<string, string>> => {
    let server: string | null = null;
    try {
      server = (await desk.handlers.getLine(undefined)).profile?.server ?? null;
    } catch {
      // unreadable: no line server, the strictest policy
    }
    return securityHeaders(withLineConnectSrc(declared ?? FALLBACK_CSP, `ws://${expectedHost}`, server));
  };
  const serveStatic = createStaticHandler(root, headers, documentHeaders);
  const server = createServer((req, res) => {
    // A page on another name that resolves to 127.0.0.1 (DNS rebinding) must not read our files.
    if (req.headers.host !== expectedHost) {
      sendError(res, 421, headers);
      return;
    }
    serveStatic(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 404, headers);
      else res.destroy();
    });
  });

  let port: number;
  try {
    port = await listen(server, o.port);
  } catch (err) {
    await desk.close();
    throw err;
  }
  expectedHost = `${HOST}:${port}`;
  const origin = `http://${expectedHost}`;
  const token = newBridgeToken();
  const bridge = attachBridge({ server, token, origin, host: expectedHost, dispatch, log: o.log });
  pushToPages = (event) => bridge.push(event);

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/#token=${token}`,
    port,
    pushEvent: (event) => bridge.push(event),
    close: () =>
      (closing ??= (async () => {
        await bridge.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await desk.close();
      })()),
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: HOST, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
