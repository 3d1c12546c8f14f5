/**
 * The 日本語 / English switch of the floor's own screens (sign-in, the supervisor's board, the shift
 * lead's End of day), which have no Settings dialog: the choice is saved in the desk's settings, as
 * the operator desk's Settings saves it.
 */
import { useCallback, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../shared/directory/schema.js';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import { setLocale } from '../i18n/index.js';

const LOCALES: readonly Locale[] = ['ja', 'en'];

export function LanguageSwitch({ current, onChoose, className }: { current: string; onChoose: (locale: Locale) => void; className: string }): ReactNode {
  const { t } = useTranslation();
  return (
    <span className={className} role="group" aria-label={t('settings.language')}>
      {LOCALES.map((l) => (
        <button key={l} type="button" className="btn btn-quiet" lang={l} aria-pressed={current === l} onClick={() => onChoose(l)}>
          {t(`settings.${l}`)}
        </button>
      ))}
    </span>
  );
}

/** Saves a language choice in the desk's settings and applies it; a failure goes to `onError`. */
export function useSavedLocale(api: Pick<KotozuteApi, 'updateSettings'>, onError: (err: unknown) => void): (next: Locale) => void {
  return useCallback(
    (next: Locale) => {
      api
        .updateSettings({ locale: next })
        .then((saved) => setLocale(saved.locale))
        .catch(onError);
    },
    [api, onError],
  );
}
