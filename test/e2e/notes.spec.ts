/**
 * Taking a message in training mode, through the dev-web harness and the real UI: the form appears
 * when the call is answered, checks as the operator types, autosaves; nothing typed reaches a disk,
 * a temp file or a log in any encoding (the canary scan); the note is wiped when the training call
 * ends; a SIGKILL of the main-process services mid-typing loses nothing before the last autosave;
 * the outbox and the audit viewer open from the top bar. Screenshots in both languages.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { Client } from '../../shared/directory/schema.js';
import { TEST_ARTIFACTS, filesUnder, scanBuffer, scanFiles, type CanaryHit } from './support/canary-scan.js';
import { startCrashableHarness, type CrashableHarness } from './support/crashable-harness.js';
import { DeskPage, STRINGS, type UiLocale } from './support/desk-page.js';
import { expect, test } from './support/fixtures.js';
import { grantDeskPermissions } from './support/permissions.js';
import { SCREENSHOTS } from './support/paths.js';
import { sampleClient } from './support/sample-directory.js';

const shop = sampleClient('midorido-shop');
const shopOption = new RegExp(shop.name.slice(0, 4));

/** Distinctive values, Japanese and ASCII, that must never show up outside the vault's ciphertext. */
const CANARY = {
  callerName: '鏑木カナリア太郎 Zqcanaryname',
  callerKana: 'カブラギカナリアタロウ',
  callbackNumber: '070-9137-2468',
  orderNumber: 'ORD-CANARY-7Q3X9',
  subject: '件名カナリア検証 subject-canary-vk93',
  freeText: '伝言本文のカナリア：明日の午前に折り返し希望 freetext-canary-wp41 🐤',
};
const CALLER = { name: '発信者カナリア Callercanaryq', number: '080-5519-7531' };
const CANARIES = [...Object.values(CANARY), '07091372468', CALLER.name, CALLER.number, '08055197531'];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

class NotePage extends DeskPage {
  noteRegion(): Locator {
    return this.page.getByRole('region', { name: this.t.notes.heading, exact: true });
  }

  /** A note field by its label as the form shows it. */
  field(client: Client, id: string): Locator {
    const f = client.messageForm.fields.find((x) => x.id === id);
    if (!f) throw new Error(`no field ${id}`);
    const name = f.required ? `${f.label} (${this.t.notes.required})` : f.label;
    const role = f.kind === 'select' || f.kind === 'urgency' ? 'combobox' : 'textbox';
    return this.noteRegion().getByRole(role, { name, exact: true });
  }

  confirmField(client: Client, id: string): Locator {
    const f = client.messageForm.fields.find((x) => x.id === id)!;
    return this.noteRegion().getByRole('textbox', { name: `${f.label}${this.t.notes.confirmSuffix}`, exact: true });
  }

  saveIndicator(): Locator {
    return this.noteRegion().getByRole('status');
  }

  /** Waits until the last change is autosaved ("保存済み HH:MM:SS" after any save in flight). */
  async waitSaved(): Promise<void> {
    const pattern = new RegExp(`^${escape(this.t.notes.saved.split('{{')[0]!)}\\d\\d:\\d\\d:\\d\\d$`);
    // Past the 300 ms debounce, then until the indicator shows a finished save.
    await this.page.waitForTimeout(400);
    await expect(this.saveIndicator()).toHaveText(pattern);
  }

  async startTrainingCall(clientFilter = 'みどり'): Promise<void> {
    const dialog = await this.fillSimulateForClient(clientFilter, shopOption, CALLER);
    await this.ring(dialog);
    await this.answer();
    await expect(this.noteRegion()).toBeVisible();
  }

  async shot(screen: string): Promise<void> {
    await mkdir(SCREENSHOTS, { recursive: true });
    await this.page.evaluate(() => document.fonts.ready.then(() => undefined));
    await this.page.screenshot({ path: path.join(SCREENSHOTS, `notes-${screen}-${this.locale}.png`), fullPage: true, animations: 'disabled' });
  }
}

/** Fills every field of the shop's form: canaries in the text fields, the first option in the selects. */
async function fillEveryField(n: NotePage, values: Record<string, string>): Promise<void> {
  for (const f of shop.messageForm.fields) {
    if (f.kind === 'select' || f.kind === 'urgency') {
      await n.field(shop, f.id).selectOption({ index: 1 });
      continue;
    }
    const value = values[f.id] ?? `${f.id}-x`;
    await n.field(shop, f.id).fill(value);
    if (f.kind === 'callbackNumber') await n.confirmField(shop, f.id).fill(value);
  }
}

async function scanEverything(h: CrashableHarness, since: number): Promise<{ hits: CanaryHit[]; files: number }> {
  const data = filesUnder(h.dataDir);
  // Temp files written since the test began: ours, the harness's, Chromium's profile, anything.
  const temp = filesUnder(os.tmpdir(), since, [TEST_ARTIFACTS]);
  const files = [...new Set([...data.files, ...temp.files])];
  const hits = [
    ...scanFiles(files, CANARIES),
    ...scanBuffer('harness stdout', h.stdout(), CANARIES),
    ...scanBuffer('harness stderr', h.stderr(), CANARIES),
  ];
  return { hits, files: files.length };
}

const noteFiles = async (dataDir: string) => readdir(path.join(dataDir, 'vault', 'notes')).catch(() => []);

/** Opens the desk with exactly the permissions the desktop app's handlers grant. */
async function openDeskAt(page: Page, url: string, locale: UiLocale = 'ja'): Promise<void> {
  await grantDeskPermissions(page.context(), new URL(url).origin);
  await page.goto(url);
  await expect(page.getByRole('button', { name: STRINGS[locale].idle.simulate, exact: true })).toBeVisible();
}

test.describe('notes in training mode', () => {
  let harness: CrashableHarness | undefined;
  let dataDir: string;

  test.beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'kotozute-e2e-notes-'));
  });
  test.afterEach(async () => {
    await harness?.stop();
    harness = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  test('the form checks, autosaves, leaks no canary anywhere, and the note is wiped when the call ends', async ({ page }) => {
    test.setTimeout(180_000);
    const since = Date.now();
    harness = await startCrashableHarness(dataDir);
    await openDeskAt(page, harness.url);
    const n = new NotePage(page);
    await n.startTrainingCall();
    await expect(n.noteRegion()).toContainText(n.t.notes.trainingExplain);

    // Checked as the operator types: a callback number entered differently the second time.
    await n.field(shop, 'callbackNumber').fill('090-1234-5678');
    await n.confirmField(shop, 'callbackNumber').fill('090-1234-5679');
    await expect(n.noteRegion().getByText(n.t.notes.problem.mismatch)).toBeVisible();
    await n.confirmField(shop, 'callbackNumber').fill('090 1234 5678');
    await expect(n.noteRegion().getByText(n.t.notes.problem.mismatch)).toHaveCount(0);
    await n.field(shop, 'callbackNumber').fill('03-1234-567');
    await n.field(shop, 'callbackNumber').blur();
    await expect(n.noteRegion().getByText(n.t.notes.problem['phone-length'])).toBeVisible();

    // Enter in a field does not hand off; nothing leaves the form until the operator says so.
    await n.field(shop, 'subject').fill('x');
    await n.field(shop, 'subject').press('Enter');
    await expect(n.noteRegion()).toBeVisible();

    await fillEveryField(n, CANARY);
    await n.waitSaved();
    expect(await noteFiles(dataDir)).toHaveLength(1);

    // Side doors: no spellcheck or autofill on any note field, and no print.
    const attrs = await n.noteRegion().locator('[data-note-field]').evaluateAll((els) =>
      els.map((e) => [e.getAttribute('spellcheck'), e.getAttribute('autocomplete')]),
    );
    expect(attrs.length).toBeGreaterThanOrEqual(shop.messageForm.fields.length + 1);
    expect(attrs.every(([s, a]) => s === 'false' && a === 'off')).toBe(true);
    expect(await page.evaluate(() => /native code/.test(String(window.print)))).toBe(false);
    await n.shot('form');

    // The scan itself finds a canary in each encoding (a control, so "zero hits" means something).
    for (const encoding of ['utf8', 'utf16le', 'base64'] as const) {
      const sample = Buffer.from(`..${encoding === 'base64' ? Buffer.from(`x${CANARY.freeText}`).toString('base64') : Buffer.from(CANARY.freeText, encoding).toString('latin1')}..`, 'latin1');
      expect(scanBuffer('control', sample, CANARIES).map((h) => h.encoding)).toContain(encoding);
    }
    const before = await scanEverything(harness, since);
    expect(before.files).toBeGreaterThan(0);
    expect(before.hits).toEqual([]);

    await n.end();
    await expect(page.getByText(n.t.notes.trainingWiped)).toBeVisible();
    await expect(n.noteRegion()).toHaveCount(0);
    expect(await noteFiles(dataDir)).toEqual([]);
    expect((await scanEverything(harness, since)).hits).toEqual([]);
    expect(await page.evaluate(() => /native code/.test(String(window.print)))).toBe(true);

    // The outbox (training notes never reach it) and the audit trail, from the top bar.
    await page.getByRole('button', { name: n.t.outbox.open, exact: true }).click();
    const outbox = page.getByRole('dialog', { name: n.t.outbox.title, exact: true });
    await expect(outbox.getByText(n.t.outbox.empty)).toBeVisible();
    await n.shot('outbox');
    await outbox.getByRole('button', { name: n.t.outbox.close, exact: true }).click();

    await page.getByRole('button', { name: n.t.audit.open, exact: true }).click();
    const audit = page.getByRole('dialog', { name: n.t.audit.title, exact: true });
    await expect(audit.getByRole('status')).toHaveText(new RegExp(`^${escape(n.t.audit.chainOk.split('{{')[0]!)}`));
    await expect(audit.getByRole('cell', { name: n.t.audit.type.created, exact: true })).toHaveCount(1);
    await expect(audit.getByRole('cell', { name: n.t.audit.type.wiped, exact: true })).toHaveCount(1);
    await expect(audit.getByRole('cell', { name: 'training', exact: true })).toHaveCount(2);
    await n.shot('audit');
    await audit.getByRole('button', { name: n.t.audit.close, exact: true }).click();

    // The same screens in English.
    await n.switchLanguage('en');
    await n.startTrainingCall('みどり');
    await n.field(shop, 'callerName').fill('Jane Example');
    await n.field(shop, 'callbackNumber').fill('090-1234-5678');
    await n.confirmField(shop, 'callbackNumber').fill('090-1234-5670');
    await n.waitSaved();
    await n.shot('form');
    await n.end();
    await page.getByRole('button', { name: n.t.outbox.open, exact: true }).click();
    await expect(page.getByRole('dialog', { name: n.t.outbox.title })).toBeVisible();
    await n.shot('outbox');
    await page.getByRole('button', { name: n.t.outbox.close, exact: true }).click();
    await page.getByRole('button', { name: n.t.audit.open, exact: true }).click();
    await expect(page.getByRole('dialog', { name: n.t.audit.title }).getByRole('status')).toBeVisible();
    await n.shot('audit');
  });

  // The 30 s compare-then-clear and the concealed format are the main process's, in the desktop app
  // only (test/unit/electron/main/platform/clipboard.test.ts, against Electron's clipboard): dev-web's
  // Node has no clipboard, and the page is granted no clipboard permission here, as in the app.
  test('a copy from a note field reaches the clipboard with no clipboard permission granted to the desk', async ({ page, context }) => {
    harness = await startCrashableHarness(dataDir);
    await openDeskAt(page, harness.url);
    const n = new NotePage(page);
    await n.startTrainingCall();
    const subject = n.field(shop, 'subject');
    await subject.fill('コピーする用件');
    await subject.selectText();
    await page.keyboard.press('Control+C');
    expect(await page.evaluate(() => navigator.permissions.query({ name: 'clipboard-read' as PermissionName }).then((s) => s.state))).toBe('denied');

    // Another program pastes it: a page of its own, holding no permission either.
    const other = await context.newPage();
    await other.setContent('<textarea aria-label="paste here"></textarea>');
    const box = other.getByRole('textbox', { name: 'paste here' });
    await box.focus();
    await other.keyboard.press('Control+V');
    await expect(box).toHaveValue('コピーする用件');
    await other.close();
  });

  test('a SIGKILL of the desk services while typing loses nothing before the last autosave', async ({ page }) => {
    test.setTimeout(120_000);
    harness = await startCrashableHarness(dataDir);
    await openDeskAt(page, harness.url);
    const n = new NotePage(page);
    await n.startTrainingCall();
    await n.field(shop, 'callerName').fill('クラッシュ 太郎');
    await n.field(shop, 'freeText').fill('ここまでは保存済み');
    await n.waitSaved();

    // Keep typing, and cut the services off before the next autosave can finish.
    await n.field(shop, 'freeText').press('End');
    await page.keyboard.type('、この続きは');
    await harness.kill();

    harness = await startCrashableHarness(dataDir);
    await openDeskAt(page, harness.url);
    const unfinished = page.getByRole('region', { name: new RegExp(`^${escape(n.t.notes.unfinished.heading)}`) });
    await expect(unfinished).toBeVisible();
    await expect(unfinished).toContainText(shop.name);
    await unfinished.getByRole('button', { name: n.t.notes.unfinished.reopen, exact: true }).click();
    await expect(n.noteRegion()).toBeVisible();
    await expect(n.field(shop, 'callerName')).toHaveValue('クラッシュ 太郎');
    const text = await n.field(shop, 'freeText').inputValue();
    expect(text.startsWith('ここまでは保存済み')).toBe(true);
    expect('ここまでは保存済み、この続きは'.startsWith(text)).toBe(true);
    await expect(n.noteRegion()).toContainText(CALLER.name);
  });

  test('an operator who types without pausing loses at most the last second when the desk services are killed', async ({ page }) => {
    test.setTimeout(120_000);
    harness = await startCrashableHarness(dataDir);
    await openDeskAt(page, harness.url);
    const n = new NotePage(page);
    await n.startTrainingCall();
    const field = n.field(shop, 'freeText');
    await field.focus();
    // Every change the field shows, with the wall-clock time it showed it.
    await field.evaluate((el) => {
      const log: [number, number][] = [];
      (window as unknown as { typed: [number, number][] }).typed = log;
      el.addEventListener('input', () => log.push([Date.now(), (el as HTMLTextAreaElement).value.length]));
    });
    const text = 'お世話になっております明日の午前中に折り返しをお願いします。 callback tomorrow morning. '.repeat(3);
    const typing = page.keyboard.type(text, { delay: 40 }).catch(() => undefined);

    // Killed at a random moment of a 5 s dictation (40 ms a key, never a 300 ms pause).
    await page.waitForTimeout(2_000 + Math.random() * 2_500);
    const killedAt = Date.now();
    await harness.kill();
    await typing;
    const typed = await page.evaluate(() => (window as unknown as { typed: [number, number][] }).typed);
    const safe = Math.max(0, ...typed.filter(([at]) => at <= killedAt - 1_000).map(([, length]) => length));
    expect(safe).toBeGreaterThan(10);

    harness = await startCrashableHarness(dataDir);
    await openDeskAt(page, harness.url);
    const unfinished = page.getByRole('region', { name: new RegExp(`^${escape(n.t.notes.unfinished.heading)}`) });
    await unfinished.getByRole('button', { name: n.t.notes.unfinished.reopen, exact: true }).click();
    const saved = await n.field(shop, 'freeText').inputValue();
    expect(text.startsWith(saved)).toBe(true);
    expect(saved.length).toBeGreaterThanOrEqual(safe);
  });

  test('text still being composed with an IME is saved as the field shows it, and the committed text by the same rules', async ({ page }) => {
    test.setTimeout(120_000);
    harness = await startCrashableHarness(dataDir);
    await openDeskAt(page, harness.url);
    const n = new NotePage(page);
    await n.startTrainingCall();
    const field = n.field(shop, 'callerName');
    await field.focus();
    const cdp = await page.context().newCDPSession(page);
    // Mid-composition: やまだ typed, not yet converted or committed.
    await cdp.send('Input.imeSetComposition', { text: 'やまだ', selectionStart: 3, selectionEnd: 3 });
    await expect(field).toHaveValue('やまだ');
    await n.waitSaved();
    await harness.kill();

    harness = await startCrashableHarness(dataDir);
    await openDeskAt(page, harness.url);
    const unfinished = page.getByRole('region', { name: new RegExp(`^${escape(n.t.notes.unfinished.heading)}`) });
    await unfinished.getByRole('button', { name: n.t.notes.unfinished.reopen, exact: true }).click();
    const reopened = n.field(shop, 'callerName');
    await expect(reopened).toHaveValue('やまだ');

    // Converted and committed (山田), then saved like any change.
    await reopened.focus();
    await reopened.press('End');
    await cdp.detach();
    const cdp2 = await page.context().newCDPSession(page);
    await cdp2.send('Input.imeSetComposition', { text: 'たろう', selectionStart: 3, selectionEnd: 3 });
    await cdp2.send('Input.insertText', { text: '太郎' });
    await expect(reopened).toHaveValue('やまだ太郎');
    await n.waitSaved();
    await harness.kill();
    harness = await startCrashableHarness(dataDir);
    await openDeskAt(page, harness.url);
    await page.getByRole('region', { name: new RegExp(`^${escape(n.t.notes.unfinished.heading)}`) }).getByRole('button', { name: n.t.notes.unfinished.reopen, exact: true }).click();
    await expect(n.field(shop, 'callerName')).toHaveValue('やまだ太郎');
  });

  test('a crashed desk page comes back with a notice, and the message being taken is offered as last autosaved', async ({ page, context }) => {
    test.setTimeout(120_000);
    harness = await startCrashableHarness(dataDir);
    await openDeskAt(page, harness.url);
    const n = new NotePage(page);
    await n.startTrainingCall();
    await n.field(shop, 'callerName').fill('クラッシュ 花子');
    await n.waitSaved();

    // The renderer process dies for real; the services (the main process) live on.
    const crashed = page.waitForEvent('crash');
    await page.goto('chrome://crash').catch(() => undefined);
    await crashed;

    // What electron/main/platform/desk-recovery.ts does next: load the desk again at #recovered.
    // (Playwright cannot navigate a crashed tab: a new one takes the dev-web token first, which the
    // Electron page does not need, then reloads at the marker.)
    const again = await context.newPage();
    await openDeskAt(again, harness.url);
    await again.evaluate(() => {
      history.replaceState(null, '', `${location.pathname}${location.search}#recovered`);
      location.reload();
    });
    await expect(again.getByRole('button', { name: STRINGS.ja.idle.simulate, exact: true })).toBeVisible();
    const r = new NotePage(again);
    const notice = again.getByRole('alert').filter({ hasText: r.t.recovery.notice });
    await expect(notice).toBeVisible();
    const unfinished = again.getByRole('region', { name: new RegExp(`^${escape(r.t.notes.unfinished.heading)}`) });
    await expect(unfinished).toContainText(shop.name);
    await r.shot('recovered');
    await r.switchLanguage('en');
    await expect(again.getByRole('alert').filter({ hasText: r.t.recovery.notice })).toBeVisible();
    await r.shot('recovered');

    // Dismissed, it stays away; the marker left the address, so a plain reload shows none either.
    await again.getByRole('button', { name: r.t.recovery.dismiss, exact: true }).click();
    await expect(again.getByRole('alert').filter({ hasText: r.t.recovery.notice })).toHaveCount(0);
    expect(new URL(again.url()).hash).toBe('');
    const listed = again.getByRole('region', { name: new RegExp(`^${escape(r.t.notes.unfinished.heading)}`) });
    await listed.getByRole('button', { name: r.t.notes.unfinished.reopen, exact: true }).click();
    await expect(r.field(shop, 'callerName')).toHaveValue('クラッシュ 花子');
  });
});
