import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClearanceNoticeView } from '../../../../renderer/src/desk/clearance-notice.js';
import { en } from '../../../../renderer/src/i18n/en.js';
import { ja } from '../../../../renderer/src/i18n/ja.js';
import type { ClearanceNotice } from '../../../../shared/clearance/notice.js';

beforeAll(async () => {
  await i18next.use(initReactI18next).init({
    resources: { ja: { translation: ja }, en: { translation: en } },
    lng: 'ja',
    interpolation: { escapeValue: false },
  });
});

const render = (notice: ClearanceNotice, lng: 'ja' | 'en' = 'ja') => {
  void i18next.changeLanguage(lng);
  return renderToStaticMarkup(<ClearanceNoticeView notice={notice} onDismiss={() => undefined} />);
};
const late: ClearanceNotice = {
  cleared: { seq: 3, at: '2026-12-06T00:00:00.000Z', by: { kind: 'schedule' }, late: true, due: '2026-12-05T13:00:00.000Z' },
  attention: null,
};

describe("the desk's own clearance notice", () => {
  it('says a late scheduled clearance ran at start because the desk was off, that the desk starts empty, and can be dismissed', () => {
    const html = render(late);
    expect(html).toContain(ja.deskClearance.clearedTitle);
    expect(html).toContain('停止していたため');
    expect(html).toContain(ja.deskClearance.startsEmpty);
    expect(html).toContain(`>${ja.deskClearance.dismiss}</button>`);
    expect(render(late, 'en')).toContain('The desk was off at the scheduled time');
  });

  it('names the person and role who cleared, from the roster, or says the roster no longer lists them', () => {
    const byLead: ClearanceNotice = { cleared: { seq: 1, at: '2026-12-05T13:00:00.000Z', by: { kind: 'person', role: 'shift-lead', name: '山本 リーダー' }, late: false, due: null }, attention: null };
    expect(render(byLead)).toContain('山本 リーダー（シフトリーダー）');
    const gone: ClearanceNotice = { ...byLead, cleared: { ...byLead.cleared!, by: { kind: 'person', role: 'shift-lead', name: null } } };
    expect(render(gone)).toContain(ja.deskClearance.unknownPerson);
  });

  it('raises "needs attention" with the counts and what to do, by what asked for the clearance, and shows nothing when there is nothing to say', () => {
    const html = render({ cleared: null, attention: { source: 'schedule', counts: { undelivered: 3, failed: 2 }, since: 0 } });
    expect(html).toContain('role="alert"');
    expect(html).toContain(ja.deskClearance.attentionTitle);
    expect(html).toContain('未送信の伝言が 3 件（うち送信失敗 2 件）');
    expect(html).toContain(ja.deskClearance.whatToDoSchedule);
    const floor = render({ cleared: null, attention: { source: 'floor', counts: { undelivered: 1, failed: 0 }, since: 0 } }, 'en');
    expect(floor).toContain('A shift lead asked for the end-of-day clearance, but 1 message(s) are undelivered (0 failed)');
    expect(floor).toContain(en.deskClearance.whatToDoFloor);
    expect(render({ cleared: null, attention: null })).toBe('');
  });
});
