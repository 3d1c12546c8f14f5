/**
 * The notes' buttons in the top bar: the outbox (operator and shift lead) and the audit log
 * (shift lead).
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function NoteTopBarButtons({ onOutbox, onAudit }: { onOutbox(): void; onAudit(): void }): ReactNode {
  const { t } = useTranslation();
  return (
    <>
      <button type="button" className="btn btn-quiet" onClick={onOutbox}>
        {t('outbox.open')}
      </button>
      <button type="button" className="btn btn-quiet" onClick={onAudit}>
        {t('audit.open')}
      </button>
    </>
  );
}
