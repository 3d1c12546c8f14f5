/**
 * A live note handed off from the real UI, end to end: the desk is provisioned (pinned admin key,
 * signed directory) through the bridge, a live call's pop is made by the main process
 * (popIncomingCall, as the line does), the operator reopens the note, hands it off, and the outbox
 * shows every job state against loopback receivers that succeed, refuse, fail and hang; the note's
 * content is found nowhere on disk, in temp files or in the logs (canary scan, with the log at its
 * most verbose level: stderr and the rotating log file) before and after the hand-off. Screenshots of the outbox in each state and the audit viewer, ja and en.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type WebSocket from 'ws';
import type { ClientInput } from '../../shared/directory/schema.js';
import { generateAdminKeyPair, signDirectory } from '../../electron/main/services/directory/bundle.js';
import { generateClient } from '../support/generate-directory.js';
import { startHttpsReceiver, type HttpsReceiver } from '../support/receivers/https-receiver.js';
import { loopbackCa } from '../support/receivers/loopback-ca.js';
import { startSmtpReceiver, type SmtpReceiver } from '../support/receivers/smtp-receiver.js';
import { connectBridge, exchange } from './support/bridge-client.js';
import { TEST_ARTIFACTS, filesUnder, scanBuffer, scanFiles } from './support/canary-scan.js';
import { startCrashableHarness, type CrashableHarness } from './support/crashable-harness.js';
import { DeskPage, STRINGS } from './support/desk-page.js';
import { expect, test } from './support/fixtures.js';
import { SCREENSHOTS } from './support/paths.js';

const CANARY = {
  name: '鏑木ライブカナリア Livecanaryzq',
  callback: '070-9246-1357',
  memo: '検査結果のライブカナリア livememo-canary-r8t2',
};
const CALLER = { name: 'ライブ発信者カナリア Livecallerq', number: '080-6621-4873' };
const CANARIES = [...Object.values(CANARY), '07092461357', CALLER.name, CALLER.number, '08066214873'];

interface Bridge {
  call<T>(method: string, arg?: unknown): Promise<T>;
  close(): void;
}

/** The typed API over the harness's bridge, as our own page would call it. */
async function openBridge(h: CrashableHarness): Promise<Bridge> {
  const url = new URL(h.url);
  const token = url.hash.slice('#token='.length);
  const outcome = await connectBridge(Number(url.port), `?token=${token}`, { Origin: url.origin });
  if (outcome.kind !== 'open') throw new Error(`bridge refused: ${JSON.stringify(outcome)}`);
  const ws: WebSocket = outcome.ws;
  let id = 0;
  return {
    async call<T>(method: string, arg?: unknown): Promise<T> {
      const { reply, closed } = await exchange(ws, JSON.stringify({ id: ++id, method, arg }));
      if (!reply) throw new Error(`bridge closed: ${JSON.stringify(closed)}`);
      if (!reply.envelope.ok) throw new Error(`${method}: ${JSON.stringify(reply.envelope.error)}`);
      return reply.envelope.value as T;
    },
    close: () => ws.close(),
  };
}

test.describe('a live note handed off from the desk', () => {
  let harness: CrashableHarness | undefined;
  let dataDir: string;
  let receivers: Array<HttpsReceiver | SmtpReceiver> = [];

  test.afterEach(async () => {
    await harness?.stop();
    harness = undefined;
    for (const r of receivers) await r.close();
    receivers = [];
    await rm(dataDir, { recursive: true, force: true });
  });

  test('shows every outbox state, retries by hand, and leaks no canary before or after the hand-off', async ({ page }) => {
    test.setTimeout(180_000);
    const since = Date.now();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'kotozute-e2e-live-'));
    const webhook = await startHttpsReceiver('webhook');
    const slack = await startHttpsReceiver('slack', { otherwise: 'reject' });
    const teams = await startHttpsReceiver('teams', { otherwise: 'server-error' });
    const chatwork = await startHttpsReceiver('chatwork', { otherwise: 'hang' });
    const smtp = await startSmtpReceiver();
    receivers = [webhook, slack, teams, chatwork, smtp];

    const client: ClientInput = {
      ...generateClient(1),
      id: 'canary-clinic',
      name: 'かなりあ内科クリニック',
      handOff: {
        channels: [
          webhook.channel,
          slack.channel,
          teams.channel,
          chatwork.channel,
          { kind: 'email', id: 'mail', to: ['desk@canary-clinic.example'], smtpSecret: 'test.smtp' },
        ],
        urgentAlso: [],
        minimalChat: true,
      },
    };
    const { privateKeyPem, publicKeyPem } = generateAdminKeyPair();
    const directory = { format: 'kotozute-directory', version: 1, publishedAt: '2026-11-01T09:00:00+09:00', publisher: 'テスト電話代行', clients: [client] };
    const bundle = signDirectory(JSON.stringify(directory), privateKeyPem).toString('utf8');
    const caFile = path.join(dataDir, '..', `kotozute-e2e-ca-${process.pid}.pem`);
    await writeFile(caFile, loopbackCa().ca);

    // The most verbose log level (issue 11 §2): every line at every level goes through the one
    // redactor, to stderr and to the rotating file under the data folder, which the scans cover.
    harness = await startCrashableHarness(dataDir, { KOTOZUTE_HANDOFF_CA: caFile, KOTOZUTE_LOG_LEVEL: 'debug' });
    const api = await openBridge(harness);
    try {
      await api.call('importProvisioning', {
        profile: JSON.stringify({
          format: 'kotozute-provisioning',
          version: 1,
          line: { server: 'ws://127.0.0.1:9/ws', aor: 'sip:desk1@pbx.example' },
          adminPublicKey: publicKeyPem,
          directoryBundle: bundle,
        }),
      });
      for (const r of [webhook, slack, teams, chatwork]) await api.call('setHandOffSecret', { ref: `test.${r.kind}`, value: r.secret });
      await api.call('setHandOffSecret', { ref: 'test.smtp', value: smtp.secret() });
      // What the line does when a real call rings: the main process makes (and remembers) the pop.
      const pop = await api.call<{ callId: string; training: boolean }>('popIncomingCall', { callId: 'live-call-1', did: client.dids[0], caller: CALLER });
      expect(pop.training).toBe(false);
      const note = await api.call<{ summary: { id: string } }>('openNote', { callId: pop.callId });
      await api.call('saveNote', { noteId: note.summary.id, fields: { name: CANARY.name, callback: CANARY.callback, 'callback-confirm': CANARY.callback, memo: CANARY.memo } });
    } finally {
      api.close();
    }

    await page.goto(harness.url);
    const d = new DeskPage(page);
    const t = STRINGS.ja;
    // The operator reopens the unfinished note and hands it off from the form.
    const unfinished = page.getByRole('region', { name: new RegExp(`^${t.notes.unfinished.heading}`) });
    await expect(unfinished).toContainText(client.name);
    await unfinished.getByRole('button', { name: t.notes.unfinished.reopen, exact: true }).click();
    const form = page.getByRole('region', { name: t.notes.heading, exact: true });
    await expect(form.getByRole('textbox', { name: `お名前 (${t.notes.required})`, exact: true })).toHaveValue(CANARY.name);
    await expect(form).not.toContainText(t.notes.trainingExplain);

    const beforeHits = scanAll(harness, since);
    expect(beforeHits.hits).toEqual([]);

    await form.getByRole('textbox', { name: 'ご用件', exact: true }).press('Control+Enter');
    await expect(page.getByText(t.notes.handedOff)).toBeVisible();

    await page.getByRole('button', { name: t.outbox.open, exact: true }).click();
    const outbox = page.getByRole('dialog', { name: t.outbox.title, exact: true });
    const row = (kind: string) => outbox.getByRole('row').filter({ has: page.getByRole('cell', { name: kind, exact: true }) });
    await expect(row(t.outbox.kind.webhook)).toContainText(t.outbox.state.delivered);
    await expect(row(t.outbox.kind.email)).toContainText(t.outbox.state.delivered);
    await expect(row(t.outbox.kind.slack)).toContainText(t.outbox.state.failed);
    await expect(row(t.outbox.kind.teams)).toContainText(t.outbox.state.retrying);
    await expect(row(t.outbox.kind.chatwork)).toContainText(t.outbox.state.sending);
    // Why, in the operator's language (the receiver's 4xx and 5xx); the sender's English phrase only behind a disclosure.
    await expect(row(t.outbox.kind.slack)).toContainText(`${t.outbox.why.rejected} ${t.outbox.todo.rejected}`);
    await expect(row(t.outbox.kind.teams)).toContainText(t.outbox.why['server-error']);
    await expect(row(t.outbox.kind.teams)).toContainText(t.outbox.todo.retrying.split('{{time}}')[1]!);
    await expect(row(t.outbox.kind.teams).getByText(/server error/)).toBeHidden();
    await row(t.outbox.kind.teams).getByText(t.outbox.technical, { exact: true }).click();
    await expect(row(t.outbox.kind.teams).getByText(/had a server error \(5\d\d\)/)).toBeVisible();
    await d.page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'notes-outbox-states-ja.png'), fullPage: true });

    // A manual retry sends the refused job again (and it is refused again: the receiver says 4xx).
    const slackRequests = slack.requests.length;
    await row(t.outbox.kind.slack).getByRole('button', { name: t.outbox.retry, exact: true }).click();
    await expect.poll(() => slack.requests.length).toBeGreaterThan(slackRequests);
    await expect(row(t.outbox.kind.slack)).toContainText(t.outbox.state.failed);
    expect(webhook.received).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);
    await outbox.getByRole('button', { name: t.outbox.close, exact: true }).click();

    // The note is still undelivered on some channels, so it is kept — sealed.
    const afterHits = scanAll(harness, since);
    expect(afterHits.hits).toEqual([]);
    // The scan read debug lines: the level took effect, in the stream and in the file.
    const logFile = await readFile(path.join(dataDir, 'logs', 'kotozute.log'), 'utf8');
    for (const text of [harness.stderr().toString('utf8'), logFile]) {
      expect(text).toMatch(/"level":"debug","event":"api\.call","method":"handOffNote"/);
      expect(text).toMatch(/"level":"debug","event":"api\.call","method":"popIncomingCall"/);
    }

    await page.getByRole('button', { name: t.audit.open, exact: true }).click();
    const audit = page.getByRole('dialog', { name: t.audit.title, exact: true });
    await expect(audit.getByRole('status')).toContainText(t.audit.chainOk.split('{{')[0]!);
    await expect(audit.getByRole('cell', { name: t.audit.type.delivered, exact: true })).toHaveCount(2);
    await expect(audit.getByRole('cell', { name: t.audit.type.failed, exact: true }).first()).toBeVisible();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'notes-audit-live-ja.png'), fullPage: true });
    expect(await audit.textContent()).not.toContain(CANARY.name);
    await audit.getByRole('button', { name: t.audit.close, exact: true }).click();

    await d.switchLanguage('en');
    const en = STRINGS.en;
    await page.getByRole('button', { name: en.outbox.open, exact: true }).click();
    await expect(page.getByRole('dialog', { name: en.outbox.title }).getByText(en.outbox.state.failed).first()).toBeVisible();
    await expect(page.getByRole('dialog', { name: en.outbox.title }).getByText(en.outbox.why.rejected).first()).toBeVisible();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'notes-outbox-states-en.png'), fullPage: true });
    await page.getByRole('button', { name: en.outbox.close, exact: true }).click();
    await page.getByRole('button', { name: en.audit.open, exact: true }).click();
    await expect(page.getByRole('dialog', { name: en.audit.title }).getByRole('status')).toContainText(en.audit.chainOk.split('{{')[0]!);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'notes-audit-live-en.png'), fullPage: true });
    await rm(caFile, { force: true });
  });
});

function scanAll(h: CrashableHarness, since: number) {
  const files = [...new Set([...filesUnder(h.dataDir).files, ...filesUnder(os.tmpdir(), since, [TEST_ARTIFACTS]).files])];
  return {
    files: files.length,
    hits: [...scanFiles(files, CANARIES), ...scanBuffer('harness stdout', h.stdout(), CANARIES), ...scanBuffer('harness stderr', h.stderr(), CANARIES)],
  };
}
