/** The call's running time (m:ss, h:mm:ss past an hour), ticking once a second. */
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function CallTimer({ since }: { since: number }): ReactNode {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    // Not a live region: a screen reader announcing every second would drown the call out.
    <span className="call-timer" aria-label={t('calls.timer')}>
      <time>{formatDuration(now - since)}</time>
    </span>
  );
}
