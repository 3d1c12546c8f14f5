/**
 * The supervisor's board in Chromium (issue 9 §5): a dev-web supervisor desk, paired to a real
 * Kamailio and given a roster place (KOTOZUTE_FLOOR_FIXTURE), watches six desks — Node desks that
 * report as the app does (test/support/floor-desk.ts) — ringing, talking, holding, wrapping up, idle
 * and going offline; each shows on its row. A rogue's forged state is dropped and counted. The board
 * is driven from the keyboard, and photographed in ja and en.
 */
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { Messager, UserAgent } from 'sip.js';
import { FLOOR_CONTENT_TYPE, type DeskStatePayload } from '../../shared/floor/wire.js';
import type { FloorReportArgs } from '../../shared/ipc/floor-contract.js';
import { signToken } from '../../electron/main/services/floor/floor-token.js';
import { generateEd25519 } from '../../electron/main/services/roster/ed25519.js';
import { startKamailio, type Kamailio, type SipUser } from '../support/kamailio.js';
import { makeRoster, type RosterFixture } from '../support/roster-fixture.js';
import { floorFixtureFile, startFloorDesk, type FloorDesk } from '../support/floor-desk.js';
import { createNodeUa, type NodeUa } from '../support/sip-node-ua.js';
import { startHarness, type Harness } from './support/harness.js';
import { callApi, pairDesk } from './support/live-desk.js';
import { SCREENSHOTS } from './support/paths.js';
import { grantDeskPermissions } from './support/permissions.js';
import { sampleDirectory } from './support/sample-directory.js';

const DESKS = ['desk-01', 'desk-02', 'desk-03', 'desk-04', 'desk-05', 'desk-06'] as const;
const NAMES: Record<string, string> = { 'desk-01': '1番席', 'desk-02': '2番席', 'desk-03': '3番席', 'desk-04': '4番席', 'desk-05': '5番席', 'desk-06': '6番席', 'desk-07': '7番席' };

let kam: Kamailio;
let fixture: RosterFixture;
let harness: Harness;
let dir: string;
let supUser: SipUser;
const desks = new Map<string, FloorDesk>();
let rogue: NodeUa | undefined;
/** 7番席: a real operator desk in Chromium (dev-web, paired, the sample directory), not a Node desk. */
let operator: { harness: Harness; context: BrowserContext; user: SipUser } | undefined;
let caller: NodeUa | undefined;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(90_000);
  kam = await startKamailio();
  supUser = await kam.newUser('sup');
  const deskUsers = new Map<string, SipUser>();
  for (const id of DESKS) deskUsers.set(id, await kam.newUser('desk'));
  // Each dev-web desk keeps its own SIP password (keychain accounts are per data folder).
  const operatorUser = await kam.newUser('desk');
  const uri = (u: SipUser) => `sip:${u.user}@${kam.domain}`;
  fixture = await makeRoster({
    desks: [{ id: 'sup-01', sipUri: uri(supUser), name: '監督席' }, ...DESKS.map((id) => ({ id, sipUri: uri(deskUsers.get(id)!), name: NAMES[id] })), { id: 'desk-07', sipUri: uri(operatorUser), name: '7番席' }],
    people: [
      { id: 'sato', roles: ['operator'], secret: '4821', name: '佐藤 花子' },
      { id: 'tanaka', roles: ['operator'], secret: '7310', name: '田中 一郎' },
      { id: 'ito', roles: ['operator'], secret: '5502', name: '伊藤 美咲' },
      { id: 'suzuki', roles: ['supervisor'], secret: 'correct horse battery', name: '鈴木 監督' },
    ],
  });
  dir = await mkdtemp(path.join(tmpdir(), 'kotozute-floor-'));
  const file = path.join(dir, 'floor.json');
  await writeFile(file, JSON.stringify(await floorFixtureFile(fixture, 'sup-01', 'suzuki')), { mode: 0o600 });
  harness = await startHarness({ env: { KOTOZUTE_FLOOR_FIXTURE: file } });
  await pairDesk(harness, { wsUrl: kam.wsUrl, domain: kam.domain, ...supUser });

  const operatorFile = path.join(dir, 'operator.json');
  await writeFile(operatorFile, JSON.stringify(await floorFixtureFile(fixture, 'desk-07', 'sato')), { mode: 0o600 });
  const operatorHarness = await startHarness({ env: { KOTOZUTE_FLOOR_FIXTURE: operatorFile } });
  const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });
  operator = { harness: operatorHarness, context, user: operatorUser };
  await pairDesk(operatorHarness, { wsUrl: kam.wsUrl, domain: kam.domain, ...operatorUser });
  await grantDeskPermissions(context, operatorHarness.origin);
  const operatorPage = await context.newPage();
  await operatorPage.goto(operatorHarness.url);

  const people = ['sato', 'tanaka', 'ito', 'sato', 'tanaka', 'ito'];
  for (const [i, id] of DESKS.entries()) {
    // desk-05: nobody signed in (idle → signed out)
    const person = id === 'desk-05' ? null : (people[i] ?? null);
    // desk-04: a hand-off failed and another waits (the outbox warnings)
    const outbox = id === 'desk-04' ? { pending: 1, failed: 1 } : undefined;
    desks.set(id, await startFloorDesk({ server: kam, user: deskUsers.get(id)!, fixture, deskId: id, person, ...(outbox ? { outbox } : {}) }));
  }
});

test.afterAll(async () => {
  await Promise.all([...desks.values()].map((d) => d.stop().catch(() => undefined)));
  await rogue?.stop();
  await caller?.stop();
  await operator?.context.close();
  await operator?.harness.stop();
  await harness?.stop();
  await kam?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const now = Date.now();
const idle: FloorReportArgs = { activity: 'idle', since: now, call: null, line: 'registered' };
const call = (ref: string, client: string | null, onHold = false): FloorReportArgs['call'] => ({
  ref,
  client: client ? { id: client === 'アクメ商事' ? 'acme' : 'beta', name: client } : null,
  onHold,
  monitored: false,
});

function report(id: string, state: FloorReportArgs): void {
  desks.get(id)?.reporter.update(state);
}

async function openBoard(page: Page): Promise<void> {
  await page.goto(`${harness.origin}/?view=floor#token=${harness.token}`);
  await expect(page.getByRole('heading', { name: /フロア|Floor/ })).toBeVisible();
}

const row = (page: Page, desk: string) => page.getByRole('row', { name: new RegExp(`^${NAMES[desk]}、`) });

test('the board shows each desk ringing, talking, on hold, wrapping up, idle, signed out and gone, ringing and long calls first', async ({ page }) => {
  test.setTimeout(90_000);
  report('desk-01', { ...idle, activity: 'ringing', since: Date.now() - 8_000, call: call('ref-ringing-0001', 'アクメ商事') });
  report('desk-02', { ...idle, activity: 'talking', since: Date.now() - 754_000, call: call('ref-talking-0002', 'ベータ物流') });
  report('desk-03', { ...idle, activity: 'talking', since: Date.now() - 95_000, call: call('ref-holding-0003', 'アクメ商事', true) });
  report('desk-04', { ...idle, activity: 'wrap-up', since: Date.now() - 40_000 });
  report('desk-05', idle);
  report('desk-06', { ...idle, activity: 'talking', since: Date.now() - 20_000, call: call('ref-goesaway-06', null) });
  await openBoard(page);

  await expect(row(page, 'desk-01')).toHaveAccessibleName(/1番席、佐藤 花子、着信中 0:\d\d、アクメ商事/);
  await expect(row(page, 'desk-02')).toHaveAccessibleName(/2番席、田中 一郎、通話中 12:\d\d、ベータ物流/);
  await expect(row(page, 'desk-03')).toHaveAccessibleName(/3番席、伊藤 美咲、通話中 1:\d\d、アクメ商事、保留中/);
  await expect(row(page, 'desk-04')).toHaveAccessibleName(/4番席、佐藤 花子、後処理/);
  await expect(row(page, 'desk-04').getByText('送信失敗 1')).toBeVisible();
  await expect(row(page, 'desk-04').getByText('未送信 1')).toBeVisible();
  await expect(row(page, 'desk-05')).toHaveAccessibleName(/5番席、不在、サインアウト/);
  await expect(row(page, 'desk-06')).toHaveAccessibleName(/6番席、伊藤 美咲、通話中/);
  // ringing first, then the longest call
  const order = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-desk')));
  expect(order.slice(0, 3)).toEqual(['desk-01', 'desk-02', 'desk-03']);

  // Live: the ringing desk answers, the held call resumes.
  report('desk-01', { ...idle, activity: 'talking', since: Date.now(), call: call('ref-ringing-0001', 'アクメ商事') });
  report('desk-03', { ...idle, activity: 'talking', since: Date.now() - 95_000, call: call('ref-holding-0003', 'アクメ商事', false) });
  await expect(row(page, 'desk-01')).toHaveAccessibleName(/1番席、佐藤 花子、通話中 0:\d\d、アクメ商事$/);
  await expect(row(page, 'desk-03')).not.toHaveAccessibleName(/保留中/);
  report('desk-03', { ...idle, activity: 'talking', since: Date.now() - 95_000, call: call('ref-holding-0003', 'アクメ商事', true) });
  await expect(row(page, 'desk-03')).toHaveAccessibleName(/保留中/);

  // desk-06's computer goes off: no more states; within UNREACHABLE_AFTER_MS (+ the sweep) it shows as gone.
  await desks.get('desk-06')?.stop();
  desks.delete('desk-06');
  await expect(row(page, 'desk-06')).toHaveAccessibleName(/6番席、伊藤 美咲、応答なし/, { timeout: 40_000 });
  const after = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-desk')));
  expect(after.at(-1)).toBe('desk-06');
  // 7番席 (the desk in Chromium) idle, with the person its sign-in names
  await expect(row(page, 'desk-07')).toHaveAccessibleName(/7番席、佐藤 花子、待機/);
});

test('a forged state from a rogue on the server is dropped and counted, the desk it names unchanged', async ({ page }) => {
  report('desk-05', idle);
  await openBoard(page);
  await expect(row(page, 'desk-05')).toHaveAccessibleName(/サインアウト/);
  // The board may be the one main kept; the rogue's MESSAGE needs this page's line registered.
  await expect(page.getByRole('status').filter({ hasText: '回線 接続' })).toBeVisible();
  const rogueUser = await kam.newUser('rogue');
  rogue = await createNodeUa({ wsUrl: kam.wsUrl, domain: kam.domain, ...rogueUser });
  await rogue.register();
  const t = Date.now();
  const forged: DeskStatePayload = {
    kind: 'desk-state', v: 1, deskId: 'desk-05', seq: t * 10, sentAt: t, person: 'sato', activity: 'talking', since: t,
    call: { ref: 'ref-forged-00005', client: { id: 'acme', name: '偽の通話' }, onHold: false, monitored: false }, outbox: { pending: 0, failed: 0 }, line: 'registered',
  };
  const target = UserAgent.makeURI(`sip:${supUser.user}@${kam.domain}`)!;
  const status = await new Promise<number>((resolve) => {
    void new Messager(rogue!.ua, target, signToken(forged, generateEd25519().privateKey), FLOOR_CONTENT_TYPE).message({
      requestDelegate: { onAccept: (r) => resolve(r.message.statusCode ?? 0), onReject: (r) => resolve(r.message.statusCode ?? 0) },
    });
  });
  expect(status, 'the supervisor desk took the MESSAGE').toBe(200);
  await expect(page.getByRole('status').filter({ hasText: /破棄 1 件/ })).toBeVisible();
  await expect(row(page, 'desk-05')).toHaveAccessibleName(/サインアウト/);
  await expect(page.getByText('偽の通話')).toHaveCount(0);
});

test('keyboard: arrows move between rows, Enter reaches the call actions, filters narrow the board; screenshots ja and en', async ({ page }) => {
  await openBoard(page);
  await expect(row(page, 'desk-01')).toHaveAccessibleName(/通話中/);
  // The longest call is first (2番席, 12 min), then 3番席 (1:35 on hold), then 1番席 (just answered).
  await row(page, 'desk-02').focus();
  await page.keyboard.press('ArrowDown');
  await expect(row(page, 'desk-03')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(row(page, 'desk-01')).toBeFocused();
  await page.keyboard.press('Home');
  await expect(row(page, 'desk-02')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: '2番席 の通話を聞く' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('button', { name: '2番席 のオペレーターにささやく' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(row(page, 'desk-02')).toBeFocused();
  // rows without a call offer no monitoring
  await expect(page.getByRole('button', { name: '4番席 の通話を聞く' })).toHaveCount(0);

  await page.screenshot({ path: path.join(SCREENSHOTS, 'floor-board-ja.png'), fullPage: true });

  await page.getByRole('combobox', { name: '状態' }).selectOption('talking');
  await expect(page.locator('tbody tr')).toHaveCount(3);
  await page.getByRole('searchbox', { name: '絞り込み' }).fill('ベータ');
  await expect(page.locator('tbody tr')).toHaveCount(1);
  await expect(row(page, 'desk-02')).toBeVisible();

  await callApi(harness, 'updateSettings', { locale: 'en' });
  try {
    // The same URL again would be a fragment navigation only: reload to start the page in English.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Floor' })).toBeVisible();
    await expect(page.getByRole('row', { name: /^2番席, 田中 一郎, Talking 1\d:\d\d, ベータ物流$/ })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Listen to the call at 2番席' })).toBeVisible();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'floor-board-en.png'), fullPage: true });
  } finally {
    await callApi(harness, 'updateSettings', { locale: 'ja' });
  }
});

test('a real call ringing the operator desk in Chromium shows on the board as ringing for its client, and idle again when the caller gives up', async ({ page }) => {
  const client = sampleDirectory().clients[0]!;
  await openBoard(page);
  await expect(row(page, 'desk-07')).toHaveAccessibleName(/7番席、佐藤 花子、待機/);
  const callerUser = await kam.newUser('caller');
  caller = await createNodeUa({ wsUrl: kam.wsUrl, domain: kam.domain, ...callerUser, displayName: '山田 太郎' });
  await caller.register();
  const inviter = await caller.call(operator!.user.user, { extraHeaders: [`X-Called-Number: ${client.dids[0]}`] });
  await expect(row(page, 'desk-07')).toHaveAccessibleName(new RegExp(`^7番席、佐藤 花子、着信中 0:\\d\\d、${client.name}$`));
  // nothing of the caller reaches the board
  await expect(page.getByText('山田 太郎')).toHaveCount(0);
  await inviter.cancel();
  await expect(row(page, 'desk-07')).toHaveAccessibleName(/7番席、佐藤 花子、待機/);
});
