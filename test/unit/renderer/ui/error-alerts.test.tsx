/**
 * A keychain failure reaches the screen as words in the operator's language: the main process puts
 * the keychain's reason ('locked', …) in the error's details, and the alert says what it means and
 * what to do, in Japanese or English, instead of the raw English word.
 */
import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../../shared/ipc/errors.js';
import { en } from '../../../../renderer/src/i18n/en.js';
import { ja } from '../../../../renderer/src/i18n/ja.js';
import { ErrorAlerts } from '../../../../renderer/src/ui/error-alerts.js';
import { toErrorReport } from '../../../../renderer/src/ui/error-report.js';

beforeAll(async () => {
  await i18next.use(initReactI18next).init({ lng: 'ja', resources: { ja: { translation: ja }, en: { translation: en } }, interpolation: { escapeValue: false } });
});

const locked = () => new ApiError('keychain-unavailable', 'The keychain refused during the clearance; nothing more was changed. The keyring is locked.', ['locked']);

function alertText(err: unknown, lng: 'ja' | 'en'): string {
  void i18next.changeLanguage(lng);
  return renderToStaticMarkup(<ErrorAlerts errors={[toErrorReport(err)]} onDismiss={() => undefined} />);
}

describe('a keychain error on screen', () => {
  it('says in Japanese that the keychain is locked and to unlock it and try again', () => {
    const html = alertText(locked(), 'ja');
    expect(html).toContain(ja.errors.code['keychain-unavailable']);
    expect(html).toContain(ja.errors.keychain.locked);
    expect(html).not.toContain('<li>locked</li>');
  });

  it('says the same in English', () => {
    const html = alertText(locked(), 'en');
    expect(html).toContain(en.errors.keychain.locked);
  });

  it('reads the reason from an error that crossed the process boundary as a plain object', () => {
    const report = toErrorReport({ code: 'keychain-unavailable', message: 'Notes are closed.', details: ['timeout', 'other line'] });
    expect(report.keychainReason).toBe('timeout');
    expect(report.details).toEqual(['other line']);
  });

  it('takes no reason from another error code, even when a detail reads "locked"', () => {
    const report = toErrorReport(new ApiError('not-allowed', 'Sign-in is locked.', ['locked']));
    expect(report.keychainReason).toBeUndefined();
    expect(report.details).toEqual(['locked']);
  });

  it('says what to do when the disk is full, in Japanese and English', () => {
    const full = new ApiError('disk-full', "saveNote: the disk holding the desk's data is full, so this could not be saved.");
    expect(alertText(full, 'ja')).toContain(ja.errors.advice['disk-full']);
    expect(alertText(full, 'en')).toContain(en.errors.advice['disk-full']);
  });
});
