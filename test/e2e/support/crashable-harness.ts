/**
 * The dev-web harness for the notes specs, started exactly like support/harness.ts (same entry,
 * same environment) but keeping ALL of its stdout and stderr — the canary scan reads every byte it
 * logged — and able to die by SIGKILL, so the crash test can cut the main-process services off
 * mid-typing and start them again on the same data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { HARNESS_ENTRY, REPO } from './paths.js';

export interface CrashableHarness {
  url: string;
  dataDir: string;
  /** Everything the process wrote so far. */
  stdout(): Buffer;
  stderr(): Buffer;
  /** SIGKILL: no handlers run, nothing is flushed or closed. */
  kill(): Promise<void>;
  /** SIGTERM and wait (SIGKILL after 5 s). */
  stop(): Promise<void>;
}

const URL_LINE = /^KOTOZUTE_WEB_URL=(http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43})$/;

export async function startCrashableHarness(dataDir: string, env: Record<string, string> = {}, readyTimeoutMs = 30_000): Promise<CrashableHarness> {
  const child = spawn(process.execPath, ['--import', 'tsx', HARNESS_ENTRY], {
    cwd: REPO,
    env: { ...process.env, NODE_ENV: 'test', KOTOZUTE_WEB_PORT: '0', KOTOZUTE_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`dev-web not ready in ${readyTimeoutMs} ms\n${Buffer.concat(err).toString()}`)), readyTimeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dev-web exited (${code}) before it was ready\n${Buffer.concat(err).toString()}`));
    });
    lines.on('line', (line) => {
      const m = URL_LINE.exec(line.trim());
      if (!m) return;
      clearTimeout(timer);
      resolve(m[1]!);
    });
  }).catch(async (e: unknown) => {
    await kill(child, exited, 'SIGKILL');
    throw e;
  });

  return {
    url,
    dataDir,
    stdout: () => Buffer.concat(out),
    stderr: () => Buffer.concat(err),
    kill: () => kill(child, exited, 'SIGKILL'),
    stop: () => kill(child, exited, 'SIGTERM'),
  };
}

async function kill(child: ChildProcess, exited: Promise<void>, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
