/**
 * Sign-in on a desk with a team roster (issue 9), in Japanese: the desk shows its identity in
 * Settings, takes a provisioning profile and then a roster signed by the admin, asks who is there,
 * locks a name after five wrong PINs, lets a supervisor in to the floor view (and their operator
 * desk), and signs out with one keystroke. Screenshots of the sign-in screen and of Settings › This
 * desk in ja and en go to test-results/screenshots/.
 */
import { test, expect } from './support/fixtures.js';
import { DeskPage, STRINGS } from './support/desk-page.js';
import { LinePage } from './support/line-page.js';
import { generateAdminKeyPair } from '../../electron/main/services/directory/admin-key.js';
import { readEnrolment } from '../../electron/main/services/roster/desk-key.js';
import { signRoster } from '../../electron/main/services/roster/roster-bundle.js';
import { makeRoster } from '../support/roster-fixture.js';

const ja = STRINGS.ja;
const en = STRINGS.en;

test('a roster brings sign-in: five wrong PINs lock the name, the right secret opens the role screens, Ctrl+Shift+L signs out', async ({ desk: page }) => {
  const d = new DeskPage(page, 'ja');
  const line = new LinePage(page, 'ja');

  // Settings › This desk: the fingerprint and the enrolment string (in both languages).
  await line.open();
  const identity = line.dialog().getByRole('group', { name: ja.floor.identity, exact: true });
  await expect(identity.getByText(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/)).toBeVisible();
  await expect(identity.getByText(ja.floor.notEnrolled)).toBeVisible();
  await identity.scrollIntoViewIfNeeded();
  await identity.screenshot({ path: 'test-results/screenshots/ja-settings-desk-identity.png' });
  const enrolment = readEnrolment(await identity.getByLabel(ja.floor.enrolment, { exact: true }).inputValue());
  expect(enrolment).not.toBeNull();
  await line.close();
  await d.switchLanguage('en');
  const enLine = new LinePage(page, 'en');
  await enLine.open();
  const enIdentity = enLine.dialog().getByRole('group', { name: en.floor.identity, exact: true });
  await expect(enIdentity.getByText(en.floor.notEnrolled)).toBeVisible();
  await enIdentity.scrollIntoViewIfNeeded();
  await enIdentity.screenshot({ path: 'test-results/screenshots/en-settings-desk-identity.png' });
  await enLine.close();
  await new DeskPage(page, 'en').switchLanguage('ja');

  // The admin enrols this desk and three people, and signs the roster with the key the profile pins.
  const admin = generateAdminKeyPair();
  const fixture = await makeRoster({
    desks: [
      { id: 'desk-01', sipUri: 'sip:desk-01@pbx.example.test', name: '受付01' },
      { id: 'desk-02', sipUri: 'sip:desk-02@pbx.example.test', name: '受付02' },
    ],
    people: [
      { id: 'op-001', roles: ['operator'], secret: '246810', name: '田中 花子' },
      { id: 'op-002', roles: ['operator'], secret: '135790', name: '鈴木 次郎' },
      { id: 'sv-001', roles: ['supervisor', 'operator'], secret: 'blue kettle under the stairs', name: '佐藤 一郎' },
    ],
  });
  const roster = { ...fixture.roster, desks: [{ ...fixture.roster.desks[0]!, publicKey: enrolment!.publicKey }, fixture.roster.desks[1]!] };
  await line.open();
  await line.dialog().getByLabel(ja.pairing.provisioningFile, { exact: true }).setInputFiles({
    name: 'desk-01.kotozute-provisioning.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({ format: 'kotozute-provisioning', version: 1, line: { server: 'ws://127.0.0.1:9/ws', aor: 'sip:desk-01@pbx.example.test' }, adminPublicKey: admin.publicKeyPem }),
    ),
  });
  await expect(line.dialog().getByText(ja.pairing.provisioningDone)).toBeVisible();
  await line.dialog().getByLabel(ja.floor.rosterFile, { exact: true }).setInputFiles({
    name: 'team.roster',
    mimeType: 'application/octet-stream',
    buffer: signRoster(JSON.stringify(roster), admin.privateKeyPem),
  });

  // Nobody works until they sign in.
  const heading = page.getByRole('heading', { name: ja.floor.signInTitle, exact: true });
  await expect(heading).toBeVisible();
  await expect(page.getByRole('button', { name: ja.topBar.settings, exact: true })).toHaveCount(0);
  await expect(page.getByText(ja.floor.signInIntro.replace('{{team}}', 'テストチーム'))).toBeVisible();
  await new DeskPage(page, 'ja').snap('sign-in');
  await page.getByRole('button', { name: en.settings.en, exact: true }).click();
  await expect(page.getByRole('heading', { name: en.floor.signInTitle, exact: true })).toBeVisible();
  await new DeskPage(page, 'en').snap('sign-in');
  await page.getByRole('button', { name: ja.settings.ja, exact: true }).click();
  await expect(heading).toBeVisible();

  const name = page.getByLabel(ja.floor.person, { exact: true });
  const pin = page.getByLabel(ja.floor.pin, { exact: true });
  const submit = page.getByRole('button', { name: ja.floor.signIn, exact: true });
  const refusal = page.getByRole('alert').filter({ hasText: /./ });

  // Five wrong PINs: four warnings counting down, then the lock.
  await name.selectOption({ label: '田中 花子' });
  for (let left = 4; left >= 1; left--) {
    await pin.fill('000000');
    await submit.click();
    await expect(refusal).toHaveText(ja.floor.wrongSecret.replace('{{secret}}', ja.floor.pin).replace('{{count}}', String(left)));
  }
  await pin.fill('000000');
  await submit.click();
  await expect(refusal).toContainText('田中 花子 さんのサインインは、間違いが続いたため');
  // Locked: even the right PIN is refused now.
  await pin.fill('246810');
  await submit.click();
  await expect(refusal).toContainText('ロックされています');
  await expect(heading).toBeVisible();
  await new DeskPage(page, 'ja').snap('sign-in-locked');

  // Another person on the same desk is not locked: an operator gets the operator desk.
  await name.selectOption({ label: '鈴木 次郎' });
  await pin.fill('135790');
  await submit.click();
  await expect(page.getByRole('button', { name: ja.topBar.settings, exact: true })).toBeVisible();
  await expect(page.getByText('鈴木 次郎', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: ja.floor.viewBoard, exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: new RegExp(`^${ja.floor.signOut}`) }).click();
  await expect(heading).toBeVisible();

  // A supervisor who also answers calls: the floor view first, the operator desk one click away.
  await name.selectOption({ label: '佐藤 一郎' });
  await page.getByLabel(ja.floor.passphrase, { exact: true }).fill('blue kettle under the stairs');
  await submit.click();
  // The board, built from the roster this desk holds: every other roster desk has a row (not heard
  // from: this desk's line is not connected here).
  const board = page.getByRole('table', { name: ja.floor.title, exact: true });
  await expect(board).toBeVisible();
  await expect(board.getByRole('row', { name: /受付02/ })).toBeVisible();
  await expect(board.getByRole('row', { name: /受付01/ })).toHaveCount(0);
  await new DeskPage(page, 'ja').snap('sign-in-supervisor-board');
  await page.getByRole('button', { name: ja.floor.viewDesk, exact: true }).click();
  await expect(page.getByRole('button', { name: ja.topBar.settings, exact: true })).toBeVisible();
  await expect(board).toBeHidden();
  // Settings now says which roster entry this desk is.
  await line.open();
  await expect(line.dialog().getByText('名簿上の名前: 受付01（desk-01）')).toBeVisible();
  await line.close();

  // One keystroke signs out.
  await page.keyboard.press('Control+Shift+L');
  await expect(heading).toBeVisible();
  await expect(page.getByRole('button', { name: new RegExp(`^${ja.floor.signOut}`) })).toHaveCount(0);
  await expect(board).toHaveCount(0);
});
