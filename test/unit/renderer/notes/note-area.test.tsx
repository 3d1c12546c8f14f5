import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KotozuteApi } from '../../../../shared/ipc/contract.js';
import type { NoteSummary, NoteView } from '../../../../shared/ipc/notes-contract.js';
import { GENERIC_MESSAGE_FIELDS } from '../../../../shared/ipc/notes-contract.js';
import { en } from '../../../../renderer/src/i18n/en.js';
import { ja } from '../../../../renderer/src/i18n/ja.js';
import { NoteArea, type PopOnScreen } from '../../../../renderer/src/notes/note-area.js';
import type { NoteSession } from '../../../../renderer/src/notes/use-note-session.js';

beforeAll(async () => {
  await i18next.use(initReactI18next).init({
    resources: { ja: { translation: ja }, en: { translation: en } },
    lng: 'ja',
    interpolation: { escapeValue: false },
  });
});

const summary = (over: Partial<NoteSummary>): NoteSummary => ({
  id: 'n1',
  callId: 'call-1',
  clientId: 'sato-law',
  clientName: '佐藤総合法律事務所',
  training: false,
  state: 'draft',
  createdAt: '2026-12-05T01:00:00.000Z',
  updatedAt: '2026-12-05T01:00:00.000Z',
  saves: 1,
  hasContent: true,
  expiresAt: null,
  ...over,
});

const view = (s: NoteSummary): NoteView => ({
  summary: s,
  fields: {},
  call: { did: '0355500301', callerName: '佐藤 一郎', callerNumber: '0312345678', receivedAt: s.createdAt },
  form: { fields: [...GENERIC_MESSAGE_FIELDS], generic: true },
});

const session = (over: Partial<NoteSession>): NoteSession => ({
  note: null,
  unfinished: [],
  notice: null,
  reopen: () => undefined,
  discard: () => undefined,
  handedOff: () => undefined,
  contentChanged: () => undefined,
  saved: () => undefined,
  dismissNotice: () => undefined,
  ...over,
});

const render = (s: NoteSession, pop: PopOnScreen | null = null, lng: 'ja' | 'en' = 'ja') => {
  void i18next.changeLanguage(lng);
  return renderToStaticMarkup(<NoteArea api={{} as KotozuteApi} session={s} pop={pop} onOutbox={() => undefined} onError={() => undefined} />);
};

/** The markup of the group whose heading starts with `title`, up to the next group. */
const group = (html: string, title: string): string => {
  const start = html.indexOf(title);
  if (start < 0) return '';
  const end = html.indexOf('<section', start);
  return html.slice(start, end < 0 ? undefined : end);
};

describe('the unsent notes list', () => {
  const draft = summary({ id: 'd1', clientName: 'あおばクリニック' });
  const empty = summary({ id: 'e1', callId: 'call-2', hasContent: false, saves: 0 });
  const failed = summary({ id: 'f1', callId: 'call-3', state: 'failed', clientName: '失敗商事' });
  const sending = summary({ id: 's1', callId: 'call-4', state: 'handing-off', clientName: '送信中商店' });

  it('counts every unsent note and lists a failed or sending delivery under the outbox group, never among drafts to continue', () => {
    const html = render(session({ unfinished: [draft, empty, failed, sending] }));
    expect(html).toContain(`${ja.notes.unfinished.heading} (4)`);
    const drafts = group(html, ja.notes.unfinished.draftsHeading.replace('{{count}}', '2'));
    const outbox = group(html, ja.notes.unfinished.outboxHeading.replace('{{count}}', '2'));
    expect(drafts).toContain('あおばクリニック');
    expect(drafts).not.toContain('失敗商事');
    expect(drafts).not.toContain('送信中商店');
    expect(outbox).toContain('失敗商事');
    expect(outbox).toContain(ja.notes.state.failed);
    expect(outbox).toContain('送信中商店');
    // A handed-off message is reopened nowhere here: the outbox sends it again.
    expect(outbox).not.toContain(`>${ja.notes.unfinished.reopen}</button>`);
    expect(html).toContain(`>${ja.notes.unfinished.openOutbox}</button>`);
    // The old wording about a restart is gone from the list.
    expect(html).not.toContain('再起動');
    expect(render(session({ unfinished: [failed] }), null, 'en')).not.toContain('restart');
  });

  it('offers to discard only an empty live draft', () => {
    const training = summary({ id: 't1', callId: 'call-5', training: true, hasContent: false });
    const html = render(session({ unfinished: [draft, empty, training] }));
    expect(html.split(`>${ja.notes.discardEmpty}</button>`)).toHaveLength(2);
    const emptyItem = html.slice(html.indexOf(ja.notes.unfinished.empty));
    expect(emptyItem.slice(0, emptyItem.indexOf('</li>'))).toContain(ja.notes.discardEmpty);
  });
});

describe('the open note beside a pop', () => {
  const note = view(summary({}));

  it('names its client first, and says nothing more when the pop is its own call', () => {
    const html = render(session({ note }), { callId: 'call-1', clientId: 'sato-law', clientName: '佐藤総合法律事務所' });
    expect(html).toMatch(new RegExp(`${ja.notes.forClient}</span><[^>]*class="note-client"[^>]*>佐藤総合法律事務所`));
    expect(html).not.toContain('role="alert"');
  });

  it('warns when the pop beside it is another client’s call, and says so more quietly for the same client', () => {
    const other = render(session({ note }), { callId: 'call-2', clientId: 'aoba-clinic', clientName: 'あおばクリニック' });
    expect(other).toContain('note-panel-mismatch');
    expect(other).toContain(ja.notes.otherClient.replace('{{note}}', '佐藤総合法律事務所').replace('{{call}}', 'あおばクリニック'));
    const same = render(session({ note }), { callId: 'call-2', clientId: 'sato-law', clientName: '佐藤総合法律事務所' }, 'en');
    expect(same).not.toContain('note-panel-mismatch');
    expect(same).toContain(en.notes.otherCallSameClient);
  });

  it('tells the operator where a kept note went, with the count, as an alert', () => {
    const html = render(session({ notice: { kind: 'kept', clientName: '佐藤総合法律事務所' }, unfinished: [summary({})] }));
    expect(html).toContain('role="alert"');
    expect(html).toContain(ja.notes.kept.replace('{{client}}', '佐藤総合法律事務所').replace('{{count}}', '1'));
  });
});
