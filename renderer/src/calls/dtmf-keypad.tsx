/**
 * The DTMF keypad: for the far end's voice menus (「1を押してください」). Buttons, or the digit keys
 * while the keypad is open; each press goes out at once (RFC 4733 or SIP INFO, per the line).
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ModalDialog } from '../ui/modal-dialog.js';
import { isImeKey } from '../ui/keyboard.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

export function DtmfKeypad({ onDigit, onClose }: { onDigit(digit: string): void; onClose(): void }): ReactNode {
  const { t } = useTranslation();
  const [sent, setSent] = useState('');
  const press = (digit: string) => {
    onDigit(digit);
    setSent((s) => (s + digit).slice(-24));
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.repeat || isImeKey(e)) return;
      if (/^[0-9*#]$/.test(e.key)) {
        e.preventDefault();
        onDigit(e.key);
        setSent((s) => (s + e.key).slice(-24));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onDigit]);
  return (
    <ModalDialog title={t('calls.keypadTitle')} onClose={onClose} className="dtmf-dialog">
      <output className="dtmf-sent" aria-label={t('calls.keypadSent')}>
        {sent}
      </output>
      <div className="dtmf-grid" role="group" aria-label={t('calls.keypadTitle')}>
        {KEYS.map((k) => (
          <button key={k} type="button" className="btn dtmf-key" onClick={() => press(k)}>
            {k}
          </button>
        ))}
      </div>
      <p className="hint">{t('calls.keypadHint')}</p>
      <div className="modal-actions">
        <button type="button" className="btn" onClick={onClose}>
          {t('calls.close')}
        </button>
      </div>
    </ModalDialog>
  );
}
