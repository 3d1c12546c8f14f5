/**
 * `npm run bench [name…]`: runs every benchmark, or the named ones, prints a table and writes
 * bench/results/latest.json (an array of {name, metric, value, unit, target}). Exits 1 when a
 * figure misses its target (a NaN misses too), so a slower desk fails the run instead of printing MISSED.
 *
 * To add a benchmark: write bench/<name>.bench.ts default-exporting a Bench (bench/harness.ts),
 * and add one line to BENCHES below.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { resultsTable, type Bench, type BenchResult } from './harness.js';

const BENCHES: readonly { name: string; load: () => Promise<{ default: Bench }> }[] = [
  { name: 'directory', load: () => import('./directory.bench.js') },
  { name: 'vault', load: () => import('./vault.bench.js') },
  { name: 'handoff', load: () => import('./handoff.bench.js') },
  { name: 'pop', load: () => import('./pop.bench.js') },
  { name: 'calls', load: () => import('./calls.bench.js') },
  { name: 'notes', load: () => import('./notes.bench.js') },
  { name: 'floor', load: () => import('./floor.bench.js') },
  { name: 'monitor', load: () => import('./monitor.bench.js') },
  { name: 'clearance', load: () => import('./clearance.bench.js') },
  { name: 'floor-clearance', load: () => import('./floor-clearance.bench.js') },
  { name: 'preload', load: () => import('./preload.bench.js') },
];

const RESULTS = new URL('./results/', import.meta.url);


async function main(names: string[]): Promise<number> {
  const unknown = names.filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length) {
    process.stderr.write(`unknown bench: ${unknown.join(', ')}; available: ${BENCHES.map((b) => b.name).join(', ')}\n`);
    return 2;
  }
  const chosen = names.length ? BENCHES.filter((b) => names.includes(b.name)) : BENCHES;
  const results: BenchResult[] = [];
  for (const entry of chosen) {
    const bench = (await entry.load()).default;
    process.stdout.write(`▶ ${entry.name}: ${bench.title}\n`);
    results.push(...(await bench.run()));
  }
  process.stdout.write(`\n${resultsTable(results, 'bench')}\n`);
  await mkdir(RESULTS, { recursive: true });
  await writeFile(new URL('latest.json', RESULTS), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nwritten to bench/results/latest.json\n`);
  const missed = results.filter((r) => r.target !== null && !(r.value <= r.target));
  if (missed.length) {
    process.stderr.write(`\n${missed.length} target(s) missed: ${missed.map((r) => `${r.name} ${r.metric}`).join('; ')}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
