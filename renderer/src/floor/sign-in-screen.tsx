/**
 * Who is at this desk: a name from the roster and that person's PIN or passphrase. The main process
 * checks the secret (it unwraps the person's key); this screen only says what came back: signed in,
 * wrong (with the tries left before the five-minute lock), or locked until a time.
 */
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../shared/directory/schema.js';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { RosterState } from '../../../shared/ipc/roster-contract.js';
import { toErrorReport, type ErrorReport } from '../ui/error-report.js';
import { LanguageSwitch } from './language-switch.js';

export interface SignInScreenProps {
  api: Pick<KotozuteApi, 'signIn'>;
  roster: NonNullable<RosterState['roster']>;
  onSignedIn(state: RosterState): void;
  onError(report: ErrorReport): void;
  /** Shown under the form (this desk's identity, for enrolment). */
  footer?: ReactNode;
  locale: Locale;
  onLocale(locale: Locale): void;
}


type Refusal = { kind: 'wrong'; left: number } | { kind: 'locked'; until: string };

export function SignInScreen({ api, roster, onSignedIn, onError, footer, locale, onLocale }: SignInScreenProps): ReactNode {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [personId, setPersonId] = useState('');
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const secretRef = useRef<HTMLInputElement>(null);
  const pickRef = useRef<HTMLSelectElement>(null);
  const person = roster.people.find((p) => p.id === personId);
  const secretLabel = person?.secretKind === 'pin' ? t('floor.pin') : t('floor.passphrase');

  useEffect(() => pickRef.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!person || secret === '' || busy) return;
    setBusy(true);
    try {
      const result = await api.signIn({ personId: person.id, secret });
      setSecret('');
      if (result.ok) return onSignedIn(result.state);
      setRefusal(result.reason === 'locked' ? { kind: 'locked', until: result.until } : { kind: 'wrong', left: result.triesLeft });
      secretRef.current?.focus();
    } catch (err) {
      onError(toErrorReport(err));
    } finally {
      setBusy(false);
    }
  };

  const time = (iso: string) => new Date(iso).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' });

  return (
    <main className="sign-in">
      <form className="sign-in-form" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
        <h1 id={`${id}-title`}>{t('floor.signInTitle')}</h1>
        <p className="field-hint">{t('floor.signInIntro', { team: roster.team })}</p>
        <label htmlFor={`${id}-person`}>{t('floor.person')}</label>
        <select
          id={`${id}-person`}
          ref={pickRef}
          value={personId}
          onChange={(e) => {
            setPersonId(e.currentTarget.value);
            setRefusal(null);
            setSecret('');
          }}
        >
          <option value="">{t('floor.choosePerson')}</option>
          {roster.people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.kana === p.name ? p.name : `${p.name}（${p.kana}）`}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-secret`}>{secretLabel}</label>
        <input
          id={`${id}-secret`}
          ref={secretRef}
          type="password"
          autoComplete="off"
          inputMode={person?.secretKind === 'pin' ? 'numeric' : 'text'}
          value={secret}
          maxLength={1024}
          disabled={!person}
          onChange={(e) => setSecret(e.currentTarget.value)}
        />
        <div role="alert" className="sign-in-refusal">
          {refusal?.kind === 'wrong' && t('floor.wrongSecret', { secret: secretLabel, count: refusal.left })}
          {refusal?.kind === 'locked' && t('floor.locked', { name: person?.name ?? '', time: time(refusal.until) })}
        </div>
        <button type="submit" className="btn btn-primary" disabled={!person || secret === '' || busy}>
          {busy ? t('floor.checking') : t('floor.signIn')}
        </button>
      </form>
      <LanguageSwitch className="sign-in-language" current={locale} onChoose={onLocale} />
      {footer}
    </main>
  );
}
