// The supervisor desk's monitor panel: it names the desk and operator the session is on and the mode
// in words; a session the operator desk refused stays on the panel with its SIP status (the line
// forgets it), its mode buttons disabled, until the supervisor closes it or acts again.
import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessionToShow, type MonitorActions } from '../../../../renderer/src/floor/monitor-actions.js';
import { MonitorPanel } from '../../../../renderer/src/floor/monitor-panel.js';
import { en } from '../../../../renderer/src/i18n/en.js';
import { ja } from '../../../../renderer/src/i18n/ja.js';
import type { MonitorInfo } from '../../../../renderer/src/line/types.js';

beforeAll(async () => {
  await i18next.use(initReactI18next).init({ lng: 'ja', resources: { ja: { translation: ja }, en: { translation: en } }, interpolation: { escapeValue: false } });
});

const info = (over: Partial<MonitorInfo> = {}): MonitorInfo => ({
  id: 'mon-out-1',
  direction: 'outgoing',
  callId: null,
  callRef: 'ref-0000000001',
  mode: 'listen',
  state: 'active',
  tellOperator: false,
  endStatusCode: null,
  ...over,
});

function panel(session: MonitorInfo | null, lng: 'ja' | 'en' = 'ja'): string {
  void i18next.changeLanguage(lng);
  const actions: MonitorActions = { session, deskId: session ? 'desk-03' : null, onMonitor: () => Promise.resolve(), stop: () => Promise.resolve() };
  return renderToStaticMarkup(<MonitorPanel actions={actions} source={null} who={(id) => (id === 'desk-03' ? '3番席、田中 一郎' : id)} />);
}

describe('the monitor panel', () => {
  it('says the mode in words, on which desk and operator, the current mode pressed', () => {
    const html = panel(info({ mode: 'whisper' }));
    expect(html).toContain('3番席、田中 一郎 のオペレーターにささやいています');
    expect(html).toMatch(/aria-pressed="true"[^>]*>ささやく</);
    expect(panel(info({ mode: 'barge' }), 'en')).toContain('In the call at 3番席、田中 一郎 (the caller hears you)');
  });

  it('shows a refusal with its SIP status and the desk, the modes disabled, Stop still there to close it', () => {
    const html = panel(info({ state: 'ended', endStatusCode: 403 }));
    expect(html).toContain('3番席、田中 一郎 が監視を拒否しました（SIP 403）');
    expect(html.match(/disabled=""/g)).toHaveLength(3);
    expect(html).toContain('>終了<');
  });

  it('is not there without a session', () => {
    expect(panel(null)).toBe('');
  });
});

describe('which session the panel shows', () => {
  it('the live one, else the last one only if it was refused', () => {
    const live = info();
    const refused = info({ id: 'mon-out-0', state: 'ended', endStatusCode: 403 });
    expect(sessionToShow(live, refused)).toBe(live);
    expect(sessionToShow(null, refused)).toBe(refused);
    expect(sessionToShow(null, info({ state: 'ended' }))).toBeNull();
    expect(sessionToShow(null, null)).toBeNull();
  });
});
