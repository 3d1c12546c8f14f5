/**
 * Settings › This desk: the desk key's fingerprint and the enrolment string the admin needs to add
 * the desk to the roster (both public: the string may be selected and copied), and the team roster
 * in use with an import of a signed roster file.
 */
import { useCallback, useEffect, useId, useState, type ChangeEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { DeskIdentity, RosterState } from '../../../shared/ipc/roster-contract.js';
import { toErrorReport, type ErrorReport } from '../ui/error-report.js';

/** The contract's cap on the roster text. */
const MAX_BYTES = 6 * 1024 * 1024;

export interface DeskIdentitySectionProps {
  api: Pick<KotozuteApi, 'deskIdentity' | 'rosterState' | 'importRoster'>;
  onRosterChanged?(state: RosterState): void;
  onError(report: ErrorReport): void;
}

export function DeskIdentityView({ identity }: { identity: DeskIdentity }): ReactNode {
  const { t } = useTranslation();
  const id = useId();
  if (!identity.ok) return <p className="field-hint">{t('floor.noIdentity', { message: identity.message })}</p>;
  return (
    <dl className="desk-identity">
      <dt id={`${id}-fp`}>{t('floor.fingerprint')}</dt>
      <dd>
        <code aria-labelledby={`${id}-fp`} className="fingerprint">
          {identity.fingerprint}
        </code>
      </dd>
      <dt>
        <label htmlFor={`${id}-enrol`}>{t('floor.enrolment')}</label>
      </dt>
      <dd>
        <textarea id={`${id}-enrol`} className="enrolment" readOnly rows={4} value={identity.enrolment} onFocus={(e) => e.currentTarget.select()} />
      </dd>
      <dd className="field-hint">
        {identity.enrolledAs ? t('floor.enrolledAs', { name: identity.enrolledAs.name, id: identity.enrolledAs.id }) : t('floor.notEnrolled')}
      </dd>
    </dl>
  );
}

export function DeskIdentitySection({ api, onRosterChanged, onError }: DeskIdentitySectionProps): ReactNode {
  const { t } = useTranslation();
  const id = useId();
  const [identity, setIdentity] = useState<DeskIdentity | null>(null);
  const [roster, setRoster] = useState<RosterState['roster'] | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [imported, setImported] = useState(false);

  const load = useCallback(() => {
    api.deskIdentity().then(setIdentity, (err: unknown) => onError(toErrorReport(err)));
    api.rosterState().then((s) => setRoster(s.roster), (err: unknown) => onError(toErrorReport(err)));
  }, [api, onError]);
  useEffect(load, [load]);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setBusy(true);
    setImported(false);
    try {
      if (file.size > MAX_BYTES) throw { message: `${file.name}: ${Math.ceil(file.size / 1024 / 1024)} MB > 5 MB` };
      const state = await api.importRoster({ bundle: await file.text() });
      setRoster(state.roster);
      setImported(true);
      load();
      onRosterChanged?.(state);
    } catch (err) {
      onError(toErrorReport(err));
    } finally {
      input.value = '';
      setBusy(false);
    }
  };

  return (
    <>
      <fieldset className="field-group desk-identity-section">
        <legend>{t('floor.identity')}</legend>
        <p className="field-hint">{t('floor.identityIntro')}</p>
        {identity && <DeskIdentityView identity={identity} />}
      </fieldset>
      <fieldset className="field-group roster-section">
        <legend>{t('floor.roster')}</legend>
        <p>
          {roster === undefined
            ? ''
            : roster === null
              ? t('floor.rosterNone')
              : t('floor.rosterLoaded', { team: roster.team, serial: roster.serial, desks: roster.desks, people: roster.people.length })}
        </p>
        <label htmlFor={`${id}-file`}>{t('floor.rosterFile')}</label>
        <input id={`${id}-file`} type="file" onChange={(e) => void onFile(e)} disabled={busy} />
        <p role="status">{imported ? t('floor.rosterImported') : ''}</p>
      </fieldset>
    </>
  );
}
