/**
 * The one i18n layer of the renderer: i18next with the ja (default) and en resources bundled in,
 * so no string is ever fetched. React escapes everything it renders, so i18next's own HTML escaping
 * is off — and directory text is never interpolated into a translation, only placed beside it.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../../../shared/directory/schema.js';
import { en } from './en.js';
import { ja, type Messages } from './ja.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}

/** Every language the desk ships, with its strings. */
export const messages: Record<Locale, Messages> = { ja, en };

export const DEFAULT_LOCALE: Locale = 'ja';

/** Initialises i18next once; safe to await repeatedly. */
export async function initI18n(locale: Locale = DEFAULT_LOCALE): Promise<typeof i18next> {
  if (!i18next.isInitialized) {
    await i18next.use(initReactI18next).init({
      resources: { ja: { translation: ja }, en: { translation: en } },
      lng: locale,
      fallbackLng: DEFAULT_LOCALE,
      supportedLngs: ['ja', 'en'],
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  } else if (i18next.language !== locale) {
    await i18next.changeLanguage(locale);
  }
  document.documentElement.lang = locale;
  return i18next;
}

/** Switches the UI language live. */
export async function setLocale(locale: Locale): Promise<void> {
  await i18next.changeLanguage(locale);
  document.documentElement.lang = locale;
}
