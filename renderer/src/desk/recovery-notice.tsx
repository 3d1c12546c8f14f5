/**
 * The notice after the desk page was reloaded because its renderer crashed or hung. The main process
 * reloads the page at `index.html#recovered` (electron/main/platform/desk-recovery.ts); the marker is
 * read once and removed from the address, so a later reload shows nothing.
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The fragment the main process adds (RECOVERED_URL); kept in step by a unit test. */
export const RECOVERED_MARKER = '#recovered';

/** True when `location` carries the marker; then removes it from the address (history entry kept). */
export function takeRecoveredMarker(location: Pick<Location, 'hash' | 'pathname' | 'search'>, history: Pick<History, 'replaceState' | 'state'>): boolean {
  if (location.hash !== RECOVERED_MARKER) return false;
  history.replaceState(history.state, '', location.pathname + location.search);
  return true;
}

let recovered: boolean | undefined;

/** Read once per page: StrictMode and remounts must not lose it. */
function pageWasRecovered(): boolean {
  recovered ??= typeof window !== 'undefined' && takeRecoveredMarker(window.location, window.history);
  return recovered;
}

export function RecoveryNoticeView({ onDismiss }: { onDismiss: () => void }): ReactNode {
  const { t } = useTranslation();
  return (
    <div className="notice notice-warning" role="alert">
      <p>{t('recovery.notice')}</p>
      <button type="button" className="btn btn-quiet" onClick={onDismiss}>
        {t('recovery.dismiss')}
      </button>
    </div>
  );
}

export function RecoveryNotice(): ReactNode {
  const [shown, setShown] = useState(pageWasRecovered);
  return shown ? <RecoveryNoticeView onDismiss={() => setShown(false)} /> : null;
}
