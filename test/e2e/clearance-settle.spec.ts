/**
 * End of day settles undelivered messages by sending them (issue 10 §2, §3): a shift lead who is also
 * an operator switches from the operator desk to End of day, sends one failed message again now (the
 * loopback webhook takes it this time) and one by the client's fallback channel (loopback SMTP); each
 * row leaves the list live once delivered, the desk clears, the page's own storage is cleared but the
 * audio-device setting, and the record is exported as its signed JSON and as a readable sheet.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ClientInput } from '../../shared/directory/schema.js';
import { generateAdminKeyPair } from '../../electron/main/services/directory/bundle.js';
import { parseRecord } from '../../electron/main/services/clearance/deletion-record.js';
import { generateClient } from '../support/generate-directory.js';
import { startHttpsReceiver, type HttpsReceiver } from '../support/receivers/https-receiver.js';
import { loopbackCa } from '../support/receivers/loopback-ca.js';
import { startSmtpReceiver, type SmtpReceiver } from '../support/receivers/smtp-receiver.js';
import { DeskPage, STRINGS } from './support/desk-page.js';
import { expect, test } from './support/fixtures.js';
import { startHarness, type Harness } from './support/harness.js';
import { grantDeskPermissions } from './support/permissions.js';
import { callApi, importOneDeskRoster, provisionOfflineDesk } from './support/live-desk.js';

const ja = STRINGS.ja;
const en = STRINGS.en;
const CALLER = { name: '再送カナリア', number: '09033334444' };

let harness: Harness | undefined;
let receivers: Array<HttpsReceiver | SmtpReceiver> = [];
let caFile = '';
test.afterEach(async () => {
  await harness?.stop();
  harness = undefined;
  for (const r of receivers) await r.close();
  receivers = [];
  if (caFile) await rm(caFile, { force: true });
});

test('a shift lead sends one message again now and one by the fallback channel, each leaves the list once delivered, then clears and exports the record', async ({ page, context }) => {
  test.setTimeout(120_000);
  const webhook = await startHttpsReceiver('webhook', { otherwise: 'reject' });
  const smtp = await startSmtpReceiver();
  receivers = [webhook, smtp];
  const client: ClientInput = {
    ...generateClient(4),
    id: 'hikari-dental',
    name: 'ひかり歯科',
    handOff: {
      channels: [webhook.channel],
      urgentAlso: [],
      minimalChat: false,
      fallback: { kind: 'email', id: 'backup-mail', to: ['uketsuke@hikari.example'], smtpSecret: 'test.smtp' },
    },
  };
  const admin = generateAdminKeyPair();
  const directory = { format: 'kotozute-directory', version: 1, publishedAt: '2026-11-01T09:00:00+09:00', publisher: 'テスト電話代行', clients: [client] };
  caFile = path.join(os.tmpdir(), `kotozute-e2e-settle-ca-${process.pid}.pem`);
  await writeFile(caFile, loopbackCa().ca);
  harness = await startHarness({ env: { KOTOZUTE_HANDOFF_CA: caFile } });
  const h = harness;

  await provisionOfflineDesk(h, directory, admin);
  await callApi(h, 'setHandOffSecret', { ref: 'test.webhook', value: webhook.secret });
  await callApi(h, 'setHandOffSecret', { ref: 'test.smtp', value: smtp.secret() });
  await importOneDeskRoster(h, admin, [{ id: 'sl-002', roles: ['operator', 'shift-lead'], secret: 'green lamp by the window', name: '佐々木 リーダー' }]);

  // Two messages taken and handed off; the client's webhook refuses both: failed, undelivered.
  for (const callId of ['settle-call-1', 'settle-call-2']) {
    await callApi(h, 'popIncomingCall', { callId, did: client.dids[0]!, caller: CALLER });
    const note = await callApi(h, 'openNote', { callId });
    await callApi(h, 'saveNote', { noteId: note.summary.id, fields: { name: CALLER.name, callback: CALLER.number, memo: '予約の変更' } });
    await callApi(h, 'handOffNote', { noteId: note.summary.id });
  }
  await expect.poll(async () => (await callApi(h, 'listNotes')).filter((n) => n.state === 'failed').length, { timeout: 20_000 }).toBe(2);

  await grantDeskPermissions(context, h.origin);
  await page.goto(h.url);
  await expect(page.getByRole('heading', { name: ja.floor.signInTitle, exact: true })).toBeVisible();
  // The page keeps a setting (audio devices) and something else; the clearance takes only the latter.
  await page.evaluate(() => {
    localStorage.setItem('kotozute.audio-devices', JSON.stringify({ microphone: '', speaker: '', ringtone: '' }));
    localStorage.setItem('left-by-the-day', 'x');
  });
  await page.getByLabel(ja.floor.person, { exact: true }).selectOption({ label: '佐々木 リーダー' });
  await page.getByLabel(ja.floor.passphrase, { exact: true }).fill('green lamp by the window');
  await page.getByRole('button', { name: ja.floor.signIn, exact: true }).click();

  // Operator and shift lead: the operator desk first, End of day one switch away.
  const views = page.getByRole('group', { name: ja.floor.views, exact: true });
  await expect(views.getByRole('button', { name: ja.floor.viewDesk, exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(views.getByRole('button', { name: ja.floor.viewBoard, exact: true })).toHaveCount(0);
  await views.getByRole('button', { name: ja.floor.viewClearance, exact: true }).click();
  await expect(views.getByRole('button', { name: ja.floor.viewClearance, exact: true })).toHaveAttribute('aria-pressed', 'true');

  const main = page.getByRole('main', { name: ja.clearance.title, exact: true });
  const heading = (n: number) => main.getByRole('heading', { name: ja.clearance.undeliveredTitle.replace('{{count}}', String(n)), exact: true });
  await expect(heading(2)).toBeVisible();
  const rows = main.getByRole('group', { name: ja.clearance.rowLabel.replace('{{client}}', client.name).replace('{{state}}', ja.clearance.state.failed), exact: true });
  await expect(rows).toHaveCount(2);

  // Retry now: the webhook takes it this time; the row leaves the list by itself once delivered.
  webhook.script(['succeed']);
  await rows.nth(0).getByRole('button', { name: ja.clearance.retry, exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: ja.clearance.retrySent })).toBeVisible();
  await expect(heading(1)).toBeVisible({ timeout: 20_000 });
  expect(webhook.received).toHaveLength(1);

  // The other by the fallback channel (mail).
  const fallback = rows.nth(0).getByRole('button', { name: ja.clearance.fallbackTo.replace('{{channel}}', ja.clearance.channel.email), exact: true });
  await fallback.click();
  await expect(main.getByText(ja.clearance.noneUndelivered, { exact: true })).toBeVisible({ timeout: 20_000 });
  expect(smtp.received).toHaveLength(1);
  expect(smtp.received[0]?.to).toContain('uketsuke@hikari.example');
  expect(webhook.received).toHaveLength(1);

  // Nothing left to settle: type the desk id and clear.
  await main.getByRole('textbox', { name: ja.clearance.confirmLabel.replace('{{desk}}', 'desk-01'), exact: true }).fill('desk-01');
  await main.getByRole('button', { name: ja.clearance.clear, exact: true }).click();
  const record = main.getByRole('region', { name: ja.clearance.recordTitle, exact: true });
  await expect(record).toBeVisible();
  await expect(record).toContainText('画面の保存領域 1 件');
  await expect.poll(() => page.evaluate(() => [localStorage.getItem('left-by-the-day'), localStorage.getItem('kotozute.audio-devices') !== null])).toEqual([null, true]);
  await expect(main).not.toContainText(CALLER.name);

  // Export: the signed JSON as the desk keeps it, and the readable sheet (ja, then en).
  const [json] = await Promise.all([page.waitForEvent('download'), record.getByRole('button', { name: ja.clearance.exportJson.replace('{{seq}}', '1'), exact: true }).click()]);
  expect(json.suggestedFilename()).toBe('deletion-record-desk-01-000001.json');
  const saved = parseRecord(await readFile((await json.path())!, 'utf8'));
  expect(typeof saved).not.toBe('string');
  expect(saved).toMatchObject({ seq: 1, deskId: 'desk-01', by: { personId: 'sl-002', role: 'shift-lead' } });
  const [sheet] = await Promise.all([page.waitForEvent('download'), record.getByRole('button', { name: ja.clearance.exportSheet.replace('{{seq}}', '1'), exact: true }).click()]);
  expect(sheet.suggestedFilename()).toBe('deletion-record-desk-01-000001.html');
  const html = await readFile((await sheet.path())!, 'utf8');
  expect(html).toContain('消去記録 — desk-01 #1');
  expect(html).not.toContain(CALLER.name);
  expect(html).not.toContain(CALLER.number);
  await new DeskPage(page, 'ja').snap('end-of-day-settled');

  // In English, from the desk's record list.
  await page.getByRole('button', { name: en.settings.en, exact: true }).click();
  const list = page.getByRole('table', { name: en.clearance.recordsTitle, exact: true });
  const [enSheet] = await Promise.all([page.waitForEvent('download'), list.getByRole('button', { name: en.clearance.exportSheet.replace('{{seq}}', '1'), exact: true }).click()]);
  const enHtml = await readFile((await enSheet.path())!, 'utf8');
  expect(enHtml).toContain('<html lang="en">');
  expect(enHtml).toContain('sl-002 (Shift lead)');
  await page.getByRole('button', { name: ja.settings.ja, exact: true }).click();

  // The sheets as an auditor opens them: a page of their own, away from the desk's policy.
  await page.goto('about:blank');
  await page.setContent(html);
  await new DeskPage(page, 'ja').snap('deletion-record-sheet');
  await page.setContent(enHtml);
  await new DeskPage(page, 'en').snap('deletion-record-sheet');
});
