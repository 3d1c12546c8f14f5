/** The shift lead's screens: a placeholder until the next issue (end-of-day clearance). */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function ShiftLeadDesk(): ReactNode {
  const { t } = useTranslation();
  return (
    <main className="floor-placeholder" aria-label={t('floor.shiftLeadTitle')}>
      <p>{t('floor.shiftLeadPlaceholder')}</p>
    </main>
  );
}
