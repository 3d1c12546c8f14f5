/**
 * The log canary scan with real calls (issue 11 §2): the desk's log at its most verbose level
 * (KOTOZUTE_LOG_LEVEL=debug: the main process's debug lines and sip.js's debug lines from the page,
 * forwarded into the desk log), a real call through Kamailio from a caller whose display name and
 * number are canaries, answered, a note typed with a canary and autosaved, the call ended. Then every
 * file under the data folder (the rotating log file included) and the harness's output hold none of
 * the canaries — nor the line's password — while the log does hold the SIP stack's debug lines (the
 * level took effect). The hand-off at debug level is notes-live.spec.ts.
 *
 * Runs with the other real calls inside a private network namespace: npm run test:e2e:media
 */
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startKamailio } from '../support/kamailio.js';
import { servePhonePage } from './support/caller-page/serve.js';
import { filesUnder, scanBuffer, scanFiles } from './support/canary-scan.js';
import { DeskPage } from './support/desk-page.js';
import { openDesk } from './support/fixtures.js';
import { startHarness } from './support/harness.js';
import { callApi, pairDesk, registeredContacts } from './support/live-desk.js';
import { grantDeskPermissions } from './support/permissions.js';
import { PhonePage } from './support/phone-page.js';
import { sampleClient } from './support/sample-directory.js';

const onlyLoopback = Object.entries(networkInterfaces()).every(([, addrs]) => (addrs ?? []).every((a) => a.internal));
test.skip(!onlyLoopback, 'media tests run inside a private network namespace: npm run test:e2e:media');

const LAW = sampleClient('sato-law');
const CALLER_NAME = '鏑木ログカナリア Zqlogcanary';
const CALLER_USER_PREFIX = '0709137246';
const NOTE = 'ログに出てはいけない伝言 notecanary-k7p2';

test('at the most verbose log level, a real call and its note leave no canary in any log', async ({ browser }) => {
  test.setTimeout(120_000);
  const kam = await startKamailio();
  const deskUser = await kam.newUser('desk');
  const harness = await startHarness({ env: { KOTOZUTE_LOG_LEVEL: 'debug' } });
  const phones = await servePhonePage();
  const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1440, height: 900 } });
  let caller: PhonePage | undefined;
  try {
    await pairDesk(harness, { wsUrl: kam.wsUrl, domain: kam.domain, ...deskUser });
    await grantDeskPermissions(context, harness.origin);
    const page = await context.newPage();
    caller = await PhonePage.open(browser, phones.url, kam, { prefix: CALLER_USER_PREFIX, displayName: CALLER_NAME });
    await openDesk(page, harness);
    await expect.poll(() => registeredContacts(kam, deskUser.user), { timeout: 15_000 }).toBe(1);
    const d = new DeskPage(page, 'ja');

    const call = await caller.call(deskUser.user, LAW.dids[0]!);
    await expect(d.ringing()).toContainText(CALLER_NAME);
    await page.keyboard.press('F2');
    await caller.waitState(call, 'Established');
    const memo = page.getByRole('region', { name: d.t.notes.heading, exact: true }).getByRole('textbox', { name: '伝言・備考', exact: true });
    await memo.fill(NOTE);
    await expect.poll(async () => (await callApi(harness, 'listNotes')).find((n) => n.state === 'draft')?.saves ?? 0).toBeGreaterThan(0);
    await caller.hangup(call);
    await caller.waitState(call, 'Terminated');

    // The page's SIP debug lines reached the desk log (in the rotating file, which keeps them all).
    const logFile = path.join(harness.dataDir, 'logs', 'kotozute.log');
    await expect.poll(async () => (await readFile(logFile, 'utf8')).match(/"level":"debug","event":"line\.log"/g)?.length ?? 0).toBeGreaterThan(10);
    const log = await readFile(logFile, 'utf8');
    expect(log).toMatch(/"level":"debug","event":"api\.call","method":"saveNote"/);

    const canaries = [CALLER_NAME, 'Zqlogcanary', '鏑木ログカナリア', CALLER_USER_PREFIX, caller.user.user, NOTE, 'notecanary-k7p2', deskUser.password];
    const hits = [...scanFiles(filesUnder(harness.dataDir).files, canaries), ...scanBuffer('harness stderr (tail)', Buffer.from(harness.log()), canaries)];
    expect(hits).toEqual([]);
  } finally {
    await caller?.close();
    await context.close();
    await phones.close();
    await harness.stop();
    await kam.stop();
  }
});
