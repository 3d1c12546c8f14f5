/**
 * The audit trail for the shift lead: the latest events (time, type, note and client ids, channel
 * kind, count, reason code — there is no content to show) and whether the hash chain verifies.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { AuditView } from '../../../shared/ipc/notes-contract.js';
import { ModalDialog } from '../ui/modal-dialog.js';
import { messages } from '../i18n/index.js';

export const AUDIT_LIMIT = 500;

export interface AuditViewerProps {
  api: KotozuteApi;
  onError(err: unknown): void;
  onClose(): void;
}

const KNOWN_TYPES = new Set(Object.keys(messages.ja.audit.type));

export function AuditViewer({ api, onError, onClose }: AuditViewerProps): ReactNode {
  const { t, i18n } = useTranslation();
  const [view, setView] = useState<AuditView | null>(null);

  useEffect(() => {
    api.getAudit({ limit: AUDIT_LIMIT }).then(setView, onError);
  }, [api, onError]);

  const time = (iso: string) =>
    new Date(iso).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'ja-JP', { dateStyle: 'short', timeStyle: 'medium', hour12: false });
  const channelLabel = (kind: string) =>
    kind in messages.ja.outbox.kind ? t(`outbox.kind.${kind as keyof typeof messages.ja.outbox.kind}`) : kind;
  const typeLabel = (type: string) => (KNOWN_TYPES.has(type) ? t(`audit.type.${type as keyof typeof messages.ja.audit.type}`) : type);

  return (
    <ModalDialog title={t('audit.title')} onClose={onClose} className="modal-wide audit-viewer">
      <p className="muted">{t('audit.noContent')}</p>
      {view && (
        <p className={`chain-status ${view.chain.ok ? 'chain-ok' : 'chain-broken'}`} role="status">
          {view.chain.ok
            ? t('audit.chainOk', { count: view.chain.events })
            : t('audit.chainBroken', { line: view.chain.line, reason: view.chain.reason })}
        </p>
      )}
      {view && view.events.length === 0 ? (
        <p className="empty">{t('audit.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table audit-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('audit.col.time')}</th>
                <th scope="col">{t('audit.col.type')}</th>
                <th scope="col">{t('audit.col.note')}</th>
                <th scope="col">{t('audit.col.client')}</th>
                <th scope="col">{t('audit.col.channel')}</th>
                <th scope="col">{t('audit.col.count')}</th>
                <th scope="col">{t('audit.col.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {(view?.events ?? []).map((e) => (
                <tr key={e.seq} data-type={e.type}>
                  <td className="num">{e.seq}</td>
                  <td>{time(e.at)}</td>
                  <td>{typeLabel(e.type)}</td>
                  <td className="mono" title={e.noteId}>
                    {e.noteId ? e.noteId.slice(0, 8) : ''}
                  </td>
                  <td className="mono">{e.clientId ?? ''}</td>
                  <td>{e.channel === undefined ? '' : channelLabel(e.channel)}</td>
                  <td className="num">{e.count ?? ''}</td>
                  <td className="mono">{e.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="modal-actions">
        <button type="button" className="btn" onClick={onClose}>
          {t('audit.close')}
        </button>
      </div>
    </ModalDialog>
  );
}
