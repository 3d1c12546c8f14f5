/**
 * The desk's top bar: who we are, training or live, the line, the directory, and Settings. Start-up
 * problems (keychain, warnings from the main process) sit right under it.
 */
import { memo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskState } from '../../../shared/ipc/contract.js';
import { Dir } from '../ui/text.js';
import { LineIndicator } from '../pairing/line-indicator.js';

export interface TopBarProps {
  desk: DeskState;
  onSettings(): void;
  /** More top-bar buttons (the notes' Outbox and Audit log), placed before Settings. */
  actions?: ReactNode;
}

/** Memoised, as the pieces of the desk around the call strip are: a ring re-renders none of them. */
export const TopBar = memo(function TopBar({ desk, onSettings, actions }: TopBarProps): ReactNode {
  const { t } = useTranslation();
  const training = desk.mode === 'training';
  const dir = desk.directory;
  return (
    <header className="top-bar">
      <div className="brand">
        <span className="brand-ja" lang="ja">
          {t('app.name')}
        </span>
        <span className="brand-latin" lang="en">
          {t('app.latinName')}
        </span>
      </div>
      {training && <span className="badge badge-training">{t('topBar.trainingBadge')}</span>}
      <LineIndicator />
      <span className="directory-info">
        {dir.source === 'none' ? (
          t('topBar.directoryNone')
        ) : (
          <>
            <span className="muted">{t('topBar.directory')}:</span> <Dir>{dir.publisher}</Dir>
            {' · '}
            {t('topBar.directoryClients', { count: dir.clients })}
            {dir.source === 'training-sample' && <span className="muted"> ({t('topBar.directorySample')})</span>}
          </>
        )}
      </span>
      <span className="spacer" />
      {actions}
      <button type="button" className="btn btn-quiet" onClick={onSettings}>
        {t('topBar.settings')}
      </button>
    </header>
  );
});

/** The keychain warning and the main process's start-up warnings. */
export const DeskNotices = memo(function DeskNotices({ desk }: { desk: DeskState }): ReactNode {
  const { t } = useTranslation();
  const [dismissed, setDismissed] = useState(false);
  const kc = desk.keychain;
  return (
    <>
      {!kc.ok && (
        <div className="notice notice-danger" role="alert">
          <p>{t('keychain.warning', { reason: t(`keychain.${kc.reason}`) })}</p>
          {kc.message && <p className="notice-detail">{kc.message}</p>}
        </div>
      )}
      {desk.mode === 'live' && desk.directory.source === 'none' && (
        // Not dismissible: until a directory is imported, no real call can pop its client.
        <div className="notice notice-warning" role="alert">
          <p>{t('topBar.liveWithoutDirectory')}</p>
        </div>
      )}
      {!dismissed && desk.warnings.length > 0 && (
        <section className="notice notice-warning" aria-label={t('banner.heading')}>
          <ul>
            {desk.warnings.map((w, i) => (
              <li key={`${w.code}-${i}`}>{w.message}</li>
            ))}
          </ul>
          <button type="button" className="btn btn-quiet" onClick={() => setDismissed(true)}>
            {t('banner.dismiss')}
          </button>
        </section>
      )}
    </>
  );
});
