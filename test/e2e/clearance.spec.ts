/**
 * End of day (終業処理, issue 10 §2) on a desk with a roster: two live messages are left undelivered
 * (the line's popIncomingCall and openNote through the bridge, as a real call leaves them), a shift
 * lead signs in, sees the counts and both messages (client, state — never content), settles one by
 * carry-over and one by discard with a reason code, and Clear stays disabled until every row is
 * settled and the desk id is typed. After clearing, the signed record shows and the desk's record
 * list holds it. Screenshots before and after, ja and en, to test-results/screenshots/.
 */
import { generateAdminKeyPair } from '../../electron/main/services/directory/bundle.js';
import { DeskPage, STRINGS } from './support/desk-page.js';
import { expect, test } from './support/fixtures.js';
import { callApi, importOneDeskRoster, provisionOfflineDesk } from './support/live-desk.js';
import { sampleDirectory } from './support/sample-directory.js';

const ja = STRINGS.ja;
const en = STRINGS.en;
const CALLER = { name: '終業カナリア', number: '09011112222' };

test('a shift lead settles every undelivered message (carry over, discard with a reason), types the desk id, clears the desk and reads the signed record', async ({ desk: page, harness }) => {
  const admin = generateAdminKeyPair();
  const directory = sampleDirectory();
  const client = directory.clients.find((c) => c.dids.length > 0)!;
  await provisionOfflineDesk(harness, directory, admin);
  await importOneDeskRoster(harness, admin, [{ id: 'sl-001', roles: ['shift-lead'], secret: 'lantern by the north door', name: '山本 リーダー' }]);

  // Two live calls left two open notes: undelivered.
  for (const callId of ['eod-call-1', 'eod-call-2']) {
    const pop = await callApi(harness, 'popIncomingCall', { callId, did: client.dids[0]!, caller: CALLER });
    expect(pop.training).toBe(false);
    await callApi(harness, 'openNote', { callId });
  }

  await page.reload();
  await expect(page.getByRole('heading', { name: ja.floor.signInTitle, exact: true })).toBeVisible();
  await page.getByLabel(ja.floor.person, { exact: true }).selectOption({ label: '山本 リーダー' });
  await page.getByLabel(ja.floor.passphrase, { exact: true }).fill('lantern by the north door');
  await page.getByRole('button', { name: ja.floor.signIn, exact: true }).click();

  const main = page.getByRole('main', { name: ja.clearance.title, exact: true });
  await expect(main.getByRole('heading', { name: ja.clearance.undeliveredTitle.replace('{{count}}', '2'), exact: true })).toBeVisible();
  const counts = main.getByRole('table', { name: ja.clearance.countsTitle, exact: true });
  await expect(counts.getByRole('row', { name: `${ja.clearance.notes.draft} 2` })).toBeVisible();
  await expect(main).not.toContainText(CALLER.name);
  await expect(main).not.toContainText(CALLER.number);

  const rowName = ja.clearance.rowLabel.replace('{{client}}', client.name).replace('{{state}}', ja.clearance.state.draft);
  const rows = main.getByRole('group', { name: rowName, exact: true });
  await expect(rows).toHaveCount(2);
  const first = rows.nth(0);
  const second = rows.nth(1);
  const clear = main.getByRole('button', { name: ja.clearance.clear, exact: true });
  const confirm = main.getByRole('textbox', { name: ja.clearance.confirmLabel.replace('{{desk}}', 'desk-01'), exact: true });
  await expect(clear).toBeDisabled();
  // Retry now is offered; the sample's first client has a fallback channel (its chat, by id).
  await expect(first.getByRole('button', { name: ja.clearance.retry, exact: true })).toBeEnabled();
  await expect(first.getByRole('button', { name: ja.clearance.fallbackTo.replace('{{channel}}', ja.clearance.channel.chatwork), exact: true })).toBeEnabled();

  // The desk id typed, one row settled: still disabled.
  await confirm.fill('desk-01');
  await first.getByRole('radio', { name: ja.clearance.carryOver, exact: true }).check();
  await expect(clear).toBeDisabled();
  // A discard without its reason is not settled either; the keyboard picks the reason.
  await second.getByRole('radio', { name: ja.clearance.discard, exact: true }).check();
  await expect(clear).toBeDisabled();
  const reason = second.getByRole('combobox', { name: ja.clearance.discardReason, exact: true });
  await reason.focus();
  await reason.selectOption('duplicate');
  await expect(reason).toHaveValue('duplicate');
  // A wrong desk id keeps it disabled.
  await confirm.fill('desk-02');
  await expect(clear).toBeDisabled();
  await confirm.fill('desk-01');
  await expect(clear).toBeEnabled();
  await new DeskPage(page, 'ja').snap('end-of-day');
  await page.getByRole('button', { name: en.settings.en, exact: true }).click();
  const enMain = page.getByRole('main', { name: en.clearance.title, exact: true });
  await expect(enMain.getByRole('button', { name: en.clearance.clear, exact: true })).toBeEnabled();
  await new DeskPage(page, 'en').snap('end-of-day');
  await page.getByRole('button', { name: ja.settings.ja, exact: true }).click();

  await clear.focus();
  await page.keyboard.press('Enter');
  const record = main.getByRole('region', { name: ja.clearance.recordTitle, exact: true });
  await expect(record).toBeFocused();
  await expect(record).toContainText('desk-01');
  await expect(record).toContainText('sl-001（シフトリーダー）');
  await expect(record).toContainText('メモ 1 件・送信ジョブ 0');
  await expect(record).toContainText(`1 件（${ja.clearance.discardReasons.duplicate} 1）`);
  await expect(record).toContainText(ja.clearance.record.methodText);
  await expect(record).toContainText(ja.clearance.record.first);
  await expect(record.getByText(/^[0-9a-f]{64}$/)).toHaveCount(1);
  // The carried-over message is still there to settle next time; the record is in the desk's list.
  await expect(main.getByRole('heading', { name: ja.clearance.undeliveredTitle.replace('{{count}}', '1'), exact: true })).toBeVisible();
  const list = main.getByRole('table', { name: ja.clearance.recordsTitle, exact: true });
  await expect(list.getByRole('row')).toHaveCount(2);
  await expect(list.getByRole('row').nth(1)).toContainText('sl-001');
  await expect(main).not.toContainText(CALLER.name);
  await new DeskPage(page, 'ja').snap('end-of-day-record');
  await page.getByRole('button', { name: en.settings.en, exact: true }).click();
  await expect(enMain.getByRole('region', { name: en.clearance.recordTitle, exact: true })).toContainText('sl-001 (Shift lead)');
  await new DeskPage(page, 'en').snap('end-of-day-record');
});
