/**
 * The operator desk's 「監視中 / supervisor listening」, shown while a supervisor's session runs on
 * one of this desk's calls — only when the roster's policy says the operator is told.
 */
import { useCallback, useSyncExternalStore, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { LineSource } from '../calls/line-source.js';

export function MonitoredNotice({ source }: { source: LineSource | null }): ReactNode {
  const { t } = useTranslation();
  const subscribeSource = useCallback((listener: () => void) => source?.subscribe(listener) ?? (() => undefined), [source]);
  const line = useSyncExternalStore(subscribeSource, () => source?.line ?? null);
  const subscribeLine = useCallback((listener: () => void) => line?.subscribe(listener) ?? (() => undefined), [line]);
  const state = useSyncExternalStore(subscribeLine, () => line?.state ?? null);
  const told = state?.monitors.find((m) => m.direction === 'incoming' && m.state === 'active' && m.tellOperator);
  if (!told) return null;
  return (
    <p className="monitored-notice" role="status" aria-label={t('monitor.notice.badge')} data-mode={told.mode}>
      <strong>{t('monitor.notice.badge')}</strong> {t(`monitor.notice.${told.mode}`)}
    </p>
  );
}
