/**
 * What a benchmark is and the small statistics every benchmark needs. A benchmark module default-
 * exports a Bench; bench/run.ts lists the modules by name.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** One figure, as written to bench/results/latest.json. Lower is better; `target` is the ceiling. */
export interface BenchResult {
  name: string;
  metric: string;
  value: number;
  unit: string;
  target: number | null;
}

export interface Bench {
  /** Short description printed before it runs. */
  title: string;
  run(): Promise<BenchResult[]>;
}

/** The q-quantile (0..1) of samples by nearest rank. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Milliseconds taken by fn, with sub-microsecond resolution. */
export function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Rounds for display and JSON: three significant decimals are plenty for milliseconds. */
export const round = (n: number) => Math.round(n * 1000) / 1000;

let gc: (() => void) | undefined;

/**
 * Collects garbage between samples, so one sample's garbage (a 36 MB directory) is not billed to the
 * next: a desk loads a directory into a settled heap, not into the wreckage of ten earlier loads.
 */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

let rendererFresh = false;

/**
 * Builds the web renderer from the tree as it is, once per bench process. A bench must measure the
 * code in front of it: dist/renderer may hold an older build (the last e2e or bench run), and a
 * figure taken on it says nothing about this tree.
 */
export async function freshRenderer(): Promise<void> {
  if (rendererFresh) return;
  const { buildWebRenderer } = await import('../test/e2e/support/chromium.js');
  buildWebRenderer();
  rendererFresh = true;
}

/** The results as a text table (what bench/run.ts and bench/drills/run.ts print); `first` heads the name column. */
export function resultsTable(results: readonly BenchResult[], first: string): string {
  const rows = [
    [first, 'metric', 'value', 'unit', 'target', ''],
    ...results.map((r) => [
      r.name,
      r.metric,
      String(r.value),
      r.unit,
      r.target === null ? '—' : `≤ ${r.target}`,
      r.target === null ? '' : r.value <= r.target ? 'ok' : 'MISSED',
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
