/**
 * A deletion record exported for an auditor: the JSON is the signed record (its signature still
 * verifies), and the readable sheet (ja/en) holds the record's facts, escaped, with no script or
 * remote resource and nothing personal.
 */
import { createPublicKey } from 'node:crypto';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeletionRecord } from '../../../../shared/clearance/schema.js';
import { parseRecord, signRecord, verifyRecordSignature } from '../../../../electron/main/services/clearance/deletion-record.js';
import { generateEd25519 } from '../../../../electron/main/services/roster/ed25519.js';
import { recordFileName, recordJson, recordSheetHtml } from '../../../../renderer/src/floor/record-export.js';
import { en } from '../../../../renderer/src/i18n/en.js';
import { ja } from '../../../../renderer/src/i18n/ja.js';
import { unsignedRecord } from '../../../support/record-fixture.js';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ lng: 'ja', resources: { ja: { translation: ja }, en: { translation: en } }, interpolation: { escapeValue: false } });
});

const deskKey = generateEd25519().privateKey;
const record = signRecord(
  unsignedRecord({
    seq: 3,
    destroyed: { notes: { draft: 1, ready: 0, handingOff: 0, failed: 0, delivered: 2, training: 1 }, outboxJobs: 2, quarantined: 0, leftovers: 1, rendererStorage: 7, clipboard: 1 },
  }),
  deskKey,
);

describe('exporting a deletion record', () => {
  it('names the files after the desk and the record number', () => {
    expect(recordFileName(record, 'json')).toBe('deletion-record-desk-01-000003.json');
    expect(recordFileName(record, 'html')).toBe('deletion-record-desk-01-000003.html');
  });

  it('exports the JSON as the signed record: it parses as a record and its signature verifies', () => {
    const parsed = parseRecord(recordJson(record));
    expect(typeof parsed).not.toBe('string');
    expect(parsed).toEqual(record);
    expect(verifyRecordSignature(DeletionRecord.parse(parsed), createPublicKey(deskKey))).toBe(true);
  });

  it('makes a Japanese sheet with the facts of the record (desk, who, counts, method, hashes, signature)', () => {
    const html = recordSheetHtml(record, i18n.getFixedT('ja'), 'ja');
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('消去記録 — desk-01 #3');
    expect(html).toContain('sl-001（シフトリーダー）');
    expect(html).toContain('メモ 4 件（うち研修 1）');
    expect(html).toContain('画面の保存領域 7 件・クリップボード 1 件');
    expect(html).toContain('重複 1');
    expect(html).toContain(record.method);
    expect(html).toContain(record.standard);
    expect(html).toContain(record.destroyedKey!);
    expect(html).toContain(record.signature);
  });

  it('makes the English sheet too', () => {
    const html = recordSheetHtml(record, i18n.getFixedT('en'), 'en');
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('sl-001 (Shift lead)');
    expect(html).toContain('page storage areas 7 · clipboard 1');
  });

  it('has no script, no link and no remote resource, and a policy that forbids loading any', () => {
    const html = recordSheetHtml(record, i18n.getFixedT('ja'), 'ja');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|href=|url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('escapes what it shows: markup in a translation comes out as text', () => {
    const t = ((key: string) => (key === 'clearance.recordTitle' ? '<script>alert(1)</script>' : key)) as never;
    const html = recordSheetHtml(record, t, 'ja');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
