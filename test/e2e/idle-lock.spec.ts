/**
 * The idle lock (issue 11 §2), through the dev-web harness and the real UI, with the page's clock
 * driven by Playwright (never by waiting): after the idle minutes — and at once when the OS locks its
 * screen — every caller and client detail and the note are hidden; a ringing call shows only that it
 * rings, no key reaches the hidden desk, and the call is answered after unlocking; the note's autosave
 * goes on while locked. A desk without a roster (training) resumes with one click; a desk with one
 * takes the signed-in person's PIN, counting wrong tries as sign-in does, after the roster's own
 * number of minutes. Screenshots of the lock screen in ja and en.
 */
import type { Page } from '@playwright/test';
import { generateAdminKeyPair } from '../../electron/main/services/directory/admin-key.js';
import { readEnrolment } from '../../electron/main/services/roster/desk-key.js';
import { signRoster } from '../../electron/main/services/roster/roster-bundle.js';
import { makeRoster } from '../support/roster-fixture.js';
import { DeskPage, STRINGS } from './support/desk-page.js';
import { expect, openDesk, test } from './support/fixtures.js';
import { LinePage } from './support/line-page.js';
import { callApi } from './support/live-desk.js';
import { grantDeskPermissions } from './support/permissions.js';
import { sampleClient } from './support/sample-directory.js';

const ja = STRINGS.ja;
const en = STRINGS.en;
const shop = sampleClient('midorido-shop');
const CALLER = { name: '施錠カナリア Lockcanaryname', number: '080-4417-2209' };
const NOTE_TEXT = '施錠中も保存される本文 lock-canary-note';

const lockHeading = (page: Page, t = ja) => page.getByRole('heading', { name: t.idleLock.title, exact: true });

test('a training desk locks after ten idle minutes and at the OS lock: data hidden, the ring shown, keys held back, autosave going on', async ({ page, context, harness }) => {
  await grantDeskPermissions(context, harness.origin);
  await page.clock.install();
  await openDesk(page, harness);
  const d = new DeskPage(page, 'ja');

  const dialog = await d.fillSimulateForClient('みどり', new RegExp(shop.name.slice(0, 4)), CALLER);
  await d.ring(dialog);
  await expect(page.getByText(CALLER.name).first()).toBeVisible();

  // Nine minutes without input: still open. Ten: locked, and the ringing call is only "a call rings".
  await page.clock.fastForward('09:00');
  await expect(d.ringing()).toBeVisible();
  await page.clock.fastForward('01:10');
  await expect(lockHeading(page)).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: ja.idleLock.ringing })).toBeVisible();
  // The desk stays mounted under the lock (the call, the line, the autosave): nothing of it is visible.
  await expect(page.getByText(CALLER.name).filter({ visible: true })).toHaveCount(0);
  await expect(page.getByText(CALLER.number).filter({ visible: true })).toHaveCount(0);
  await expect(page.getByText(shop.name).filter({ visible: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: ja.call.answer, exact: true })).toHaveCount(0);
  await d.snap('idle-lock-training');
  // F2 answers a ringing call on an open desk; on a locked one it does nothing.
  await page.keyboard.press('F2');
  await expect(lockHeading(page)).toBeVisible();

  // One click resumes (no roster, no secret): the call still rings and is answered now.
  await page.getByRole('button', { name: ja.idleLock.resume, exact: true }).click();
  await expect(lockHeading(page)).toHaveCount(0);
  await expect(d.ringing()).toContainText(CALLER.name);
  await d.answer();

  // Talking holds the idle timer off.
  await page.clock.fastForward('15:00');
  await expect(d.inCall()).toBeVisible();
  await expect(lockHeading(page)).toHaveCount(0);

  // Typed, then the OS locks the screen before the autosave's pause has passed (the page's clock
  // stands still): locked at once, and the save happens underneath once the clock moves.
  const notes = page.getByRole('region', { name: ja.notes.heading, exact: true });
  const freeText = shop.messageForm.fields.find((f) => f.id === 'freeText')!;
  const field = notes.getByRole('textbox', { name: freeText.required ? `${freeText.label} (${ja.notes.required})` : freeText.label, exact: true });
  const savesBefore = (await callApi(harness, 'listNotes')).find((n) => n.state === 'draft')?.saves ?? 0;
  const now = await page.evaluate(() => Date.now());
  await page.clock.pauseAt(now + 1_000);
  await field.pressSequentially(NOTE_TEXT);
  harness.lockScreen();
  await expect(lockHeading(page)).toBeVisible();
  await expect(field).toBeHidden();
  expect((await callApi(harness, 'listNotes')).find((n) => n.state === 'draft')?.saves ?? 0).toBe(savesBefore);
  await page.clock.runFor(2_000);
  await expect.poll(async () => (await callApi(harness, 'listNotes')).find((n) => n.state === 'draft')?.saves ?? 0).toBeGreaterThan(savesBefore);
  await page.clock.resume();

  await page.getByRole('button', { name: ja.idleLock.resume, exact: true }).click();
  await expect(field).toHaveValue(NOTE_TEXT);
  await d.end();
});

test('a roster desk locks after the roster\'s minutes and opens only with the signed-in person\'s PIN; a colleague may sign them out', async ({ page, context, harness }) => {
  await grantDeskPermissions(context, harness.origin);
  await page.clock.install();
  await openDesk(page, harness);
  const line = new LinePage(page, 'ja');
  await line.open();
  const identity = line.dialog().getByRole('group', { name: ja.floor.identity, exact: true });
  const enrolment = readEnrolment(await identity.getByLabel(ja.floor.enrolment, { exact: true }).inputValue());
  expect(enrolment).not.toBeNull();

  const admin = generateAdminKeyPair();
  const fixture = await makeRoster({
    desks: [{ id: 'desk-01', sipUri: 'sip:desk-01@pbx.example.test', name: '受付01' }],
    people: [
      { id: 'op-001', roles: ['operator'], secret: '246810', name: '田中 花子' },
      { id: 'op-002', roles: ['operator'], secret: '135790', name: '鈴木 次郎' },
    ],
    policy: { idleLockMinutes: 2 },
  });
  const roster = { ...fixture.roster, desks: [{ ...fixture.roster.desks[0]!, publicKey: enrolment!.publicKey }] };
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

  await page.getByLabel(ja.floor.person, { exact: true }).selectOption({ label: '田中 花子' });
  await page.getByLabel(ja.floor.pin, { exact: true }).fill('246810');
  await page.getByRole('button', { name: ja.floor.signIn, exact: true }).click();
  const settings = page.getByRole('button', { name: ja.topBar.settings, exact: true });
  await expect(settings).toBeVisible();

  // The roster says two minutes.
  await page.clock.fastForward('01:50');
  await expect(settings).toBeVisible();
  await page.clock.fastForward('00:15');
  await expect(lockHeading(page)).toBeVisible();
  await expect(settings).toBeHidden();
  await expect(page.getByText(ja.idleLock.intro.replace('{{name}}', '田中 花子').replace('{{secret}}', ja.floor.pin))).toBeVisible();

  // Another person's PIN is a wrong try, counted as at sign-in; the person's own opens the desk.
  const pin = page.getByLabel(ja.floor.pin, { exact: true });
  const unlock = page.getByRole('button', { name: ja.idleLock.unlock, exact: true });
  await pin.fill('135790');
  await unlock.click();
  await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveText(ja.floor.wrongSecret.replace('{{secret}}', ja.floor.pin).replace('{{count}}', '4'));
  await expect(settings).toBeHidden();
  await pin.fill('246810');
  await unlock.click();
  await expect(settings).toBeVisible();
  await expect(lockHeading(page)).toHaveCount(0);
  await expect(page.getByText('田中 花子', { exact: true })).toBeVisible();

  // The OS locks: at once. The main process holds the lock: a reloaded page comes back locked.
  harness.lockScreen();
  await expect(lockHeading(page)).toBeVisible();
  await new DeskPage(page, 'ja').snap('idle-lock');
  await callApi(harness, 'updateSettings', { locale: 'en' });
  await page.reload();
  await expect(lockHeading(page, en)).toBeVisible();
  await expect(page.getByRole('button', { name: en.topBar.settings, exact: true })).toBeHidden();
  await new DeskPage(page, 'en').snap('idle-lock');
  // The page reloaded behind the lock: the main process refused its data calls ('desk-locked').
  await expect(callApi(harness, 'listNotes')).rejects.toThrow(/the desk is locked/);
  await page.getByLabel(en.floor.pin, { exact: true }).fill('246810');
  await page.getByRole('button', { name: en.idleLock.unlock, exact: true }).click();
  await expect(page.getByRole('button', { name: en.topBar.settings, exact: true })).toBeVisible();
  // Those refusals were taken quietly, and the desk reads its data again once unlocked.
  await expect(page.getByRole('alert', { name: en.errors.heading })).toHaveCount(0);
  await expect(callApi(harness, 'listNotes')).resolves.toEqual([]);
  await callApi(harness, 'updateSettings', { locale: 'ja' });
  await page.reload();
  await expect(settings).toBeVisible();

  // A colleague takes the desk: sign out from the lock screen, then the sign-in screen.
  harness.lockScreen();
  await page.getByRole('button', { name: ja.idleLock.signOut, exact: true }).click();
  await expect(page.getByRole('heading', { name: ja.floor.signInTitle, exact: true })).toBeVisible();
});
