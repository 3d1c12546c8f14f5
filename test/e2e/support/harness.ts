/**
 * Starts the dev-web harness as `npm run dev:web` would (minus the build) and reads the one line it
 * prints when ready. Used by the end-to-end fixtures and by the pop benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { HARNESS_ENTRY, REPO } from './paths.js';

export interface Harness {
  /** The page URL including `#token=…`. */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  token: string;
  dataDir: string;
  /** What the harness wrote to stderr so far (its JSON-lines log), for failure messages. */
  log(): string;
  /**
   * Plays the OS waking up: the harness pushes the power event "resume" to the connected pages, as
   * Electron's powerMonitor does (SIGUSR2, handled only with NODE_ENV=test; see electron/dev-web/server.ts).
   */
  resume(): void;
  /** Plays the OS locking its screen: the power event "lock-screen" (SIGPWR, NODE_ENV=test only). */
  lockScreen(): void;
  /** SIGTERM, wait for the exit (SIGKILL after 5 s), remove the data folder. */
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Extra environment (e.g. KOTOZUTE_TRAINING_DIRECTORY). */
  env?: Record<string, string>;
  /** Reuse a data folder (to prove something persists across restarts); default a fresh temp one. */
  dataDir?: string;
  readyTimeoutMs?: number;
}

const URL_LINE = /^KOTOZUTE_WEB_URL=(http:\/\/127\.0\.0\.1:(\d+))\/#token=([A-Za-z0-9_-]{43})$/;

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const ownDataDir = o.dataDir === undefined;
  const dataDir = o.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'kotozute-e2e-')));
  const child = spawn(process.execPath, ['--import', 'tsx', HARNESS_ENTRY], {
    cwd: REPO,
    env: { ...process.env, NODE_ENV: 'test', KOTOZUTE_WEB_PORT: '0', KOTOZUTE_DATA_DIR: dataDir, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });

  const cleanup = async () => {
    await terminate(child);
    if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
  };

  let match: RegExpExecArray;
  try {
    match = await readUrlLine(child, o.readyTimeoutMs ?? 30_000, () => stderr);
  } catch (err) {
    await cleanup();
    throw err;
  }
  const [, origin = '', port = '0', token = ''] = match;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port: Number(port),
    token,
    dataDir,
    log: () => stderr,
    resume: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGUSR2');
    },
    lockScreen: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGPWR');
    },
    stop: cleanup,
  };
}

function readUrlLine(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => finish(new Error(`dev-web did not print its URL within ${timeoutMs} ms.\n${stderr()}`)), timeoutMs);
    const onExit = (code: number | null) => finish(new Error(`dev-web exited (code ${code}) before it was ready.\n${stderr()}`));
    const finish = (result: RegExpExecArray | Error) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      lines.removeAllListeners('line');
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    child.once('exit', onExit);
    lines.on('line', (line) => {
      const m = URL_LINE.exec(line.trim());
      if (m) finish(m);
      else finish(new Error(`dev-web printed an unexpected stdout line: ${JSON.stringify(line.slice(0, 200))}`));
    });
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
