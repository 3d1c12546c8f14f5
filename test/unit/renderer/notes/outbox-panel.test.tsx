import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { judgeReply } from '../../../../electron/main/services/handoff/reply-outcome.js';
import { deliveryReasonOf } from '../../../../electron/main/services/outbox/reason-code.js';
import { en } from '../../../../renderer/src/i18n/en.js';
import { ja } from '../../../../renderer/src/i18n/ja.js';
import { OutboxTable } from '../../../../renderer/src/notes/outbox-panel.js';
import { DeliveryReason, type OutboxJobView } from '../../../../shared/ipc/notes-contract.js';

beforeAll(async () => {
  await i18next.use(initReactI18next).init({
    resources: { ja: { translation: ja }, en: { translation: en } },
    lng: 'ja',
    interpolation: { escapeValue: false },
  });
});

const NOW = new Date('2026-12-05T01:00:00.000Z');

/** The job the page sees after the receiver answered `status`, as the main process words and codes it. */
function jobAfter(status: number, headers: Record<string, string> = {}): OutboxJobView {
  const outcome = judgeReply('webhook', { status, headers, body: '', incomplete: false }, () => undefined, NOW);
  if (outcome.ok) throw new Error('a failure was expected');
  return {
    id: `job-${status}`,
    noteId: 'n1',
    clientId: 'sato-law',
    clientName: '佐藤総合法律事務所',
    channelId: 'hook',
    kind: 'webhook',
    state: outcome.retry ? 'retrying' : 'failed',
    attempts: 1,
    nextAttemptAt: outcome.retry ? '2026-12-05T01:02:00.000Z' : null,
    lastError: outcome.reason,
    reason: deliveryReasonOf(outcome.reason, outcome.retry),
    createdAt: NOW.toISOString(),
    deliveredAt: null,
  };
}

const render = (jobs: OutboxJobView[], lng: 'ja' | 'en' = 'ja') => {
  void i18next.changeLanguage(lng);
  return renderToStaticMarkup(<OutboxTable jobs={jobs} onRetry={() => undefined} />);
};

/** The text of the page without the disclosure that holds the sender's English phrase. */
const visibleText = (html: string) =>
  html
    .replace(/<details[\s\S]*?<\/details>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

describe('the outbox seen on a Japanese desk', () => {
  it('says in Japanese why a 429 and a 500 are waiting and that they are sent again by themselves, with the English phrase behind a disclosure', () => {
    const limited = jobAfter(429, { 'retry-after': '120' });
    const broken = jobAfter(500);
    const html = render([limited, broken]);
    expect(html).toContain(ja.outbox.why['rate-limited']);
    expect(html).toContain(ja.outbox.why['server-error']);
    expect(html).toContain('に自動で再送します。');
    const shown = visibleText(html);
    expect(shown).not.toContain('rate limiting');
    expect(shown).not.toContain('server error');
    // The detail is still there, for whoever fixes the channel.
    expect(html).toContain(`<summary>${ja.outbox.technical}</summary>`);
    expect(html).toContain('webhook is rate limiting (429)');
    expect(html).toContain('webhook had a server error (500)');
  });

  it('tells the operator to ask the administrator when the receiver refuses the message, and says it in English on an English desk', () => {
    const refused = jobAfter(403);
    expect(refused.state).toBe('failed');
    expect(visibleText(render([refused]))).toContain(`${ja.outbox.why.rejected} ${ja.outbox.todo.rejected}`);
    expect(visibleText(render([refused], 'en'))).toContain(`${en.outbox.why.rejected} ${en.outbox.todo.rejected}`);
  });

  it('has a Japanese and an English sentence, and what to do, for every reason code', () => {
    for (const code of DeliveryReason.options) {
      for (const lang of [ja, en]) {
        expect(lang.outbox.why[code]).toMatch(/\S/);
        expect(lang.outbox.todo[code]).toMatch(/\S/);
      }
    }
  });
});
