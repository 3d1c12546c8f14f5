/**
 * A client with many allowed answers: the pop's first frame lays out only the rows in view, and the
 * rest follow a frame later (renderer/src/desk/answer-panel.tsx). None may be lost on the way — every
 * answer is listed, the last one can be searched for and picked, and Alt+1 still picks the first.
 */
import { test as base, expect } from '@playwright/test';
import { generateDirectory } from '../support/generate-directory.js';
import { DeskPage } from './support/desk-page.js';
import { openDesk } from './support/fixtures.js';
import type { Harness } from './support/harness.js';
import { startTrainingHarness } from './support/training-harness.js';

const ANSWERS = 30;
const directory = generateDirectory({ clients: 2, answersPerClient: ANSWERS });
const client = directory.clients[0]!;

const test = base.extend<object, { manyAnswersHarness: Harness }>({
  manyAnswersHarness: [
    async ({}, use) => {
      const harness = await startTrainingHarness(directory);
      await use(harness);
      await harness.stop();
    },
    { scope: 'worker' },
  ],
});

test('every one of 30 answers is listed, searchable and pickable once the pop has painted', async ({ page, manyAnswersHarness }) => {
  await openDesk(page, manyAnswersHarness);
  const d = new DeskPage(page, 'ja');
  const dialog = await d.fillSimulateForDid(client.dids[0]!, { name: '山田 太郎', number: '090-1234-5678' });
  await d.ring(dialog);
  await expect(d.ringing()).toContainText(client.name);

  const options = d.answerList().getByRole('option');
  await expect(options).toHaveCount(ANSWERS);
  await expect(options.last()).toContainText(client.answers[ANSWERS - 1]!.topic);

  await d.answer();
  await page.keyboard.press('Alt+1');
  await expect(d.pickedAnswer()).toContainText(client.answers[0]!.wording);

  const last = client.answers[ANSWERS - 1]!;
  await d.answerSearch().fill(last.keywords.ja?.[0] ?? last.topic);
  await expect(options.filter({ hasText: last.topic }).first()).toBeVisible();
  await d.end();
});
