import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { RecoveryNoticeView, takeRecoveredMarker } from '../../../../renderer/src/desk/recovery-notice.js';
import { en } from '../../../../renderer/src/i18n/en.js';
import { ja } from '../../../../renderer/src/i18n/ja.js';

beforeAll(async () => {
  await i18next.use(initReactI18next).init({
    resources: { ja: { translation: ja }, en: { translation: en } },
    lng: 'ja',
    interpolation: { escapeValue: false },
  });
});

function page(hash: string) {
  const replaced: string[] = [];
  const location = { hash, pathname: '/index.html', search: '' };
  const history = { state: null, replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url) };
  return { location, history, replaced };
}

describe('the page reloaded after a crash', () => {
  it('knows it from the address, and clears the marker so a later reload says nothing', () => {
    const p = page('#recovered');
    expect(takeRecoveredMarker(p.location, p.history)).toBe(true);
    expect(p.replaced).toEqual(['/index.html']);
  });

  it('says nothing on an ordinary start, and leaves another fragment alone', () => {
    for (const hash of ['', '#token=abc', '#recovered-not']) {
      const p = page(hash);
      expect(takeRecoveredMarker(p.location, p.history)).toBe(false);
      expect(p.replaced).toEqual([]);
    }
  });

  it('tells the operator in Japanese and English, with a way to dismiss it', async () => {
    const ja = renderToStaticMarkup(<RecoveryNoticeView onDismiss={() => undefined} />);
    expect(ja).toContain('role="alert"');
    expect(ja).toContain('再読み込みしました');
    expect(ja).toContain('<button');
    await i18next.changeLanguage('en');
    expect(renderToStaticMarkup(<RecoveryNoticeView onDismiss={() => undefined} />)).toContain('was reloaded');
    await i18next.changeLanguage('ja');
  });
});
