/**
 * Settings: the UI language for now. A change is saved through updateSettings and applied live.
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../shared/directory/schema.js';
import { ModalDialog } from '../ui/modal-dialog.js';
import { LineSettings, type LineSettingsProps } from '../pairing/line-settings.js';

export interface SettingsDialogProps {
  locale: Locale;
  onLocale(locale: Locale): Promise<void>;
  onClose(): void;
  /** The line pairing section (renderer/src/pairing); absent, the dialog shows the language only. */
  line?: Pick<LineSettingsProps, 'api' | 'onChanged' | 'reopened'>;
  /** This desk's identity and the team roster (renderer/src/floor). */
  floor?: ReactNode;
}

const LOCALES: readonly Locale[] = ['ja', 'en'];

export function SettingsDialog({ locale, onLocale, onClose, line, floor }: SettingsDialogProps): ReactNode {
  const { t } = useTranslation();
  // Shown checked at once (optimistically); the desk reports a failed save in its alert region,
  // and `locale` — what was actually saved — wins again when the dialog is next opened.
  const [selected, setSelected] = useState<Locale>(locale);

  const choose = (next: Locale) => {
    if (next === selected) return;
    setSelected(next);
    void onLocale(next);
  };

  return (
    <ModalDialog title={t('settings.title')} onClose={onClose} className="settings-dialog">
      <fieldset className="field-group">
        <legend>{t('settings.language')}</legend>
        {LOCALES.map((l) => (
          <label key={l} className="radio" lang={l}>
            <input
              type="radio"
              name="locale"
              value={l}
              checked={selected === l}
              onChange={() => choose(l)}
            />
            {t(`settings.${l}`)}
          </label>
        ))}
      </fieldset>
      {line && <LineSettings api={line.api} onChanged={line.onChanged} reopened={line.reopened ?? false} />}
      {floor}
      <div className="modal-actions">
        <button type="button" className="btn" onClick={onClose} autoFocus>
          {t('settings.close')}
        </button>
      </div>
    </ModalDialog>
  );
}
