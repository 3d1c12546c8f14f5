/**
 * Transfer to a staff member by name (取次): the client's transferable staff, as on the staff
 * board, with the public phrase beside each name — never a number. Blind hands the caller over
 * at once (REFER); attended calls the staff member first and completes once they agree.
 */
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PopClient } from '../../../shared/directory/pop.js';
import { ModalDialog } from '../ui/modal-dialog.js';
import { Dir } from '../ui/text.js';

export interface TransferDialogProps {
  client: PopClient;
  onTransfer(staff: { id: string; name: string }, mode: 'blind' | 'attended'): void;
  onClose(): void;
}

export function TransferDialog({ client, onTransfer, onClose }: TransferDialogProps): ReactNode {
  const { t } = useTranslation();
  const staff = client.staff.filter((s) => s.transferable);
  const [picked, setPicked] = useState(staff[0]?.id ?? '');
  const [mode, setMode] = useState<'blind' | 'attended'>('attended');
  const listId = useId();
  const chosen = staff.find((s) => s.id === picked);
  return (
    <ModalDialog title={t('calls.transferTitle')} onClose={onClose} className="transfer-dialog">
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (chosen) onTransfer({ id: chosen.id, name: chosen.name }, mode);
        }}
      >
        {staff.length === 0 ? (
          <p className="empty">{t('calls.noTransferable')}</p>
        ) : (
          <fieldset className="field-group transfer-staff">
            <legend id={listId}>{t('calls.transferTo')}</legend>
            {staff.map((s) => (
              <label key={s.id} className="radio transfer-option">
                <input type="radio" name="staff" value={s.id} checked={picked === s.id} onChange={() => setPicked(s.id)} />
                <Dir className="staff-name">{s.name}</Dir> <Dir className="staff-kana">{s.kana}</Dir>{' '}
                <span className={`status status-${s.status}`}>{t(`status.${s.status}`)}</span>
              </label>
            ))}
          </fieldset>
        )}
        <fieldset className="field-group transfer-mode">
          <legend>{t('calls.transferMode')}</legend>
          <label className="radio">
            <input type="radio" name="mode" checked={mode === 'attended'} onChange={() => setMode('attended')} />
            {t('calls.attended')}
          </label>
          <label className="radio">
            <input type="radio" name="mode" checked={mode === 'blind'} onChange={() => setMode('blind')} />
            {t('calls.blind')}
          </label>
        </fieldset>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('calls.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={!chosen}>
            {mode === 'blind' ? t('calls.transferBlind') : t('calls.transferConsult')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
