import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DeletionRecord, UndeliveredItem } from '../../../../shared/clearance/schema.js';
import { RECORD_STANDARD } from '../../../../shared/clearance/schema.js';
import { canClear, confirmationMatches, settlementsFor, unsettledCount } from '../../../../renderer/src/floor/end-of-day.js';
import { RecordView, UndeliveredRow } from '../../../../renderer/src/floor/shift-lead-desk.js';
import { en } from '../../../../renderer/src/i18n/en.js';
import { ja } from '../../../../renderer/src/i18n/ja.js';
import { unsignedRecord } from '../../../support/record-fixture.js';

beforeAll(async () => {
  await i18next.use(initReactI18next).init({ lng: 'ja', resources: { ja: { translation: ja }, en: { translation: en } }, interpolation: { escapeValue: false } });
});

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-9222-222222222222';
const item = (noteId: string): UndeliveredItem => ({ noteId, clientId: null, channels: [], state: 'draft', reason: null, createdAt: '2026-12-05T09:00:00.000Z' });
const plan = { undelivered: [item(A), item(B)] };

describe('the End of day settle rule', () => {
  it('keeps Clear unavailable while any row has no choice, even with the desk id typed', () => {
    expect(canClear(plan, {}, 'desk-01', 'desk-01')).toBe(false);
    expect(canClear(plan, { [A]: { action: 'carry-over' } }, 'desk-01', 'desk-01')).toBe(false);
    expect(unsettledCount(plan, { [A]: { action: 'carry-over' } })).toBe(1);
    expect(settlementsFor(plan, { [A]: { action: 'carry-over' } })).toBeNull();
  });

  it('counts a discard without its reason code as unsettled', () => {
    const choices = { [A]: { action: 'carry-over' as const }, [B]: { action: 'discard' as const, reason: null } };
    expect(unsettledCount(plan, choices)).toBe(1);
    expect(canClear(plan, choices, 'desk-01', 'desk-01')).toBe(false);
  });

  it('offers Clear once every row is settled and the desk id is typed, with one settlement per row', () => {
    const choices = { [A]: { action: 'carry-over' as const }, [B]: { action: 'discard' as const, reason: 'duplicate' as const } };
    expect(unsettledCount(plan, choices)).toBe(0);
    expect(canClear(plan, choices, ' desk-01 ', 'desk-01')).toBe(true);
    expect(settlementsFor(plan, choices)).toEqual([
      { noteId: A, action: 'carry-over' },
      { noteId: B, action: 'discard', reason: 'duplicate' },
    ]);
  });

  it('needs the exact desk id: another id, a different case, empty, or an unknown desk id refuse', () => {
    expect(confirmationMatches('desk-02', 'desk-01')).toBe(false);
    expect(confirmationMatches('DESK-01', 'desk-01')).toBe(false);
    expect(confirmationMatches('', 'desk-01')).toBe(false);
    expect(confirmationMatches('', null)).toBe(false);
    expect(canClear({ undelivered: [] }, {}, 'desk-01', 'desk-01')).toBe(true);
    expect(canClear({ undelivered: [] }, {}, 'desk-01', null)).toBe(false);
  });
});

const record: DeletionRecord = {
  ...unsignedRecord({
    seq: 2,
    destroyed: { notes: { draft: 0, ready: 0, handingOff: 0, failed: 0, delivered: 3, training: 2 }, outboxJobs: 4, quarantined: 0, leftovers: 1 },
    carriedOver: { notes: 1, outboxJobs: 0 },
    prev: 'b'.repeat(64),
    auditHead: null,
  }),
  signature: 'sig',
};

describe('the deletion record, readably', () => {
  it('shows desk, who, counts destroyed / carried over / discarded with reasons, method, key fingerprint and previous hash, in ja and en', async () => {
    const html = renderToStaticMarkup(<RecordView record={record} title="消去記録" />);
    expect(html).toContain('desk-01');
    expect(html).toContain('sl-001（シフトリーダー）');
    expect(html).toContain('メモ 5 件（うち研修 2）・送信ジョブ 4');
    expect(html).toContain('メモ 1 件・送信ジョブ 0');
    expect(html).toContain('1 件（重複 1）');
    expect(html).toContain('シフト鍵の暗号消去とファイル削除');
    expect(html).toContain(RECORD_STANDARD);
    expect(html).toContain('a'.repeat(64));
    expect(html).toContain('b'.repeat(64));
    await i18next.changeLanguage('en');
    try {
      const enHtml = renderToStaticMarkup(<RecordView record={{ ...record, prev: '0'.repeat(64), destroyedKey: null }} title="Deletion record" />);
      expect(enHtml).toContain('sl-001 (Shift lead)');
      expect(enHtml).toContain('1 (Duplicate 1)');
      expect(enHtml).toContain('desk&#x27;s first record');
      expect(enHtml).toContain(en.clearance.record.noKey);
      expect(enHtml).not.toContain('0'.repeat(64));
    } finally {
      await i18next.changeLanguage('ja');
    }
  });
});

describe('an undelivered message in the settle list', () => {
  const row = (reason: string | null, lng: 'ja' | 'en' = 'ja') => {
    void i18next.changeLanguage(lng);
    const undelivered: UndeliveredItem = { ...item(A), clientId: 'sato-law', channels: ['slack'], state: 'failed', reason };
    return renderToStaticMarkup(<UndeliveredRow item={undelivered} client="佐藤総合法律事務所" choice={undefined} onChoose={() => undefined} onSend={() => Promise.resolve()} />);
  };

  it('says why it failed in the shift lead\'s language, not as a code', () => {
    expect(row('rate-limited')).toContain(ja.outbox.why['rate-limited']);
    expect(row('server-error')).toContain(ja.outbox.why['server-error']);
    expect(row('server-error')).not.toContain('>server-error<');
    expect(row('misconfigured', 'en')).toContain(en.outbox.why.misconfigured);
    // A code this page does not know (a newer desk) still shows, as it is.
    expect(row('something-new')).toContain('something-new');
    void i18next.changeLanguage('ja');
  });
});
