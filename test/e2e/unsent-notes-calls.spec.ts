/**
 * No message leaves the screen unsent (issue 14 §2), with real calls through Kamailio, ja and en:
 * - call 1's note has content; call 2 rings beside it: the note names its client first and large,
 *   and says the call on screen is another client's;
 * - call 2 is answered: call 1's note is kept, the operator is told where it went, and it is listed
 *   under the unsent messages with a count, reopenable with its content;
 * - call 2's empty note is discarded by the operator and the discard is in the audit trail.
 * Screenshots of each state: test-results/screenshots/<locale>-unsent-*.png.
 *
 * Runs with the other real calls inside a private network namespace: npm run test:e2e:media
 */
import { expect } from '@playwright/test';
import { DeskPage, type UiLocale } from './support/desk-page.js';
import { openDesk } from './support/fixtures.js';
import { grantDeskPermissions } from './support/permissions.js';
import { registeredContacts } from './support/live-desk.js';
import { PhonePage } from './support/phone-page.js';
import { sampleClient } from './support/sample-directory.js';
import { MEDIA_SKIP_REASON, onlyLoopback, pairedLineTest } from './support/paired-line.js';

const LAW = sampleClient('sato-law');
const CLINIC = sampleClient('aoba-clinic');
/** The sample clients' own message form label (directory text: the same in either UI language). */
const MEMO = '伝言・備考';

const test = pairedLineTest('unsent-notes-calls');

test.skip(!onlyLoopback, MEDIA_SKIP_REASON);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

for (const locale of ['ja', 'en'] as const satisfies readonly UiLocale[]) {
  test(`${locale}: call 1's note is kept, listed with a count and reopenable when call 2 is answered; the pop of another client is flagged; an empty draft is discarded and audited`, async ({ browser, line }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ locale: locale === 'ja' ? 'ja-JP' : 'en-GB', viewport: { width: 1440, height: 900 } });
    await grantDeskPermissions(context, line.harness.origin);
    const page = await context.newPage();
    const first = await PhonePage.open(browser, line.phones.url, line.kam, { prefix: 'first', displayName: '佐藤 一郎' });
    const second = await PhonePage.open(browser, line.phones.url, line.kam, { prefix: 'second', displayName: '鈴木 花子' });
    try {
      await openDesk(page, line.harness);
      await expect.poll(() => registeredContacts(line.kam, line.deskUser.user), { timeout: 15_000 }).toBe(1);
      const d = new DeskPage(page, 'ja');
      if (locale !== 'ja') await d.switchLanguage(locale);
      const t = d.t;
      const note = page.getByRole('region', { name: t.notes.heading, exact: true });
      const unsent = page.getByRole('region', { name: new RegExp(`^${escape(t.notes.unfinished.heading)}`) });
      const memo = note.getByRole('textbox', { name: MEMO, exact: true });

      // Call 1: the note is for the law office, said first in the note.
      const a = await first.call(line.deskUser.user, LAW.dids[0]!);
      await expect(d.ringing().locator('.client-name')).toHaveText(LAW.name);
      await page.keyboard.press('F2');
      await first.waitState(a, 'Established');
      await expect(note.locator('.note-for')).toHaveText(`${t.notes.forClient}${LAW.name}`);
      await memo.fill('折り返し希望 山田様');
      await expect(note.getByRole('status').filter({ hasText: t.notes.saved.split(' ')[0]! })).toBeVisible();
      await first.hangup(a);
      await first.waitState(a, 'Terminated');
      // Wrap-up: the note stays after the call, and nothing else is unsent yet.
      await expect(memo).toHaveValue('折り返し希望 山田様');
      await expect(unsent).toHaveCount(0);

      // Call 2 rings beside it: the note says it is not for the call on screen, whose client differs.
      const b = await second.call(line.deskUser.user, CLINIC.dids[0]!);
      await expect(d.ringing().locator('.client-name')).toHaveText(CLINIC.name);
      const mismatch = note.getByRole('alert');
      await expect(mismatch).toHaveText(t.notes.otherClient.replace('{{note}}', LAW.name).replace('{{call}}', CLINIC.name));
      await d.snap('unsent-mismatch-ringing');

      // Call 2 answered: its note takes the screen; call 1's is kept, listed with a count, and the operator told where.
      await page.keyboard.press('F2');
      await second.waitState(b, 'Established');
      await expect(note.locator('.note-for')).toHaveText(`${t.notes.forClient}${CLINIC.name}`);
      await expect(memo).toHaveValue('');
      await expect(note.getByRole('alert')).toHaveCount(0);
      await expect(page.getByRole('alert').filter({ hasText: t.notes.kept.replace('{{client}}', LAW.name).replace('{{count}}', '1') })).toBeVisible();
      await expect(unsent.getByRole('heading', { level: 2 })).toHaveText(`${t.notes.unfinished.heading} (1)`);
      // The count stays in sight above the form, and takes the operator to the list.
      await page.getByRole('button', { name: t.notes.unfinished.jump.replace('{{count}}', '1'), exact: true }).click();
      await expect(unsent.getByRole('heading', { level: 2 })).toBeFocused();
      const drafts = unsent.getByRole('region', { name: t.notes.unfinished.draftsHeading.replace('{{count}}', '1'), exact: true });
      await expect(drafts.getByRole('listitem')).toHaveCount(1);
      await expect(drafts.getByRole('listitem')).toContainText(LAW.name);
      await expect(drafts.getByRole('listitem')).toContainText(t.notes.state.draft);
      // Call 1's note has content: it cannot be discarded from the list.
      await expect(drafts.getByRole('button', { name: t.notes.discardEmpty, exact: true })).toHaveCount(0);
      await d.snap('unsent-kept');

      // Call 2's note is empty: the operator discards it.
      await note.getByRole('button', { name: t.notes.discardEmpty, exact: true }).click();
      await expect(page.getByRole('status').filter({ hasText: t.notes.discarded })).toBeVisible();
      await expect(note).toHaveCount(0);
      await expect(unsent.getByRole('heading', { level: 2 })).toHaveText(`${t.notes.unfinished.heading} (1)`);
      await d.snap('unsent-discarded');

      // Call 1's note reopens with its content, beside call 2's pop, flagged as another client's.
      await unsent.getByRole('button', { name: t.notes.unfinished.reopen, exact: true }).click();
      await expect(memo).toHaveValue('折り返し希望 山田様');
      await expect(note.locator('.note-for')).toHaveText(`${t.notes.forClient}${LAW.name}`);
      await expect(note.getByRole('alert')).toHaveText(t.notes.otherClient.replace('{{note}}', LAW.name).replace('{{call}}', CLINIC.name));
      await expect(unsent).toHaveCount(0);
      await d.snap('unsent-reopened-beside-other-call');

      // The discard is in the audit trail.
      await page.getByRole('button', { name: t.audit.open, exact: true }).click();
      const audit = page.getByRole('dialog', { name: t.audit.title, exact: true });
      await expect(audit.getByRole('row').filter({ hasText: t.audit.type.wiped }).filter({ hasText: 'discarded' })).toHaveCount(1);
      await audit.getByRole('button', { name: t.audit.close, exact: true }).click();

      await page.keyboard.press('F4');
      await second.waitState(b, 'Terminated');
    } finally {
      await first.close();
      await second.close();
      await context.close();
    }
  });
}
