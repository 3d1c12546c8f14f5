/**
 * A desk page that is really hidden, as a minimized desk or a background tab is: Chromium runs no
 * animation frames in it and throttles its timers. Playwright cannot make one — every page it
 * drives stays `visible` with frames running (its launch flags turn backgrounding off, and it
 * emulates focus, also over connectOverCDP; see shared/design/ENVIRONMENT.md) — so this launches the
 * system Chromium itself and drives it over the raw DevTools protocol: the desk's tab is opened
 * first, then another tab brought to the front in the same window hides it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';

const COMMAND_TIMEOUT_MS = 15_000;
const START_TIMEOUT_MS = 15_000;

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** One DevTools connection to the browser, with flat sessions for its tabs. */
export class Cdp {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
      if (msg.id === undefined) return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.error) p.reject(new Error(`CDP: ${msg.error.message}`));
      else p.resolve(msg.result);
    });
    ws.on('close', () => {
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error('CDP connection closed'));
      }
      this.pending.clear();
    });
  }

  static async connect(url: string): Promise<Cdp> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new Cdp(ws);
  }

  send<T = unknown>(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`CDP: ${method} got no answer within ${COMMAND_TIMEOUT_MS} ms`));
      }, COMMAND_TIMEOUT_MS);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** A tab driven over {@link Cdp}. */
export class Tab {
  constructor(
    readonly cdp: Cdp,
    readonly targetId: string,
    readonly sessionId: string,
  ) {}

  send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    return this.cdp.send<T>(method, params, this.sessionId);
  }

  /** Evaluates an expression in the page (promises awaited) and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const reply = await this.send<{ result: { value?: unknown }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
      'Runtime.evaluate',
      { expression, awaitPromise: true, returnByValue: true },
    );
    if (reply.exceptionDetails) {
      throw new Error(`page: ${reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text}`);
    }
    return reply.result.value as T;
  }
}

/** A Chromium of our own, headless as in CI, with backgrounding as a real browser has it. */
export interface HiddenableBrowser {
  cdp: Cdp;
  /** The tab Chromium opened at start (the desk's, once navigated). */
  firstTab(): Promise<Tab>;
  /** Opens another tab in front of the others: the previous front tab becomes hidden. */
  openTabInFront(url?: string): Promise<Tab>;
  close(): Promise<void>;
}

/**
 * Launches the system Chromium with the project's flags — and NOT Playwright's, which turn off
 * background timer throttling and the hiding of background tabs — listening for DevTools on a free
 * loopback port.
 */
export async function launchHiddenableChromium(extraArgs: string[] = []): Promise<HiddenableBrowser> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kotozute-hidden-'));
  const child: ChildProcess = spawn(
    CHROMIUM_PATH,
    [...CHROMIUM_ARGS, ...extraArgs, '--headless=new', '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', `--user-data-dir=${dir}`, 'about:blank'],
    { stdio: 'ignore' },
  );
  const cleanup = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  let cdp: Cdp;
  try {
    // Chromium writes the port it picked, and the browser's DevTools path, once it listens.
    const portFile = path.join(dir, 'DevToolsActivePort');
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!existsSync(portFile) || readFileSync(portFile, 'utf8').split('\n').length < 2) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('chromium did not start listening for DevTools');
      await new Promise((r) => setTimeout(r, 50));
    }
    const [port, browserPath] = readFileSync(portFile, 'utf8').split('\n');
    cdp = await Cdp.connect(`ws://127.0.0.1:${port}${browserPath}`);
  } catch (err) {
    await cleanup();
    throw err;
  }

  const attach = async (targetId: string): Promise<Tab> => {
    const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    return new Tab(cdp, targetId, sessionId);
  };

  return {
    cdp,
    async firstTab() {
      const { targetInfos } = await cdp.send<{ targetInfos: { targetId: string; type: string }[] }>('Target.getTargets');
      const page = targetInfos.find((t) => t.type === 'page');
      if (!page) throw new Error('chromium has no tab');
      return attach(page.targetId);
    },
    async openTabInFront(url = 'about:blank') {
      const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', { url });
      await cdp.send('Target.activateTarget', { targetId });
      return attach(targetId);
    },
    async close() {
      cdp.close();
      await cleanup();
    },
  };
}
