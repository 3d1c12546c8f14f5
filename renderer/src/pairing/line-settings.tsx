/**
 * Settings › 回線 / Line: pair the desk's SIP account and see the outcome in plain words.
 * "接続 / Connect" saves the settings (the password goes to the OS keychain through the main
 * process, never into a file), then connects the app's one line (line-store.ts). A server URL that
 * would send the REGISTER in clear text to another computer is refused here, before anything is
 * saved or connected — and again by the main process.
 */
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { LineProfile, LineState as SavedLine } from '../../../shared/ipc/line-contract.js';
import { checkServerUrl } from '../../../shared/line/server-url.js';
import { toErrorReport, type ErrorReport } from '../ui/error-report.js';
import { getLineStore, type LineStore } from './line-store.js';
import { lineStatusView } from './line-status-view.js';
import { ProvisioningImport } from './provisioning-import.js';
import { pageReaches, reloadIntoLineSettings } from './page-line.js';
import { useReasonText } from './reason-text.js';
import { useLineSnapshot } from './use-line-store.js';

export interface LineSettingsProps {
  api: Pick<KotozuteApi, 'getLine' | 'pairLine' | 'unpairLine' | 'importProvisioning'>;
  store?: LineStore;
  /** Pairing changed the desk (live or training, a new directory): the desk reloads its state. */
  onChanged(): void;
  /** The page was just reloaded after a pairing (page-line.ts): show how the line is doing. */
  reopened?: boolean;
  /** Reloads the page for a new server (default: {@link reloadIntoLineSettings}). */
  reload?: () => void;
}

interface Fields {
  server: string;
  aor: string;
  authUser: string;
  displayName: string;
  password: string;
}

type Problem = 'bad-url' | 'insecure-remote' | 'bad-aor' | 'bad-user';

/** What the outcome line says: a local problem, a refused save, or the line's live state. */
type Outcome =
  | { kind: 'none' }
  | { kind: 'problem'; problem: Problem }
  | { kind: 'need-password' }
  | { kind: 'error'; lead: 'notSaved' | 'provisioningFailed'; report: ErrorReport }
  | { kind: 'line' }
  | { kind: 'message'; key: 'unpaired' | 'provisioningDone' | 'reloadAfterCall' | 'reconnectAfterCall' | 'unpairAfterCall' };

const EMPTY: Fields = { server: '', aor: '', authUser: '', displayName: '', password: '' };
const SIP_AOR = /^sips?:[^@\s<>"]+@[^\s<>"]+$/i;

function fieldsOf(saved: SavedLine): Fields {
  const p = saved.profile;
  return p ? { server: p.server, aor: p.aor, authUser: p.authUser, displayName: p.displayName, password: '' } : EMPTY;
}

/** The first thing wrong with what was typed, checked before anything is saved or connected. */
function problemOf(f: Fields): Problem | null {
  const server = checkServerUrl(f.server);
  if (!server.ok) return server.problem === 'insecure-remote' ? 'insecure-remote' : 'bad-url';
  if (!SIP_AOR.test(f.aor.trim())) return 'bad-aor';
  if (f.authUser.trim() === '') return 'bad-user';
  return null;
}

/** True while the line has a call that has not ended. */
function callUp(store: LineStore): boolean {
  return store.snapshot.state?.calls.some((c) => c.state !== 'ended') ?? false;
}

export function LineSettings({ api, store = getLineStore(), onChanged, reopened = false, reload = reloadIntoLineSettings }: LineSettingsProps): ReactNode {
  const { t } = useTranslation();
  const reasonText = useReasonText();
  const id = useId();
  const snapshot = useLineSnapshot(store);
  const [saved, setSaved] = useState<SavedLine | null>(null);
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(reopened ? { kind: 'line' } : { kind: 'none' });
  // Saved while a call was up: the line reconnects once no call is (a reconnect would end it).
  const [reconnectPending, setReconnectPending] = useState(false);
  useEffect(() => {
    if (!reconnectPending) return;
    const unsubscribe = store.subscribe(() => {
      if (callUp(store)) return;
      unsubscribe();
      setReconnectPending(false);
      setOutcome({ kind: 'line' });
      void store.connect();
    });
    return unsubscribe;
  }, [reconnectPending, store]);

  useEffect(() => {
    let live = true;
    api.getLine().then(
      (line) => {
        if (!live) return;
        setSaved(line);
        setFields(fieldsOf(line));
      },
      (err: unknown) => live && setOutcome({ kind: 'error', lead: 'notSaved', report: toErrorReport(err) }),
    );
    return () => {
      live = false;
    };
  }, [api]);

  const set = (key: keyof Fields) => (e: { currentTarget: HTMLInputElement }) => {
    const value = e.currentTarget.value;
    setFields((f) => ({ ...f, [key]: value }));
  };

  const connect = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const problem = problemOf(fields);
    if (problem) return setOutcome({ kind: 'problem', problem });
    if (fields.password === '' && !saved?.hasPassword) return setOutcome({ kind: 'need-password' });
    const base: Partial<LineProfile> = saved?.profile ?? {};
    const profile: LineProfile = {
      iceServers: [],
      maxCalls: 2,
      dtmfMode: 'rfc4733',
      ...base,
      server: fields.server.trim(),
      aor: fields.aor.trim(),
      authUser: fields.authUser.trim(),
      displayName: fields.displayName.trim(),
    };
    setBusy(true);
    try {
      const next = await api.pairLine(fields.password === '' ? { profile } : { profile, password: fields.password });
      setSaved(next);
      setFields((f) => ({ ...f, password: '' }));
      onChanged();
    } catch (err) {
      setBusy(false);
      return setOutcome({ kind: 'error', lead: 'notSaved', report: toErrorReport(err) });
    }
    // This page's CSP names the server it was loaded with: a new one needs a reload, which would
    // drop a call that is up, so then the operator connects again once it has ended.
    if (!pageReaches(profile.server)) {
      if (callUp(store)) {
        setBusy(false);
        return setOutcome({ kind: 'message', key: 'reloadAfterCall' });
      }
      return reload();
    }
    // Enter in any field submits this form: mid-call it must never hang up the call it is on.
    if (callUp(store)) {
      setBusy(false);
      setReconnectPending(true);
      return setOutcome({ kind: 'message', key: 'reconnectAfterCall' });
    }
    setOutcome({ kind: 'line' });
    try {
      await store.connect();
    } finally {
      setBusy(false);
    }
  };

  const unpair = async () => {
    // Unpairing disconnects the line, which would hang up the call.
    if (callUp(store)) return setOutcome({ kind: 'message', key: 'unpairAfterCall' });
    setBusy(true);
    try {
      await store.disconnect();
      const next = await api.unpairLine();
      // Re-reads the saved line: there is none now, so the store (and the top bar) say "not paired".
      await store.connect();
      setSaved(next);
      setFields(EMPTY);
      setOutcome({ kind: 'message', key: 'unpaired' });
      onChanged();
    } catch (err) {
      setOutcome({ kind: 'error', lead: 'notSaved', report: toErrorReport(err) });
    } finally {
      setBusy(false);
    }
  };

  const imported = (next: SavedLine) => {
    setSaved(next);
    setFields(fieldsOf(next));
    setOutcome({ kind: 'message', key: 'provisioningDone' });
    onChanged();
  };

  const view = lineStatusView(snapshot);
  let text: ReactNode = null;
  let tone: 'ok' | 'bad' | 'busy' = 'busy';
  switch (outcome.kind) {
    case 'problem':
      text = t(`pairing.problem.${outcome.problem}`);
      tone = 'bad';
      break;
    case 'need-password':
      text = t('pairing.needPassword');
      tone = 'bad';
      break;
    case 'error':
      tone = 'bad';
      text = (
        <>
          {t(`pairing.${outcome.lead}`)}
          {outcome.report.message}
          {outcome.report.details.length > 0 && (
            <ul className="pairing-details">
              {outcome.report.details.slice(0, 8).map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ul>
          )}
        </>
      );
      break;
    case 'message':
      text = t(`pairing.${outcome.key}`);
      tone = 'ok';
      break;
    case 'line':
      if (view.state === 'registered') {
        text = t('pairing.registered');
        tone = 'ok';
      } else if (view.reason) {
        text = reasonText(view.reason, view.statusCode, view.detail);
        tone = 'bad';
      } else {
        text = t('pairing.connecting');
      }
      break;
    case 'none':
      break;
  }

  return (
    <section className="pairing" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`} className="pairing-title">
        {t('pairing.section')}
      </h3>
      <p className="pairing-intro">{t('pairing.intro')}</p>
      <form className="pairing-form" onSubmit={(e) => void connect(e)} noValidate>
        <label htmlFor={`${id}-server`}>{t('pairing.server')}</label>
        <input
          id={`${id}-server`}
          type="url"
          value={fields.server}
          onChange={set('server')}
          placeholder="wss://sip.example.jp/ws"
          spellCheck={false}
          autoComplete="off"
          aria-describedby={`${id}-server-hint`}
        />
        <p id={`${id}-server-hint`} className="field-hint">
          {t('pairing.serverHint')}
        </p>
        <label htmlFor={`${id}-aor`}>{t('pairing.aor')}</label>
        <input id={`${id}-aor`} value={fields.aor} onChange={set('aor')} placeholder="sip:desk12@pbx.example.jp" spellCheck={false} autoComplete="off" />
        <label htmlFor={`${id}-user`}>{t('pairing.authUser')}</label>
        <input id={`${id}-user`} value={fields.authUser} onChange={set('authUser')} spellCheck={false} autoComplete="off" />
        <label htmlFor={`${id}-name`}>{t('pairing.displayName')}</label>
        <input id={`${id}-name`} value={fields.displayName} onChange={set('displayName')} autoComplete="off" />
        <label htmlFor={`${id}-password`}>{t('pairing.password')}</label>
        <input
          id={`${id}-password`}
          type="password"
          value={fields.password}
          onChange={set('password')}
          autoComplete="off"
          placeholder={saved?.hasPassword ? t('pairing.passwordSaved') : ''}
        />
        <div className="pairing-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('pairing.connect')}
          </button>
          {saved?.paired && (
            <button type="button" className="btn btn-quiet" onClick={() => void unpair()} disabled={busy}>
              {t('pairing.disconnect')}
            </button>
          )}
        </div>
      </form>
      <div className={`pairing-outcome pairing-${tone}`} role="status" aria-live="polite">
        {text}
      </div>
      <ProvisioningImport api={api} onImported={imported} onError={(report) => setOutcome({ kind: 'error', lead: 'provisioningFailed', report })} />
    </section>
  );
}
