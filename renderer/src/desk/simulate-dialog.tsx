/**
 * "Simulate incoming call" (training): pick a client — filtered by name, kana or number — or type
 * a dialled number, give the caller's name and number, and ring the desk.
 */
import { useEffect, useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientSummary, SimulateCallArgs } from '../../../shared/ipc/contract.js';
import { foldForSearch, queryTerms } from '../../../shared/text/fold.js';
import { ModalDialog } from '../ui/modal-dialog.js';

export interface SimulateDialogProps {
  loadClients(): Promise<ClientSummary[]>;
  onRing(args: SimulateCallArgs): Promise<void>;
  onError(err: unknown): void;
  onClose(): void;
}

type Mode = 'client' | 'did';

interface Searchable {
  client: ClientSummary;
  folded: string;
  digits: string;
}

const digitsOf = (s: string) => s.normalize('NFKC').replace(/[^0-9]/g, '');

export function SimulateDialog({ loadClients, onRing, onError, onClose }: SimulateDialogProps): ReactNode {
  const { t } = useTranslation();
  const id = useId();
  const [clients, setClients] = useState<ClientSummary[] | null>(null);
  const [mode, setMode] = useState<Mode>('client');
  const [filter, setFilter] = useState('');
  const [clientId, setClientId] = useState('');
  const [did, setDid] = useState('');
  const [callerName, setCallerName] = useState('');
  const [callerNumber, setCallerNumber] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    loadClients().then(
      (list) => {
        if (!live) return;
        setClients(list);
        if (list[0]) setClientId((current) => current || list[0]?.id || '');
      },
      (err: unknown) => {
        if (live) {
          setClients([]);
          onError(err);
        }
      },
    );
    return () => {
      live = false;
    };
  }, [loadClients, onError]);

  const searchable = useMemo<Searchable[]>(
    () =>
      (clients ?? []).map((c) => ({
        client: c,
        folded: foldForSearch([c.name, c.kana, c.id, ...c.dids].join(' ')),
        digits: c.dids.map(digitsOf).join(' '),
      })),
    [clients],
  );
  const shown = useMemo(() => {
    const terms = queryTerms(filter);
    const digits = digitsOf(filter);
    if (terms.length === 0) return searchable.map((s) => s.client);
    return searchable
      .filter((s) => terms.every((term) => s.folded.includes(term)) || (digits.length >= 2 && s.digits.includes(digits)))
      .map((s) => s.client);
  }, [searchable, filter]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const caller = { name: callerName.trim(), number: callerNumber.trim() };
    let args: SimulateCallArgs;
    if (mode === 'client') {
      const chosen = shown.some((c) => c.id === clientId) ? clientId : shown[0]?.id;
      if (!chosen) return setProblem(t('simulate.needTarget'));
      args = { clientId: chosen, caller };
    } else {
      if (did.trim() === '') return setProblem(t('simulate.needTarget'));
      args = { did: did.trim(), caller };
    }
    setProblem(null);
    setBusy(true);
    try {
      await onRing(args);
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <ModalDialog title={t('simulate.title')} onClose={onClose} className="simulate-dialog">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="field-group">
          <legend>{t('simulate.target')}</legend>
          <div className="radio-row">
            <label className="radio">
              <input type="radio" name={`${id}-mode`} checked={mode === 'client'} onChange={() => setMode('client')} />
              {t('simulate.modeClient')}
            </label>
            <label className="radio">
              <input type="radio" name={`${id}-mode`} checked={mode === 'did'} onChange={() => setMode('did')} />
              {t('simulate.modeDid')}
            </label>
          </div>
          {mode === 'client' ? (
            <>
              <label className="field">
                <span>{t('simulate.filter')}</span>
                <input
                  type="search"
                  value={filter}
                  placeholder={t('simulate.filterPlaceholder')}
                  autoComplete="off"
                  autoFocus
                  onChange={(e) => setFilter(e.target.value)}
                />
              </label>
              <div className="field">
                <label htmlFor={`${id}-clients`}>{t('simulate.clients')}</label>
                {clients === null ? (
                  <span className="muted" role="status">
                    {t('simulate.loadingClients')}
                  </span>
                ) : shown.length === 0 ? (
                  <span className="muted" role="status">
                    {t('simulate.noClients')}
                  </span>
                ) : (
                  <select
                    id={`${id}-clients`}
                    size={Math.min(Math.max(shown.length, 4), 8)}
                    value={shown.some((c) => c.id === clientId) ? clientId : (shown[0]?.id ?? '')}
                    onChange={(e) => setClientId(e.target.value)}
                    className="client-select"
                  >
                    {shown.map((c) => (
                      <option key={c.id} value={c.id}>
                        {`${c.name} — ${c.dids.join(' / ')}`}
                      </option>
                    ))}
                  </select>
                )}
              </div>
            </>
          ) : (
            <label className="field">
              <span>{t('simulate.did')}</span>
              <input
                type="tel"
                value={did}
                placeholder={t('simulate.didPlaceholder')}
                autoComplete="off"
                autoFocus
                maxLength={64}
                onChange={(e) => setDid(e.target.value)}
              />
            </label>
          )}
        </fieldset>
        <div className="field-pair">
          <label className="field">
            <span>{t('simulate.callerName')}</span>
            <input
              type="text"
              value={callerName}
              placeholder={t('simulate.callerNamePlaceholder')}
              autoComplete="off"
              maxLength={256}
              onChange={(e) => setCallerName(e.target.value)}
            />
          </label>
          <label className="field">
            <span>{t('simulate.callerNumber')}</span>
            <input
              type="tel"
              value={callerNumber}
              placeholder={t('simulate.callerNumberPlaceholder')}
              autoComplete="off"
              maxLength={64}
              onChange={(e) => setCallerNumber(e.target.value)}
            />
          </label>
        </div>
        {problem && (
          <p className="form-problem" role="alert">
            {problem}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('simulate.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || (mode === 'client' && clients === null)}>
            {t('simulate.ring')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
