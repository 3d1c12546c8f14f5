/**
 * The operator's first day: the desk opens in training mode on the sample directory, a simulated
 * call rings and pops the client's greeting, script, allowed answers, never-disclose list and staff
 * board (public phrases only), the answers are searched and picked from the keyboard, and an
 * unknown number gets the generic script with a warning.
 */
import { test, expect } from './support/fixtures.js';
import { DeskPage } from './support/desk-page.js';
import { publicPhraseOf, sampleClient, sampleDirectory } from './support/sample-directory.js';

const shop = sampleClient('midorido-shop');
const caller = { name: '山田 太郎', number: '090-1234-5678' };

test('the desk opens in training mode with the sample directory', async ({ desk }) => {
  const d = new DeskPage(desk);
  await expect(desk.getByText(d.t.topBar.trainingBadge, { exact: true })).toBeVisible();
  await expect(desk.getByRole('status').filter({ hasText: d.t.topBar.lineTraining })).toBeVisible();
  const clients = sampleDirectory().clients.length;
  await expect(desk.getByRole('banner')).toContainText(d.t.topBar.directoryClients.replace('{{count}}', String(clients)));
  await expect(desk.getByRole('banner')).toContainText(d.t.topBar.directorySample);
  await expect(d.idle()).toBeVisible();
  await expect(d.simulateButton()).toBeFocused();
  // The keychain is real and unlocked here: no "cannot take notes" warning.
  await expect(desk.getByText(d.t.keychain.warning.split('{{')[0]!)).toHaveCount(0);
});

test('a simulated call rings, and answering it shows the whole pop', async ({ desk }) => {
  const d = new DeskPage(desk);
  const dialog = await d.fillSimulateForClient('みどり', new RegExp(shop.name.slice(0, 4)), caller);
  await d.ring(dialog);

  const ringing = d.ringing();
  await expect(ringing).toContainText(shop.name);
  await expect(ringing).toContainText(caller.name);
  await expect(ringing).toContainText(caller.number);
  await expect(ringing.getByRole('button', { name: d.t.call.answer, exact: true })).toBeFocused();

  await d.answer();
  await expect(d.answerSearch()).toBeFocused();

  const greetings = [shop.greeting.default, ...shop.greeting.variants.map((v) => v.text)];
  const greeting = (await d.panel(d.t.pop.greeting).locator('p').innerText()).trim();
  expect(greetings).toContain(greeting);

  const script = d.panel(d.t.pop.script);
  for (const section of shop.script) {
    await expect(script.getByRole('heading', { name: section.title, level: 3 })).toBeVisible();
  }

  await expect(d.answerList().getByRole('option')).toHaveCount(shop.answers.length);

  const never = d.panel(d.t.pop.neverDisclose);
  for (const n of shop.neverDisclose) await expect(never).toContainText(n.item);

  const staff = d.panel(d.t.pop.staff).getByRole('table');
  for (const s of shop.staff) {
    const row = staff.getByRole('row').filter({ hasText: s.name });
    await expect(row).toContainText(d.t.status[s.status]);
    await expect(row).toContainText(publicPhraseOf(shop, s));
  }

  // Transfer targets are dialled by the desk, never shown: not in the DOM, not even hidden.
  const html = await desk.content();
  expect(html).not.toContain('sip:');
  for (const s of shop.staff) if (s.transferTarget) expect(html).not.toContain(s.transferTarget);

  await d.end();
});

test('answers are found by kana, katakana or an English keyword and picked from the keyboard', async ({ desk }) => {
  const d = new DeskPage(desk);
  await d.ring(await d.fillSimulateForClient('0120-555-020', new RegExp(shop.name.slice(0, 4)), caller));
  await d.answer();

  const returns = shop.answers.find((a) => a.id === 'return')!;
  const gift = shop.answers.find((a) => a.id === 'gift')!;
  const options = d.answerList().getByRole('option');

  for (const query of ['へんぴん', 'ヘンピン', 'refund', 'ＲＥＦＵＮＤ']) {
    await d.answerSearch().fill(query);
    await expect(options.first(), query).toContainText(returns.topic);
    expect(await options.count(), query).toBeLessThan(shop.answers.length);
  }

  // Nothing matches: the operator is told to take a message instead.
  await d.answerSearch().fill('zzzzqqq');
  await expect(desk.getByRole('status').filter({ hasText: d.t.pop.noMatch })).toBeVisible();

  // Type, move with the arrows, pick with Enter: the approved wording appears large, to read.
  await d.answerSearch().fill('ぎふと');
  await expect(options.first()).toContainText(gift.topic);
  await d.answerSearch().press('Enter');
  await expect(d.pickedAnswer()).toContainText(gift.wording.slice(0, 30));

  await d.answerSearch().fill('');
  await d.answerSearch().press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await d.answerSearch().press('Enter');
  await expect(d.pickedAnswer()).toContainText(shop.answers[1]!.topic);

  // Alt+3 picks the third answer from anywhere on the desk; F3 returns to the search box.
  await desk.getByRole('heading', { name: d.t.pop.greeting }).click();
  await desk.keyboard.press('Alt+3');
  await expect(d.pickedAnswer()).toContainText(shop.answers[2]!.topic);
  await desk.keyboard.press('F3');
  await expect(d.answerSearch()).toBeFocused();

  await d.end();
});

test('the whole call can be taken from the keyboard', async ({ desk }) => {
  const d = new DeskPage(desk);
  await desk.keyboard.press('F9');
  const dialog = d.simulateDialog();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: d.t.simulate.callerName }).fill(caller.name);
  await expect(dialog.getByRole('button', { name: d.t.simulate.ring, exact: true })).toBeEnabled();
  await dialog.getByRole('textbox', { name: d.t.simulate.callerNumber }).press('Enter');
  await expect(d.ringing()).toBeVisible();
  await desk.keyboard.press('F2');
  await expect(d.inCall()).toBeVisible();
  await desk.keyboard.press('F4');
  await expect(d.idle()).toBeVisible();
  await expect(d.simulateButton()).toBeFocused();

  // Declining a ring also returns to waiting. Enter submits once the client list has loaded (the
  // Ring button is disabled until then, which blocks implicit submission).
  await desk.keyboard.press('F9');
  await expect(dialog.getByRole('button', { name: d.t.simulate.ring, exact: true })).toBeEnabled();
  await dialog.getByRole('textbox', { name: d.t.simulate.callerNumber }).press('Enter');
  await expect(d.ringing()).toBeVisible();
  await desk.keyboard.press('F8');
  await expect(d.idle()).toBeVisible();
});

test('an unknown number gets the generic script and a visible warning', async ({ desk }) => {
  const d = new DeskPage(desk);
  await d.ring(await d.fillSimulateForDid('03-9876-5432', caller));
  await expect(d.ringing()).toContainText(d.t.call.unknownNumber);
  await d.answer();

  await expect(desk.getByRole('alert').filter({ hasText: d.t.unknown.warning })).toBeVisible();
  await expect(d.panel(d.t.pop.greeting)).toContainText(d.t.unknown.greeting);
  await expect(d.panel(d.t.pop.script).getByRole('heading', { name: d.t.unknown.scriptTitle })).toBeVisible();
  // Nothing about any client: no staff board, no answers.
  await expect(d.panel(d.t.pop.staff)).toHaveCount(0);
  await expect(desk.getByText(d.t.pop.noAnswers)).toBeVisible();
  await d.end();
});

test('a dialled number that is not a phone number is refused with a clear error', async ({ desk }) => {
  const d = new DeskPage(desk);
  const dialog = await d.fillSimulateForDid('abc', caller);
  await dialog.getByRole('button', { name: d.t.simulate.ring, exact: true }).click();
  await expect(desk.getByRole('alert').filter({ hasText: d.t.errors.code['invalid-argument'] })).toBeVisible();
  await expect(d.ringing()).toHaveCount(0);
});
