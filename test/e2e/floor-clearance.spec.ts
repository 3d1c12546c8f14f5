/**
 * 全席の終業処理 / Clear all desks (issue 10 §4) in Chromium: a dev-web desk paired to a real Kamailio,
 * enrolled in a signed roster, where a shift lead signs in. Three other roster desks: one in Node that
 * holds nothing undelivered (it clears and its signed record comes back), one in Node holding
 * undelivered messages (needs attention, nothing cleared), one never registered (offline: the server
 * did not take the command). The shift lead types the number of desks, clears, watches the list fill
 * in, and exports the floor report CSV. Screenshots ja and en.
 */
import { readFile } from 'node:fs/promises';
import { generateAdminKeyPair, signDirectory } from '../../electron/main/services/directory/bundle.js';
import { signRecord } from '../../electron/main/services/clearance/deletion-record.js';
import { signRoster } from '../../electron/main/services/roster/roster-bundle.js';
import { startKamailio, type Kamailio } from '../support/kamailio.js';
import { startFloorDesk, type FloorDesk } from '../support/floor-desk.js';
import { makeRoster } from '../support/roster-fixture.js';
import { unsignedRecord } from '../support/record-fixture.js';
import { DeskPage, STRINGS } from './support/desk-page.js';
import { expect, test } from './support/fixtures.js';
import { callApi, pairDesk } from './support/live-desk.js';
import { sampleDirectory } from './support/sample-directory.js';

const ja = STRINGS.ja;
const en = STRINGS.en;
let kam: Kamailio | undefined;
const nodeDesks: FloorDesk[] = [];

test.afterAll(async () => {
  await Promise.all(nodeDesks.map((d) => d.stop().catch(() => undefined)));
  await kam?.stop();
});

test('a shift lead clears all desks: one cleared with its record, one needs attention, one offline; the floor report exports as CSV', async ({ desk: page, harness }) => {
  test.setTimeout(90_000);
  kam = await startKamailio();
  const users = { lead: await kam.newUser('lead'), d1: await kam.newUser('desk'), d2: await kam.newUser('desk'), d3: await kam.newUser('desk') };
  const uri = (u: { user: string }) => `sip:${u.user}@${kam!.domain}`;
  const admin = generateAdminKeyPair();
  await pairDesk(harness, { wsUrl: kam.wsUrl, domain: kam.domain, ...users.lead }, {}, { publicKeyPem: admin.publicKeyPem, bundle: signDirectory(JSON.stringify(sampleDirectory()), admin.privateKeyPem).toString('utf8') });
  const identity = await callApi(harness, 'deskIdentity');
  if (!identity.ok) throw new Error(identity.message);
  const fixture = await makeRoster({
    desks: [
      { id: 'lead-01', sipUri: uri(users.lead), name: 'リーダー席' },
      { id: 'desk-01', sipUri: uri(users.d1), name: '1番席' },
      { id: 'desk-02', sipUri: uri(users.d2), name: '2番席' },
      { id: 'desk-03', sipUri: uri(users.d3), name: '3番席' },
    ],
    people: [{ id: 'sl-001', roles: ['shift-lead'], secret: 'lantern by the north door', name: '山本 リーダー' }],
  });
  const roster = { ...fixture.roster, desks: fixture.roster.desks.map((d) => (d.id === 'lead-01' ? { ...d, publicKey: identity.publicKey } : d)) };
  await callApi(harness, 'importRoster', { bundle: signRoster(JSON.stringify(roster), admin.privateKeyPem).toString('utf8') });
  const server = { wsUrl: kam.wsUrl, domain: kam.domain };
  nodeDesks.push(
    await startFloorDesk({
      server,
      user: users.d1,
      fixture: { ...fixture, roster },
      deskId: 'desk-01',
      person: null,
      clearance: {
        port: {
          undelivered: () => Promise.resolve({ draft: 0, ready: 0, handingOff: 0, failed: 0 }),
          clear: (by) => Promise.resolve(signRecord(unsignedRecord({ deskId: 'desk-01', by: { personId: by, role: 'shift-lead' } }), fixture.deskKeys.get('desk-01')!)),
        },
      },
    }),
    await startFloorDesk({
      server,
      user: users.d2,
      fixture: { ...fixture, roster },
      deskId: 'desk-02',
      person: null,
      clearance: { port: { undelivered: () => Promise.resolve({ draft: 2, ready: 0, handingOff: 0, failed: 1 }), clear: () => Promise.reject(new Error('must not clear')) } },
    }),
  );

  await page.reload();
  await page.getByLabel(ja.floor.person, { exact: true }).selectOption({ label: '山本 リーダー' });
  await page.getByLabel(ja.floor.passphrase, { exact: true }).fill('lantern by the north door');
  await page.getByRole('button', { name: ja.floor.signIn, exact: true }).click();

  const part = page.getByRole('region', { name: ja.floorClearance.title, exact: true });
  await expect(part).toBeVisible();
  const start = part.getByRole('button', { name: ja.floorClearance.start, exact: true });
  const confirm = part.getByRole('textbox', { name: ja.floorClearance.confirmLabel.replace('{{count}}', '3'), exact: true });
  await expect(start).toBeDisabled();
  await confirm.fill('2');
  await expect(start).toBeDisabled();
  await confirm.fill('3');
  await expect(start).toBeEnabled();
  await start.click();

  const list = part.getByRole('table', { name: ja.floorClearance.statusTitle, exact: true });
  const row = (name: string) => list.getByRole('row', { name: new RegExp(`^${name} `) });
  await expect(row('1番席')).toContainText(ja.floorClearance.status.cleared, { timeout: 15_000 });
  await expect(row('1番席')).toContainText(/消去記録 No\.1 · [0-9a-f]{16}/);
  await expect(row('2番席')).toContainText(ja.floorClearance.status['needs-attention']);
  await expect(row('2番席')).toContainText('未送信: 入力中 2 · 送信待ち 0 · 送信中 0 · 失敗 1');
  await expect(row('3番席')).toContainText(ja.floorClearance.status.offline, { timeout: 40_000 });
  await expect(part.getByRole('status').filter({ hasText: '消去済み 1 / 3 席' })).toBeVisible();
  await new DeskPage(page, 'ja').snap('floor-clearance');

  const download = page.waitForEvent('download');
  await part.getByRole('button', { name: ja.floorClearance.exportCsv, exact: true }).click();
  const csv = await readFile((await (await download).path())!, 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toBe('desk,status,time,draft,ready,handingOff,failed,recordHash');
  expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['desk-01,cleared', 'desk-02,needs-attention', 'desk-03,offline']);
  expect(lines[1]).toMatch(/,[0-9a-f]{64}$/);
  expect(csv).not.toContain('山本');

  await page.getByRole('button', { name: en.settings.en, exact: true }).click();
  const enPart = page.getByRole('region', { name: en.floorClearance.title, exact: true });
  await expect(enPart.getByRole('table', { name: en.floorClearance.statusTitle, exact: true })).toContainText(en.floorClearance.status['needs-attention']);
  await new DeskPage(page, 'en').snap('floor-clearance');
  await page.getByRole('button', { name: ja.settings.ja, exact: true }).click();
});
