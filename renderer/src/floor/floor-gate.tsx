/**
 * Who is at the desk decides what it shows (issue 9). Without a roster the desk is exactly the
 * operator desk of before. With one, nobody works until they sign in; then the roles decide:
 * operator → the operator desk; supervisor → the floor board; shift lead → End of day. A person
 * with several roles switches between their screens (floor-views.ts); the operator desk stays
 * mounted while hidden so switching never drops a call. Ctrl+Shift+L signs out (the way to switch person), refused while a call is up.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../shared/directory/schema.js';
import type { DeskState, KotozuteApi } from '../../../shared/ipc/contract.js';
import type { RosterState } from '../../../shared/ipc/roster-contract.js';
import { DeskApp } from '../desk/desk-app.js';
import { setLocale } from '../i18n/index.js';
import { ErrorAlerts } from '../ui/error-alerts.js';
import { toErrorReport, type ErrorReport } from '../ui/error-report.js';
import { DeskIdentitySection, DeskIdentityView } from './desk-identity-section.js';
import { viewShown, viewsFor, type FloorView } from './floor-views.js';
import { ShiftLeadDesk } from './shift-lead-desk.js';
import { SignInScreen } from './sign-in-screen.js';
import { SupervisorDesk } from './supervisor-desk.js';
import { getDeskEvents } from '../api/index.js';
import type { DeskIdentity } from '../../../shared/ipc/roster-contract.js';
import { isImeKey } from '../ui/keyboard.js';
import { DEFAULT_IDLE_LOCK_MINUTES } from '../../../shared/roster/schema.js';
import { IdleLock, NO_CALLS, type DeskCalls } from './idle-lock.js';

export interface FloorGateProps {
  api: KotozuteApi;
  desk: DeskState;
  locale: Locale;
}

/** Ctrl+Shift+L (or ⌘⇧L): sign out. */
export function isSignOutKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): boolean {
  return (e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && e.key.toLowerCase() === 'l';
}

export function FloorGate({ api, desk: initialDesk, locale: initialLocale }: FloorGateProps): ReactNode {
  const { t } = useTranslation();
  // The sign-in screen has its own language switch: whoever sits down reads it first.
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const [state, setState] = useState<RosterState | null>(null);
  const [identity, setIdentity] = useState<DeskIdentity | null>(null);
  const [errors, setErrors] = useState<ErrorReport[]>([]);
  const [notice, setNotice] = useState('');
  const [view, setView] = useState<FloorView>('board');
  // Whether a call rings or is up on the (possibly hidden) operator desk: for the idle lock.
  const [calls, setCalls] = useState<DeskCalls>(NO_CALLS);
  const [events] = useState(() => {
    try {
      return getDeskEvents();
    } catch {
      return null;
    }
  });
  const busy = useRef(false);
  // The desk's state as of the last sign-in: a profile imported before it (live mode, a directory) shows.
  const [desk, setDesk] = useState<DeskState>(initialDesk);

  // A refusal because the desk is locked is said nowhere: the lock screen is up, and it is asked again on unlock.
  const report = useCallback((r: ErrorReport) => {
    if (r.code !== 'desk-locked') setErrors((list) => [...list.slice(-4), r]);
  }, []);
  const reportError = useCallback((err: unknown) => report(toErrorReport(err)), [report]);
  const unlock = useCallback((secret: string) => api.unlock({ secret }), [api]);
  const lockDesk = useCallback(() => {
    api.lockDesk().catch(reportError);
  }, [api, reportError]);
  useEffect(() => {
    api.rosterState().then(setState, reportError);
  }, [api, reportError]);
  const signedIn = state?.signedIn ?? null;
  useEffect(() => {
    if (state?.roster && !signedIn) api.deskIdentity().then(setIdentity, reportError);
  }, [api, state?.roster, signedIn, reportError]);

  const signOut = useCallback(async () => {
    if (busy.current) return setNotice(t('floor.signOutBusy'));
    setNotice('');
    try {
      setState(await api.signOut());
    } catch (err) {
      reportError(err);
    }
  }, [api, reportError, t]);

  useEffect(() => {
    if (!signedIn) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.repeat || isImeKey(e) || !isSignOutKey(e)) return;
      e.preventDefault();
      void signOut();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [signedIn, signOut]);

  const onBusyChange = useCallback((b: boolean) => {
    busy.current = b;
    if (!b) setNotice('');
  }, []);
  const changeLocale = useCallback(
    async (next: Locale) => {
      try {
        const saved = await api.updateSettings({ locale: next });
        await setLocale(saved.locale);
        setLocaleState(saved.locale);
      } catch (err) {
        reportError(err);
      }
    },
    [api, reportError],
  );
  const dismiss = useCallback((id: number) => setErrors((list) => list.filter((e) => e.id !== id)), []);
  const settingsFloor = useCallback(
    (onError: (r: ErrorReport) => void) => <DeskIdentitySection api={api} onRosterChanged={setState} onError={onError} />,
    [api],
  );

  if (!state) return null;
  if (!state.roster) {
    // A desk without a roster (training) locks too, with nobody's secret to ask: one click resumes.
    return (
      <IdleLock minutes={DEFAULT_IDLE_LOCK_MINUTES} person={null} unlock={unlock} calls={calls} events={events} onError={report}>
        <DeskApp api={api} desk={desk} locale={locale} onCallsChange={setCalls} settingsFloor={settingsFloor} />
      </IdleLock>
    );
  }
  if (!signedIn) {
    return (
      <div className="desk floor">
        <ErrorAlerts errors={errors} onDismiss={dismiss} />
        <SignInScreen
          api={api}
          roster={state.roster}
          onSignedIn={(next) => {
            const show = (fresh: DeskState) => {
              setDesk(fresh);
              setState(next);
              setView(viewsFor(next.signedIn?.roles ?? [])[0] ?? 'board');
            };
            api.getDeskState().then(show, (err: unknown) => {
              reportError(err);
              show(desk);
            });
          }}
          onError={report}
          locale={locale}
          onLocale={(l) => void changeLocale(l)}
          footer={
            identity && (
              <section className="sign-in-identity" aria-label={t('floor.identity')}>
                <h2>{t('floor.identity')}</h2>
                <DeskIdentityView identity={identity} />
              </section>
            )
          }
        />
      </div>
    );
  }

  const operator = signedIn.roles.includes('operator');
  const supervisor = signedIn.roles.includes('supervisor');
  const shiftLead = signedIn.roles.includes('shift-lead');
  const views = viewsFor(signedIn.roles);
  const shown = viewShown(signedIn.roles, view);
  const viewName: Record<FloorView, string> = { board: t('floor.viewBoard'), desk: t('floor.viewDesk'), clearance: t('floor.viewClearance') };
  const secretKind = state.roster.people.find((p) => p.id === signedIn.id)?.secretKind ?? 'passphrase';
  return (
    <IdleLock
      minutes={state.roster.idleLockMinutes}
      person={{ name: signedIn.name, secretKind }}
      unlock={unlock}
      onSignOut={() => void signOut()}
      onLock={lockDesk}
      initiallyLocked={state.locked}
      notice={notice}
      calls={calls}
      events={events}
      onError={report}
    >
      <div className="floor" data-view={shown ?? undefined}>
        <div className="floor-bar">
          <span className="floor-person">
            <strong>{t('floor.signedInAs', { name: signedIn.name })}</strong>
            <span className="muted"> · {signedIn.roles.map((r) => t(`floor.role.${r}`)).join(' / ')}</span>
          </span>
          {views.length > 1 && (
            <span className="floor-views" role="group" aria-label={t('floor.views')}>
              {views.map((v) => (
                <button key={v} type="button" className="btn btn-quiet" aria-pressed={shown === v} onClick={() => setView(v)}>
                  {viewName[v]}
                </button>
              ))}
            </span>
          )}
          <span className="spacer" />
          <button type="button" className="btn btn-quiet" onClick={() => void signOut()} aria-keyshortcuts="Control+Shift+L">
            {t('floor.signOut')} <kbd>Ctrl+Shift+L</kbd>
          </button>
        </div>
        {notice && (
          <p role="alert" className="floor-notice">
            {notice}
          </p>
        )}
        <ErrorAlerts errors={errors} onDismiss={dismiss} />
        {supervisor && (
          <div className="floor-view" hidden={shown !== 'board'}>
            <SupervisorDesk api={api} events={getDeskEvents()} />
          </div>
        )}
        {/* Kept mounted while hidden, so switching views never drops a call. */}
        {operator && (
          <div className="floor-view" hidden={shown !== 'desk'}>
            <DeskApp api={api} desk={desk} locale={locale} onBusyChange={onBusyChange} onCallsChange={setCalls} settingsFloor={settingsFloor} />
          </div>
        )}
        {shiftLead && shown === 'clearance' && (
          <div className="floor-view">
            <ShiftLeadDesk api={api} events={getDeskEvents()} />
          </div>
        )}
      </div>
    </IdleLock>
  );
}
