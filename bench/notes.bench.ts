/**
 * Notes as an operator takes them: 60 s of continuous typing (12 keys a second, never a pause long
 * enough for the quiet-period save) into the message form of a training call, in Chromium, against
 * the real desk services over the real bridge (dev-web harness, the vault on disk with fsync).
 *
 * "Continuous typing" is the longest span during which something the field showed existed only in
 * the renderer's memory: from the input event that showed a character to the reply of the first
 * saveNote request that carried it (the main process answers after the sealed note is written).
 * Observed from outside the app: the page's input events and the bridge's WebSocket frames.
 * Target ≤ 1,000 ms (renderer/src/notes/autosaver.ts). Beside it, the save round trip as the renderer
 * sees it (request → reply), p95.
 */
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/e2e/support/chromium.js';
import { startHarness } from '../test/e2e/support/harness.js';
import { ja } from '../renderer/src/i18n/ja.js';
import { freshRenderer, quantile, round, type Bench, type BenchResult } from './harness.js';

const QUICK = process.env.BENCH_QUICK === '1';
const TYPING_MS = QUICK ? 8_000 : 60_000;
const KEYS_PER_SECOND = 12;
const TARGET_SPAN_MS = 1_000;
const FIELD_MAX = 2_000;

interface Observed {
  typed: [at: number, length: number][];
  requests: Map<number, { at: number; length: number }>;
  replies: Map<number, number>;
}

/** Records the field's input events and the bridge's saveNote requests and replies, in the page. */
function installObserver(): void {
  const w = window as unknown as { __notes: { typed: [number, number][]; requests: [number, number, number][]; replies: [number, number][] } };
  const log = { typed: [] as [number, number][], requests: [] as [number, number, number][], replies: [] as [number, number][] };
  w.__notes = log;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
    if (typeof data === 'string' && data.includes('"saveNote"')) {
      const msg = JSON.parse(data) as { id: number; method: string; arg: { fields: Record<string, string> } };
      if (msg.method === 'saveNote') log.requests.push([msg.id, Date.now(), msg.arg.fields.freeText?.length ?? 0]);
    }
    if (!(this as unknown as { __observed?: boolean }).__observed) {
      (this as unknown as { __observed?: boolean }).__observed = true;
      this.addEventListener('message', (e: MessageEvent) => {
        if (typeof e.data !== 'string' || !e.data.startsWith('{"id"')) return;
        const id = (JSON.parse(e.data) as { id: number }).id;
        log.replies.push([id, Date.now()]);
      });
    }
    return send.call(this, data);
  };
  document.addEventListener(
    'input',
    (e) => {
      const el = e.target;
      if (el instanceof HTMLTextAreaElement) log.typed.push([Date.now(), el.value.length]);
    },
    true,
  );
}

async function startTrainingCall(page: Page): Promise<void> {
  await page.getByRole('button', { name: ja.idle.simulate, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: ja.simulate.title });
  const clients = dialog.getByRole('listbox', { name: ja.simulate.clients });
  await clients.getByRole('option').first().waitFor();
  await clients.selectOption('midorido-shop');
  await dialog.getByRole('textbox', { name: ja.simulate.callerName }).fill('山田 太郎');
  await dialog.getByRole('button', { name: ja.simulate.ring, exact: true }).click();
  await page.getByRole('button', { name: ja.call.answer, exact: true }).click();
}

/** The longest span a shown character waited for a save that carried it to be answered. */
function longestUnsaved(o: Observed): { span: number; unsaved: number } {
  const saves = [...o.requests.entries()]
    .map(([id, r]) => ({ ...r, done: o.replies.get(id) }))
    .sort((a, b) => a.at - b.at);
  let span = 0;
  let unsaved = 0;
  for (const [at, length] of o.typed) {
    const save = saves.find((s) => s.at >= at && s.length >= length && s.done !== undefined);
    if (!save?.done) {
      unsaved++;
      continue;
    }
    span = Math.max(span, save.done - at);
  }
  return { span, unsaved };
}

const bench: Bench = {
  title: `notes: ${TYPING_MS / 1000} s of continuous typing at ${KEYS_PER_SECOND} keys/s into a training call's form (Chromium, real vault)`,
  async run(): Promise<BenchResult[]> {
    await freshRenderer();
    const harness = await startHarness();
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    try {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'ja-JP' });
      await context.addInitScript(installObserver);
      const page = await context.newPage();
      await page.goto(harness.url);
      await startTrainingCall(page);
      const field = page.getByRole('region', { name: ja.notes.heading, exact: true }).locator('textarea').first();
      await field.focus();
      const phrase = '明日の午前中に折り返しのお電話をお願いします。 Please call back tomorrow morning. ';
      const keys = Math.min(FIELD_MAX, Math.round((TYPING_MS / 1000) * KEYS_PER_SECOND));
      const text = phrase.repeat(Math.ceil(keys / phrase.length)).slice(0, keys);
      // Playwright's own per-key work (~2–5 ms) comes on top of the delay; the rate is close enough.
      await page.keyboard.type(text, { delay: 1000 / KEYS_PER_SECOND });
      await page.waitForTimeout(2_000);
      const raw = await page.evaluate(() => (window as unknown as { __notes: { typed: [number, number][]; requests: [number, number, number][]; replies: [number, number][] } }).__notes);
      const observed: Observed = {
        typed: raw.typed,
        requests: new Map(raw.requests.map(([id, at, length]) => [id, { at, length }])),
        replies: new Map(raw.replies),
      };
      const { span, unsaved } = longestUnsaved(observed);
      if (unsaved > 0) throw new Error(`notes bench: ${unsaved} typed states were never saved`);
      const roundTrips = [...observed.requests.entries()].flatMap(([id, r]) => {
        const done = observed.replies.get(id);
        return done === undefined ? [] : [done - r.at];
      });
      const seconds = (raw.typed.at(-1)![0] - raw.typed[0]![0]) / 1000;
      const result = (metric: string, value: number, unit: string, target: number | null): BenchResult => ({ name: 'notes', metric, value: round(value), unit, target });
      return [
        result('continuous typing: longest span typed text existed only in memory', span, 'ms', TARGET_SPAN_MS),
        result('continuous typing: keys per second achieved', raw.typed.length / seconds, 'keys/s', null),
        result('continuous typing: saves per second', observed.requests.size / seconds, '/s', null),
        result('autosave round trip (request → reply), p95', quantile(roundTrips, 0.95), 'ms', null),
      ];
    } finally {
      await browser.close();
      await harness.stop();
    }
  },
};

export default bench;
