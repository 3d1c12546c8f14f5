import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSignOutKey } from '../../../../renderer/src/floor/floor-gate.js';
import { DeskIdentityView } from '../../../../renderer/src/floor/desk-identity-section.js';
import { SignInScreen } from '../../../../renderer/src/floor/sign-in-screen.js';
import { en } from '../../../../renderer/src/i18n/en.js';
import { ja } from '../../../../renderer/src/i18n/ja.js';

beforeAll(async () => {
  await i18next.use(initReactI18next).init({ lng: 'ja', resources: { ja: { translation: ja }, en: { translation: en } }, interpolation: { escapeValue: false } });
});

const roster = {
  team: 'あおば電話代行',
  serial: 3,
  issuedAt: '2026-12-01T00:00:00Z',
  desks: 2,
  idleLockMinutes: 10,
  people: [
    { id: 'op-001', name: '田中 花子', kana: 'タナカ ハナコ', roles: ['operator' as const], secretKind: 'pin' as const },
    { id: 'sv-001', name: '<b>佐藤</b>', kana: 'サトウ', roles: ['supervisor' as const], secretKind: 'passphrase' as const },
  ],
};

describe('the sign-in screen', () => {
  it('lists the roster by name and kana, asks for the secret in a password field, and escapes names', () => {
    const html = renderToStaticMarkup(
      <SignInScreen api={{ signIn: async () => ({ ok: false, reason: 'wrong-secret', triesLeft: 4 }) }} roster={roster} onSignedIn={() => undefined} onError={() => undefined} locale="ja" onLocale={() => undefined} />,
    );
    expect(html).toContain('あおば電話代行 のデスクです');
    expect(html).toContain('田中 花子（タナカ ハナコ）');
    expect(html).toContain('type="password"');
    expect(html).toContain('&lt;b&gt;佐藤&lt;/b&gt;');
    expect(html).not.toContain('<b>佐藤</b>');
    // The language in use is the pressed one.
    expect(html).toMatch(/<button[^>]*lang="ja"[^>]*aria-pressed="true"/);
    expect(html).toMatch(/<button[^>]*lang="en"[^>]*aria-pressed="false"/);
  });

  it('shows the fingerprint and the enrolment string, or why there is no key', () => {
    const ok = renderToStaticMarkup(
      <DeskIdentityView identity={{ ok: true, publicKey: 'k', fingerprint: 'ad95 39e4', enrolment: 'kotozute-desk:abc', enrolledAs: null }} />,
    );
    expect(ok).toContain('ad95 39e4');
    expect(ok).toContain('kotozute-desk:abc');
    expect(ok).toMatch(/<textarea[^>]*readonly/i);
    expect(ok).toContain(ja.floor.notEnrolled);
    const none = renderToStaticMarkup(<DeskIdentityView identity={{ ok: false, message: 'キーチェーンがありません' }} />);
    expect(none).toContain('キーチェーンがありません');
  });
});

describe('the sign-out key', () => {
  it('is Ctrl+Shift+L (or Cmd), and not L alone, Ctrl+L or with Alt', () => {
    const k = (key: string, o: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) =>
      isSignOutKey({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...o });
    expect(k('L', { ctrlKey: true, shiftKey: true })).toBe(true);
    expect(k('l', { metaKey: true, shiftKey: true })).toBe(true);
    expect(k('l')).toBe(false);
    expect(k('l', { ctrlKey: true })).toBe(false);
    expect(k('L', { ctrlKey: true, shiftKey: true, altKey: true })).toBe(false);
  });
});
