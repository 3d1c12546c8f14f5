/**
 * What a fault drill is and what every drill needs: its figures (the bench's BenchResult rows, so
 * they land in the same bench/results/latest.json), the quick switch, and children that do the
 * work and are SIGKILLed at a random moment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { quantile, round, type Bench, type BenchResult } from '../harness.js';

export type Drill = Bench;

/** DRILL_QUICK=1: a few trials to try the drill itself. */
export const QUICK = process.env.DRILL_QUICK === '1';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The rows every drill reports: trials, messages lost (≤ 0), duplicates delivered, recovery p95. */
export function drillRows(
  name: string,
  f: { trials: number; trialsUnit?: string; lost: number; duplicates: number | null; recoveryMs: readonly number[]; recoveryWhat: string },
): BenchResult[] {
  const rows: BenchResult[] = [
    { name, metric: 'trials', value: f.trials, unit: f.trialsUnit ?? 'runs', target: null },
    { name, metric: 'messages lost', value: f.lost, unit: 'messages', target: 0 },
  ];
  if (f.duplicates !== null) rows.push({ name, metric: 'duplicates delivered', value: f.duplicates, unit: 'messages', target: 0 });
  rows.push({ name, metric: `recovery p95 (${f.recoveryWhat})`, value: round(quantile(f.recoveryMs, 0.95)), unit: 'ms', target: null });
  return rows;
}

/** A child running one of bench/drills/children/*.ts, its stdout read line by line. */
export interface DrillChild {
  proc: ChildProcess;
  /** Resolves with the first line `match` accepts (rejects if the child exits first or after timeoutMs). */
  line(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Every line so far. */
  lines: string[];
  /** Resolves once the child has exited, with its signal. */
  exited: Promise<NodeJS.Signals | null>;
  stderr(): string;
}

const MAX_STDERR = 64 * 1024;

export function startChild(script: string, input: unknown): DrillChild {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench', 'drills', 'children', script)], {
    cwd: repoRoot,
    env: { ...process.env, DRILL_INPUT: JSON.stringify(input) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => {
    if (err.length < MAX_STDERR) err += c.toString('utf8');
  });
  const waiters = new Set<(line: string) => void>();
  createInterface({ input: proc.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const w of [...waiters]) w(l);
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.once('exit', (_code, signal) => resolve(signal)));
  return {
    proc,
    lines,
    exited,
    stderr: () => err,
    line(match, timeoutMs = 60_000) {
      const found = lines.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const done = () => {
          waiters.delete(waiter);
          clearTimeout(timer);
        };
        const waiter = (l: string) => {
          if (!match(l)) return;
          done();
          resolve(l);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`the child ${script} said nothing expected in ${timeoutMs} ms\n${err}`));
        }, timeoutMs);
        waiters.add(waiter);
        void exited.then((signal) => {
          if (!waiters.has(waiter)) return;
          done();
          reject(new Error(`the child ${script} exited (${signal}) before saying what was expected\n${err}`));
        });
      });
    },
  };
}

/** SIGKILLs the child and resolves once it is gone, with the moment it was killed. */
export async function killChild(child: DrillChild): Promise<number> {
  const at = performance.now();
  child.proc.kill('SIGKILL');
  const signal = await child.exited;
  if (signal !== 'SIGKILL' && child.proc.exitCode !== 0) throw new Error(`the child died of ${signal} (status ${child.proc.exitCode})\n${child.stderr()}`);
  return at;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The input a child was given (JSON in DRILL_INPUT). */
export function childInput<T>(): T {
  const raw = process.env.DRILL_INPUT;
  if (!raw) throw new Error('DRILL_INPUT is not set');
  return JSON.parse(raw) as T;
}
