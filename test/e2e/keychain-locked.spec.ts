/**
 * The keychain locked mid-shift, as the shift lead meets it (issue 11 §3, "what the operator saw"):
 * the OS locks the keyring while the desk runs (test/support/keyring-lock.ts locks it as a screen
 * locker does), the shift lead presses Clear at End of day, and the desk refuses — nothing cleared,
 * the message still listed — with an alert that says in Japanese (and English) that the keychain is
 * locked and to unlock it and try again. Unlocked again, the same Clear goes through.
 */
import { generateAdminKeyPair } from '../../electron/main/services/directory/bundle.js';
import { canUnlockKeyring, keyringLocked, lockKeyring, unlockKeyring } from '../support/keyring-lock.js';
import { DeskPage, STRINGS } from './support/desk-page.js';
import { expect, test } from './support/fixtures.js';
import { callApi, importOneDeskRoster, provisionOfflineDesk } from './support/live-desk.js';
import { sampleDirectory } from './support/sample-directory.js';

const ja = STRINGS.ja;
const en = STRINGS.en;

test.afterEach(async () => {
  if (canUnlockKeyring() && (await keyringLocked())) await unlockKeyring();
});

test('a clearance while the OS keychain is locked is refused with a clear ja/en message, and goes through once it is unlocked', async ({ desk: page, harness }) => {
  test.skip(!canUnlockKeyring(), 'needs the keyring of test/support/with-keyring.sh (its password file) to unlock it again');
  const admin = generateAdminKeyPair();
  const directory = sampleDirectory();
  const client = directory.clients.find((c) => c.dids.length > 0)!;
  await provisionOfflineDesk(harness, directory, admin);
  await importOneDeskRoster(harness, admin, [{ id: 'sl-001', roles: ['shift-lead'], secret: 'lantern by the north door', name: '山本 リーダー' }]);
  await callApi(harness, 'popIncomingCall', { callId: 'locked-call-1', did: client.dids[0]!, caller: { name: 'ロック カナリア', number: '09033334444' } });
  await callApi(harness, 'openNote', { callId: 'locked-call-1' });

  await page.reload();
  await page.getByLabel(ja.floor.person, { exact: true }).selectOption({ label: '山本 リーダー' });
  await page.getByLabel(ja.floor.passphrase, { exact: true }).fill('lantern by the north door');
  await page.getByRole('button', { name: ja.floor.signIn, exact: true }).click();
  const main = page.getByRole('main', { name: ja.clearance.title, exact: true });
  const rowName = ja.clearance.rowLabel.replace('{{client}}', client.name).replace('{{state}}', ja.clearance.state.draft);
  await main.getByRole('group', { name: rowName, exact: true }).getByRole('radio', { name: ja.clearance.carryOver, exact: true }).check();
  await main.getByRole('textbox', { name: ja.clearance.confirmLabel.replace('{{desk}}', 'desk-01'), exact: true }).fill('desk-01');
  const clear = main.getByRole('button', { name: ja.clearance.clear, exact: true });
  await expect(clear).toBeEnabled();

  await lockKeyring();
  await clear.click();
  const alert = page.getByRole('alert', { name: ja.errors.heading, exact: true });
  await expect(alert).toContainText(ja.errors.code['keychain-unavailable']);
  await expect(alert).toContainText(ja.errors.keychain.locked);
  // Nothing was cleared: no record, the message still listed.
  await expect(main.getByRole('region', { name: ja.clearance.recordTitle, exact: true })).toHaveCount(0);
  await expect(main.getByRole('group', { name: rowName, exact: true })).toHaveCount(1);
  await new DeskPage(page, 'ja').snap('keychain-locked');
  await page.getByRole('button', { name: en.settings.en, exact: true }).click();
  await expect(page.getByRole('alert', { name: en.errors.heading, exact: true })).toContainText(en.errors.keychain.locked);
  await new DeskPage(page, 'en').snap('keychain-locked');
  await page.getByRole('button', { name: ja.settings.ja, exact: true }).click();

  await unlockKeyring();
  await page.getByRole('button', { name: ja.errors.dismiss, exact: true }).click();
  await expect(clear).toBeEnabled();
  await clear.click();
  await expect(main.getByRole('region', { name: ja.clearance.recordTitle, exact: true })).toContainText('desk-01');
});
