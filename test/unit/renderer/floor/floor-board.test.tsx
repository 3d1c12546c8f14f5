import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BoardRow, FloorBoardView } from '../../../../shared/ipc/floor-contract.js';
import type { DeskStatePayload } from '../../../../shared/floor/wire.js';
import { orderBoard, elapsed } from '../../../../renderer/src/floor/board-order.js';
import { FloorBoard } from '../../../../renderer/src/floor/floor-board.js';
import { en } from '../../../../renderer/src/i18n/en.js';
import { ja } from '../../../../renderer/src/i18n/ja.js';

const NOW = 1_000_000;

function row(deskId: string, activity: DeskStatePayload['activity'] | null, over: Partial<DeskStatePayload> = {}, reachable = true): BoardRow {
  return {
    deskId,
    deskName: deskId,
    operator: activity && activity !== 'signed-out' ? `op-${deskId}` : null,
    reachable,
    heardAt: activity ? NOW - 1_000 : null,
    state: activity
      ? {
          kind: 'desk-state',
          v: 1,
          deskId,
          seq: 1,
          sentAt: NOW,
          person: 'p',
          activity,
          since: NOW - 60_000,
          call: activity === 'talking' || activity === 'ringing' ? { ref: `ref-${deskId}-0001`, client: { id: 'acme', name: 'アクメ商事' }, onHold: false, monitored: false } : null,
          outbox: { pending: 0, failed: 0 },
          line: 'registered',
          ...over,
        }
      : null,
  };
}

beforeAll(async () => {
  await i18next.use(initReactI18next).init({ lng: 'ja', resources: { ja: { translation: ja }, en: { translation: en } }, interpolation: { escapeValue: false } });
});

describe('the board order', () => {
  it('puts ringing desks first (longest first), then calls (longest first), then wrap-up, idle, signed out, unreachable', () => {
    const rows = [
      row('a-idle', 'idle'),
      row('b-gone', 'talking', {}, false),
      row('c-short', 'talking', { since: NOW - 10_000 }),
      row('d-ring', 'ringing', { since: NOW - 3_000 }),
      row('e-long', 'talking', { since: NOW - 900_000 }),
      row('f-out', 'signed-out'),
      row('g-wrap', 'wrap-up'),
      row('h-ring-long', 'ringing', { since: NOW - 20_000 }),
      row('i-never', null, {}, false),
    ];
    expect(orderBoard(rows, { text: '', status: 'all' }).map((r) => r.deskId)).toEqual([
      'h-ring-long', 'd-ring', 'e-long', 'c-short', 'g-wrap', 'a-idle', 'f-out', 'b-gone', 'i-never',
    ]);
  });

  it('filters by state and by text in desk, operator or client (width and case folded)', () => {
    const rows = [row('desk-1', 'talking'), row('desk-2', 'idle'), row('desk-3', 'talking', { call: { ref: 'ref-00000003', client: { id: 'b', name: 'ベータ' }, onHold: true, monitored: false } })];
    expect(orderBoard(rows, { text: '', status: 'idle' }).map((r) => r.deskId)).toEqual(['desk-2']);
    expect(orderBoard(rows, { text: 'ｂｅ', status: 'all' })).toEqual([]);
    expect(orderBoard(rows, { text: 'ベータ', status: 'talking' }).map((r) => r.deskId)).toEqual(['desk-3']);
    expect(orderBoard(rows, { text: 'OP-DESK-2', status: 'all' }).map((r) => r.deskId)).toEqual(['desk-2']);
  });

  it('writes time in state as m:ss, h:mm:ss', () => {
    expect(elapsed(0, 65_000)).toBe('1:05');
    expect(elapsed(0, 3_723_000)).toBe('1:02:03');
  });
});

describe('the board', () => {
  const board: FloorBoardView = {
    at: NOW,
    rows: [row('desk-1', 'talking', { call: { ref: 'ref-00000001', client: { id: 'acme', name: '<b>アクメ</b>' }, onHold: true, monitored: false }, outbox: { pending: 2, failed: 1 } }), row('desk-2', 'idle'), row('desk-3', null, {}, false)],
    dropped: { malformed: 0, schema: 0, 'unknown-signer': 1, 'bad-signature': 2, stale: 0, 'wrong-kind': 0 },
  };

  it('shows each desk with its state and time, the client as text, hold, outbox warnings, the dropped counter, and monitor actions only on a call', () => {
    const html = renderToStaticMarkup(<FloorBoard board={board} now={NOW} onMonitor={() => undefined} />);
    expect(html).toContain('破棄 3 件');
    expect(html).toContain('通話中');
    expect(html).toContain('1:00');
    expect(html).toContain('保留中');
    expect(html).toContain('送信失敗 1');
    expect(html).toContain('未送信 2');
    expect(html).toContain('応答なし');
    expect(html).toContain('&lt;b&gt;アクメ&lt;/b&gt;');
    expect(html.match(/desk-1 の通話を聞く/g)).toHaveLength(1);
    expect(html).not.toContain('desk-2 の通話を聞く');
    // one tab stop for the table: the first row
    expect(html.match(/<tr[^>]*tabindex="0"/g)).toHaveLength(1);
  });
});
