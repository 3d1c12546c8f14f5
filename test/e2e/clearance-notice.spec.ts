/**
 * Operators see it too (issue 10 §6): after a shift lead cleared the desk, the operator who signs in
 * next is told so on their own screen — when, and by whom (the name and role from the roster) — and
 * that the desk starts empty; the notice is dismissed with one button and stays dismissed after a
 * reload. Screenshots ja and en to test-results/screenshots/.
 */
import { generateAdminKeyPair } from '../../electron/main/services/directory/bundle.js';
import { DeskPage, STRINGS } from './support/desk-page.js';
import { expect, test } from './support/fixtures.js';
import { callApi, importOneDeskRoster, provisionOfflineDesk } from './support/live-desk.js';
import { sampleDirectory } from './support/sample-directory.js';

const ja = STRINGS.ja;
const en = STRINGS.en;

test("after a shift lead clears the desk, the operator's screen says when and by whom, starts empty, and the notice can be dismissed", async ({ desk: page, harness }) => {
  const admin = generateAdminKeyPair();
  const directory = sampleDirectory();
  const client = directory.clients.find((c) => c.dids.length > 0)!;
  await provisionOfflineDesk(harness, directory, admin);
  await importOneDeskRoster(harness, admin, [
      { id: 'sl-001', roles: ['shift-lead'], secret: 'lantern by the north door', name: '山本 リーダー' },
      { id: 'op-001', roles: ['operator'], secret: '246810', name: '田中 花子' },
    ]);

  // A call left a note; the shift lead carries nothing over: it is discarded with a reason.
  await callApi(harness, 'popIncomingCall', { callId: 'notice-call-1', did: client.dids[0]!, caller: { name: '消去カナリア', number: '09033334444' } });
  const note = await callApi(harness, 'openNote', { callId: 'notice-call-1' });
  await callApi(harness, 'signIn', { personId: 'sl-001', secret: 'lantern by the north door' });
  await callApi(harness, 'clearDesk', { settlements: [{ noteId: note.summary.id, action: 'discard', reason: 'test-call' }], confirm: 'desk-01' });
  await callApi(harness, 'signOut');

  await page.reload();
  await page.getByLabel(ja.floor.person, { exact: true }).selectOption({ label: '田中 花子' });
  await page.getByLabel(ja.floor.pin, { exact: true }).fill('246810');
  await page.getByRole('button', { name: ja.floor.signIn, exact: true }).click();

  const notice = page.getByRole('status').filter({ has: page.getByRole('heading', { name: ja.deskClearance.clearedTitle, exact: true }) });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('山本 リーダー（シフトリーダー）が消去しました。');
  await expect(notice).toContainText(ja.deskClearance.startsEmpty);
  // The desk starts empty: nothing left to finish from before.
  expect(await callApi(harness, 'listNotes')).toEqual([]);
  await new DeskPage(page, 'ja').snap('desk-cleared-notice');

  const desk = new DeskPage(page, 'ja');
  await desk.switchLanguage('en');
  const enNotice = page.getByRole('status').filter({ has: page.getByRole('heading', { name: en.deskClearance.clearedTitle, exact: true }) });
  await expect(enNotice).toContainText('Cleared by 山本 リーダー (Shift lead) at');
  await desk.snap('desk-cleared-notice');

  await enNotice.getByRole('button', { name: en.deskClearance.dismiss, exact: true }).click();
  await expect(page.getByRole('heading', { name: en.deskClearance.clearedTitle, exact: true })).toHaveCount(0);
  // Dismissed stays dismissed: the desk remembers it, not the page (the operator stays signed in).
  await page.reload();
  await expect(desk.simulateButton()).toBeVisible();
  expect((await callApi(harness, 'getClearanceNotice')).cleared).toBeNull();
  await expect(page.getByRole('heading', { name: en.deskClearance.clearedTitle, exact: true })).toHaveCount(0);
});
