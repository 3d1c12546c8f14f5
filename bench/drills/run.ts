/**
 * `npm run drill [name…]`: runs every fault drill, or the named ones, prints a table and merges the
 * figures into bench/results/latest.json (a drill's earlier rows are replaced, the benches' rows are
 * kept). DRILL_QUICK=1 runs a few trials of each. Exits 1 when a figure misses its target (a message
 * lost, a duplicate delivered), after printing the table. Not part of `npm test`.
 *
 * To add a drill: write bench/drills/<name>.drill.ts default-exporting a Drill and add it below.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resultsTable, type BenchResult } from '../harness.js';
import type { Drill } from './drill-harness.js';

const DRILLS: readonly { name: string; load: () => Promise<{ default: Drill }> }[] = [
  { name: 'sigkill-autosave', load: () => import('./sigkill-autosave.drill.js') },
  { name: 'sigkill-handoff', load: () => import('./sigkill-handoff.drill.js') },
  { name: 'sigkill-clearance', load: () => import('./sigkill-clearance.drill.js') },
  { name: 'receiver-flapping', load: () => import('./receiver-flapping.drill.js') },
  { name: 'sip-restart', load: () => import('./sip-restart.drill.js') },
  { name: 'disk-full', load: () => import('./disk-full.drill.js') },
  { name: 'clock-jump', load: () => import('./clock-jump.drill.js') },
  { name: 'keychain-locked', load: () => import('./keychain-locked.drill.js') },
];

const RESULTS = new URL('../results/', import.meta.url);


/** The rows already in latest.json (none if it is missing or unreadable). */
async function earlier(): Promise<BenchResult[]> {
  try {
    const parsed: unknown = JSON.parse(await readFile(new URL('latest.json', RESULTS), 'utf8'));
    return Array.isArray(parsed) ? (parsed as BenchResult[]) : [];
  } catch {
    return [];
  }
}

/** Drill rows are named `drill:<name>`; the new ones replace those of the same drills. */
function merge(old: readonly BenchResult[], fresh: readonly BenchResult[]): BenchResult[] {
  const replaced = new Set(fresh.map((r) => r.name));
  return [...old.filter((r) => !replaced.has(r.name)), ...fresh];
}

async function main(names: string[]): Promise<number> {
  const unknown = names.filter((n) => !DRILLS.some((d) => d.name === n));
  if (unknown.length) {
    process.stderr.write(`unknown drill: ${unknown.join(', ')}; available: ${DRILLS.map((d) => d.name).join(', ')}\n`);
    return 2;
  }
  const chosen = names.length ? DRILLS.filter((d) => names.includes(d.name)) : DRILLS;
  const results: BenchResult[] = [];
  for (const entry of chosen) {
    const drill = (await entry.load()).default;
    process.stdout.write(`▶ ${entry.name}: ${drill.title}\n`);
    const started = performance.now();
    try {
      results.push(...(await drill.run()));
    } catch (err) {
      // A drill that dies is a finding, not the end of the run: the other drills' figures still count.
      process.stderr.write(`  ${entry.name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      results.push({ name: `drill:${entry.name}`, metric: 'drill ran to the end (0 = yes)', value: 1, unit: 'failures', target: 0 });
    }
    process.stdout.write(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  process.stdout.write(`\n${resultsTable(results, 'drill')}\n`);
  await mkdir(RESULTS, { recursive: true });
  await writeFile(new URL('latest.json', RESULTS), `${JSON.stringify(merge(await earlier(), results), null, 2)}\n`);
  process.stdout.write(`\nmerged into bench/results/latest.json\n`);
  const missed = results.filter((r) => r.target !== null && !(r.value <= r.target));
  if (missed.length) {
    process.stderr.write(`\n${missed.length} target(s) missed: ${missed.map((r) => `${r.name} ${r.metric}`).join('; ')}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
