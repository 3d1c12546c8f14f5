/**
 * The supervisor's desk: the floor board and monitoring. A placeholder until the board lands (the
 * board's work replaces this body; the export and its props stay).
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';

export interface SupervisorDeskProps {
  api: KotozuteApi;
}

export function SupervisorDesk(_props: SupervisorDeskProps): ReactNode {
  const { t } = useTranslation();
  return (
    <main className="floor-placeholder" aria-label={t('floor.viewBoard')}>
      <p>{t('floor.supervisorPlaceholder')}</p>
    </main>
  );
}
