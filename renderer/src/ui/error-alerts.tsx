/**
 * The alert region: every failed call is shown here until the operator dismisses it, so nothing
 * fails silently. role=alert makes screen readers announce each new error. The one exception is a
 * refusal because the desk is locked: nobody is looking, and the desk asks again once unlocked.
 */
import { memo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorReport } from './error-report.js';

export interface ErrorAlertsProps {
  errors: readonly ErrorReport[];
  onDismiss(id: number): void;
}

export const ErrorAlerts = memo(function ErrorAlerts({ errors: all, onDismiss }: ErrorAlertsProps): ReactNode {
  const { t } = useTranslation();
  // Refused because the desk is locked: the lock screen is up, and what was refused is asked again on unlock.
  const errors = all.filter((e) => e.code !== 'desk-locked');
  if (errors.length === 0) return null;
  return (
    <div className="error-alerts" role="alert" aria-label={t('errors.heading')}>
      {errors.map((e) => (
        <div key={e.id} className="error-alert">
          <div className="error-text">
            <strong>{e.code ? t(`errors.code.${e.code}`) : t('errors.unexpected')}</strong>
            {e.keychainReason && <span className="error-reason">{t(`errors.keychain.${e.keychainReason}`)}</span>}
            {e.code === 'disk-full' && <span className="error-reason">{t('errors.advice.disk-full')}</span>}
            {e.message && <span className="error-message">{e.message}</span>}
            {e.details.length > 0 && (
              <ul className="error-details">
                {e.details.map((d, i) => (
                  <li key={i}>{d}</li>
                ))}
              </ul>
            )}
          </div>
          <button type="button" className="btn btn-quiet" onClick={() => onDismiss(e.id)}>
            {t('errors.dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
});
