/**
 * The client directory at the scale of a large answering service: 5,000 clients, 3 DIDs and 30
 * allowed answers each, signed, loaded and indexed the way a desk does it at start-up (signature over
 * every byte, table checked, every number indexed, clients parsed on first use); the full check an
 * import does (every client parsed and schema-checked, no target); the first pop of a client, which
 * pays for that client's parse; then the two things an operator waits for during a call: finding the
 * client for a dialled number and searching answers.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAdminKeyPair, openBundle, readBundleFile, signDirectory } from '../electron/main/services/directory/bundle.js';
import type { DirectoryIndex } from '../electron/main/services/directory/directory-index.js';
import { buildPop } from '../electron/main/services/directory/pop-builder.js';
import { buildAnswerIndex } from '../shared/directory/answer-search.js';
import { Client } from '../shared/directory/schema.js';
import { didOf, generateClient, generateDirectory } from '../test/support/generate-directory.js';
import { collectGarbage, quantile, round, type Bench, type BenchResult } from './harness.js';

const CLIENTS = 5_000;
const DIDS = 3;
const ANSWERS = 30;
const LOAD_RUNS = 10;
const FULL_RUNS = 3;
const FIRST_POPS = 500;
const LOOKUPS = 100_000;

/** Deterministic pseudo-random integers, so every run looks up the same numbers. */
function lcg(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return s % n;
  };
}

/** The shapes a dialled number arrives in from carriers, PBXs and SIP headers. */
function dialledForms(written: string): string[] {
  const digits = written.replace(/[^0-9+]/g, '');
  const national = digits.startsWith('+81') ? `0${digits.slice(3)}` : digits;
  const e164 = `+81${national.slice(1)}`;
  return [national, e164, `${national.slice(0, 3)}-${national.slice(3, 7)}-${national.slice(7)}`, `sip:${e164}@pbx.example;user=phone`, `81${national.slice(1)}`];
}

const elapsedMs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function loadFigures(name: string): Promise<{ results: BenchResult[]; index: DirectoryIndex }> {
  const dir = await mkdtemp(join(tmpdir(), 'kotozute-bench-'));
  try {
    const key = generateAdminKeyPair();
    const json = JSON.stringify(generateDirectory({ clients: CLIENTS, didsPerClient: DIDS, answersPerClient: ANSWERS }));
    const bundle = signDirectory(json, key.privateKeyPem);
    const path = join(dir, 'directory.kzdir');
    await writeFile(path, bundle);
    const sizeMb = round(bundle.length / 1_048_576);

    // What the desk does at start-up: read, verify, check the table, index.
    const samples: number[] = [];
    let index: DirectoryIndex | undefined;
    for (let i = 0; i < LOAD_RUNS; i++) {
      index = undefined;
      collectGarbage();
      const start = process.hrtime.bigint();
      index = openBundle(await readBundleFile(path), key.publicKeyPem).index;
      samples.push(elapsedMs(start));
    }
    if (!index || index.size !== CLIENTS || index.didCount !== CLIENTS * DIDS) throw new Error('directory did not load whole');

    // What an import (and `kotozute-admin verify`) does: every client parsed and checked too.
    const fullSamples: number[] = [];
    for (let i = 0; i < FULL_RUNS; i++) {
      collectGarbage();
      const start = process.hrtime.bigint();
      const { directory } = openBundle(await readBundleFile(path), key.publicKeyPem, { full: true });
      fullSamples.push(elapsedMs(start));
      if (directory.clients.length !== CLIENTS) throw new Error('the full check did not give every client');
    }

    // The first pop of a client pays for parsing and validating it; later pops find it cached.
    const random = lcg(7);
    const firstPops: number[] = [];
    const popped = new Set<number>();
    const at = new Date('2026-04-01T10:00:00+09:00');
    while (popped.size < FIRST_POPS) {
      const client = random(CLIENTS);
      if (popped.has(client)) continue;
      popped.add(client);
      const did = didOf(client, random(DIDS));
      const start = process.hrtime.bigint();
      const pop = buildPop({ client: index.byDid(did), did, caller: { name: '', number: '' }, callId: 'bench', training: true, at });
      firstPops.push(elapsedMs(start));
      if (pop.client?.id !== `client-${client}`) throw new Error(`first pop of client-${client} went wrong`);
    }
    return {
      index,
      results: [
        { name, metric: 'bundle size', value: sizeMb, unit: 'MB', target: 50 },
        { name, metric: 'load + verify + index, median', value: round(quantile(samples, 0.5)), unit: 'ms', target: 300 },
        { name, metric: 'load + verify + index, p95', value: round(quantile(samples, 0.95)), unit: 'ms', target: 300 },
        { name, metric: 'full check (import, verify CLI), median', value: round(quantile(fullSamples, 0.5)), unit: 'ms', target: null },
        { name, metric: 'first pop of a client (lazy parse), p50', value: round(quantile(firstPops, 0.5)), unit: 'ms', target: null },
        { name, metric: 'first pop of a client (lazy parse), p99', value: round(quantile(firstPops, 0.99)), unit: 'ms', target: null },
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function lookupFigures(name: string, index: DirectoryIndex): BenchResult[] {
  const random = lcg(42);
  const queries: { dialled: string; expect: string | undefined }[] = [];
  for (let i = 0; i < 10_000; i++) {
    const client = random(CLIENTS);
    const forms = dialledForms(didOf(client, random(DIDS)));
    queries.push({ dialled: forms[random(forms.length)] as string, expect: `client-${client}` });
  }
  // One call in ten is for a number no client has (a wrong number, a withheld DID).
  for (let i = 0; i < 1_000; i++) queries.push({ dialled: `03-9${String(random(1e7)).padStart(7, '0')}`, expect: undefined });

  // Checking every query also parses each client it finds, so the timed lookups below measure the
  // index itself, as on a desk that has popped that client before.
  for (const q of queries) if (index.byDid(q.dialled)?.id !== q.expect) throw new Error(`lookup of ${q.dialled} went wrong`);
  const samples = new Float64Array(LOOKUPS);
  for (let i = 0; i < LOOKUPS; i++) {
    const q = queries[random(queries.length)] as (typeof queries)[number];
    const start = process.hrtime.bigint();
    index.byDid(q.dialled);
    samples[i] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const all = Array.from(samples);
  return [
    { name, metric: 'DID lookup, p50', value: Math.round(quantile(all, 0.5) * 1e6) / 1e6, unit: 'ms', target: null },
    { name, metric: 'DID lookup, p99', value: Math.round(quantile(all, 0.99) * 1e6) / 1e6, unit: 'ms', target: 0.05 },
  ];
}

/** What operators type: Japanese in kana and kanji, half-width katakana, English, two-word queries, and each keystroke on the way. */
const QUERIES = [
  '営業時間', 'えいぎょうじかん', 'へんぴん', 'ヘンピン', 'ﾍﾝﾋﾟﾝ', '返品 送料', '駐車場', '渋谷 駐車場', '請求書 再発行',
  '予約', '予約 変更', 'つながらない', '不在', 'カード', '費用 新宿', '採用', '内見 横浜', '診療', '届かない',
  'parking', 'Opening hours', 'invoice', 'ＩＮＶＯＩＣＥ', 'return', 'delivery', 'fee', 'booking', 'outage', 'price osaka', 'xyz 該当なし',
];
const keystrokes = (q: string) => Array.from({ length: [...q].length }, (_, i) => [...q].slice(0, i + 1).join(''));

function searchFigures(name: string): BenchResult[] {
  const client = Client.parse(generateClient(0, { answers: 300 }));
  const buildSamples: number[] = [];
  let answerIndex = buildAnswerIndex(client.answers);
  for (let i = 0; i < 50; i++) {
    const start = process.hrtime.bigint();
    answerIndex = buildAnswerIndex(client.answers);
    buildSamples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  if (answerIndex.search('ヘンピン').length === 0 || answerIndex.search('parking').length === 0) throw new Error('answer search found nothing');
  const typed = QUERIES.flatMap(keystrokes);
  const samples: number[] = [];
  for (let pass = 0; pass < 40; pass++) {
    for (const q of typed) {
      const start = process.hrtime.bigint();
      answerIndex.search(q);
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return [
    { name, metric: 'answer index build, 300 answers, p50', value: round(quantile(buildSamples, 0.5)), unit: 'ms', target: null },
    { name, metric: 'answer search, 300 answers, p50', value: round(quantile(samples, 0.5)), unit: 'ms', target: null },
    { name, metric: 'answer search, 300 answers, p99', value: round(quantile(samples, 0.99)), unit: 'ms', target: 2 },
  ];
}

const bench: Bench = {
  title: `${CLIENTS} clients × ${DIDS} DIDs × ${ANSWERS} answers: load, lookup, search`,
  async run() {
    const name = 'directory';
    const { results, index } = await loadFigures(name);
    return [...results, ...lookupFigures(name, index), ...searchFigures(name)];
  },
};
export default bench;
