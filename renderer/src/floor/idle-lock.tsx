/**
 * The idle lock (issue 11 §2, DESIGN.md §5 "an unattended desk"). After N minutes without input
 * (the roster's policy, default 10) and at once when the OS locks its screen or goes to sleep, the
 * desk hides everything it shows — caller and client data, notes, the board — behind a lock screen.
 *
 * What stays the same underneath: the desk is only hidden (`hidden` + `inert`), never unmounted, so
 * the line stays registered, a call keeps its audio, and a note's autosave goes on. While locked no
 * key reaches the hidden desk (its shortcuts would act on data nobody may see). A ringing call shows
 * on the lock screen that it rings — never who calls or for which client — and is answered after
 * unlocking.
 *
 * Who unlocks:
 * - a desk with a roster: the signed-in person, with their PIN or passphrase, checked by the main
 *   process exactly as at sign-in (the same wrong-try count and lock: roster-service `unlock`). A
 *   colleague can sign the person out from the lock screen (refused during a call, as always);
 * - a desk without a roster (training): there is no secret to ask for, so one click resumes. The data
 *   is still hidden while nobody is there, which is the point of the lock on a shared training room.
 *
 * The main process holds the lock too (electron/main/services/lock-gate.ts): while it is on, calls for
 * caller or client data or a note are refused with 'desk-locked', which the desk takes quietly, and
 * asked again once unlocked (desk-unlocks.ts).
 *
 * The desktop notification of a ring (calls/call-notification.ts), which names the client, says only
 * that a call rings while the desk is locked, and those already up are closed at the lock.
 *
 * A call being talked on holds the idle timer off: someone talking to a caller is at the desk even
 * when their hands are still (a held call does not: the operator may have walked away from it). The
 * OS lock and sleep lock at once regardless.
 */
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskEventSource } from '../../../shared/ipc/desk-events.js';
import type { SignInResult } from '../../../shared/ipc/roster-contract.js';
import { toErrorReport, type ErrorReport } from '../ui/error-report.js';
import { concealRingNotifications } from '../calls/call-notification.js';
import { announceDeskUnlocked } from './desk-unlocks.js';

/** What the hidden desk tells the lock (desk-app.tsx `onCallsChange`). */
export interface DeskCalls {
  /** A call (real or simulated) is ringing. */
  ringing: boolean;
  /** A call is answered and talking (a held call does not count: nobody need be at the desk). */
  inCall: boolean;
}

export const NO_CALLS: DeskCalls = { ringing: false, inCall: false };

/** The inputs that show someone is at the desk. */
const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;
/** How often the idle time is looked at: the lock comes at most this late. */
const CHECK_EVERY_MS = 5_000;

/**
 * Calls `onIdle` once `minutes` pass with no input while `active`. Input while inactive still counts,
 * so the timer starts afresh when it becomes active. Returns nothing; stops on unmount.
 */
export function useIdleTimer(minutes: number, active: boolean, onIdle: () => void): void {
  const last = useRef(0);
  useEffect(() => {
    const seen = () => {
      last.current = Date.now();
    };
    for (const type of INPUT_EVENTS) window.addEventListener(type, seen, { capture: true, passive: true });
    return () => {
      for (const type of INPUT_EVENTS) window.removeEventListener(type, seen, { capture: true });
    };
  }, []);
  useEffect(() => {
    if (!active) return;
    last.current = Date.now();
    const limit = minutes * 60_000;
    const timer = window.setInterval(() => {
      if (Date.now() - last.current >= limit) onIdle();
    }, CHECK_EVERY_MS);
    return () => window.clearInterval(timer);
  }, [minutes, active, onIdle]);
}

/** Locks at once on the OS's lock-screen and suspend events (main process power.ts, via desk events). */
function useOsLock(events: DeskEventSource | null, lock: () => void): void {
  useEffect(() => {
    if (!events) return;
    return events.onDeskEvent((event) => {
      if (event.type === 'power' && (event.event === 'lock-screen' || event.event === 'suspend')) lock();
    });
  }, [events, lock]);
}

/**
 * While locked, keys reach only the lock screen: nothing typed may act on the hidden desk. Keys aimed
 * elsewhere are stopped on their way in (window, capture); keys typed in the lock screen stop there on
 * their way out, so the desk's own window-level shortcuts (F2 answers) never see them either.
 */
function useKeysOnlyIn(root: React.RefObject<HTMLElement | null>, on: boolean): void {
  useEffect(() => {
    const screen = root.current;
    if (!on || !screen) return;
    const types = ['keydown', 'keyup', 'keypress'] as const;
    const stopOutside = (e: KeyboardEvent) => {
      const target = e.target instanceof Node ? e.target : null;
      if (target && screen.contains(target)) return;
      e.stopImmediatePropagation();
      e.preventDefault();
    };
    const stopLeaving = (e: KeyboardEvent) => e.stopPropagation();
    for (const type of types) {
      window.addEventListener(type, stopOutside, { capture: true });
      screen.addEventListener(type, stopLeaving);
    }
    return () => {
      for (const type of types) {
        window.removeEventListener(type, stopOutside, { capture: true });
        screen.removeEventListener(type, stopLeaving);
      }
    };
  }, [root, on]);
}

export interface IdleLockProps {
  /** Minutes without input before locking (the roster's policy, or the default). */
  minutes: number;
  /** The signed-in person, or null on a desk without a roster (one click resumes). */
  person: { name: string; secretKind: 'pin' | 'passphrase' } | null;
  /** Checks the signed-in person's secret (api.unlock); unused without a person. */
  unlock(secret: string): Promise<SignInResult>;
  /** Signs the person out from the lock screen (a colleague taking the desk); none without a roster. */
  onSignOut?(): void;
  /** A notice to show on the lock screen (e.g. why sign-out was refused). */
  notice?: string;
  calls: DeskCalls;
  events: DeskEventSource | null;
  onError(report: ErrorReport): void;
  /** Tells the main process the desk locked (api.lockDesk), so a reloaded page starts locked. */
  onLock?(): void;
  /** Starts locked (the main process holds the lock: a reload or a recovered page); false by default. */
  initiallyLocked?: boolean;
  children: ReactNode;
}

export function IdleLock({ minutes, person, unlock, onSignOut, notice, calls, events, onError, onLock, initiallyLocked = false, children }: IdleLockProps): ReactNode {
  const [locked, setLocked] = useState(initiallyLocked);
  const onLockRef = useRef(onLock);
  useEffect(() => {
    onLockRef.current = onLock;
  }, [onLock]);
  const lock = useCallback(() => {
    setLocked(true);
    onLockRef.current?.();
  }, []);
  // Open again: whatever the main process refused meanwhile ('desk-locked') is asked for again.
  const unlocked = useCallback(() => {
    setLocked(false);
    announceDeskUnlocked();
  }, []);
  useIdleTimer(minutes, !locked && !calls.inCall, lock);
  useOsLock(events, lock);
  const screen = useRef<HTMLElement>(null);
  useKeysOnlyIn(screen, locked);
  // A ring's desktop notification names the client: not while locked (it says only that a call rings).
  const { t } = useTranslation();
  const concealedTitle = t('call.incoming');
  useEffect(() => {
    if (!locked) return;
    concealRingNotifications(concealedTitle);
    return () => concealRingNotifications(null);
  }, [locked, concealedTitle]);
  return (
    <>
      <div className="idle-lock-content" hidden={locked} inert={locked}>
        {children}
      </div>
      {locked && (
        <LockScreen ref={screen} person={person} unlock={unlock} onUnlocked={unlocked} onSignOut={onSignOut} notice={notice} ringing={calls.ringing} onError={onError} />
      )}
    </>
  );
}

type Refusal = { kind: 'wrong'; left: number } | { kind: 'locked'; until: string };

interface LockScreenProps {
  ref: React.RefObject<HTMLElement | null>;
  person: IdleLockProps['person'];
  unlock(secret: string): Promise<SignInResult>;
  onUnlocked(): void;
  onSignOut: (() => void) | undefined;
  notice: string | undefined;
  ringing: boolean;
  onError(report: ErrorReport): void;
}

/** The lock screen: who may unlock, the secret (or one button without a roster), and whether a call rings. */
export function LockScreen({ ref, person, unlock, onUnlocked, onSignOut, notice, ringing, onError }: LockScreenProps): ReactNode {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const first = useRef<HTMLInputElement & HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  const secretLabel = person?.secretKind === 'pin' ? t('floor.pin') : t('floor.passphrase');
  const time = (iso: string) => new Date(iso).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!person) return onUnlocked();
    if (secret === '' || busy) return;
    setBusy(true);
    try {
      const result = await unlock(secret);
      setSecret('');
      if (result.ok) return onUnlocked();
      setRefusal(result.reason === 'locked' ? { kind: 'locked', until: result.until } : { kind: 'wrong', left: result.triesLeft });
      first.current?.focus();
    } catch (err) {
      onError(toErrorReport(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in idle-lock" ref={ref}>
      <form className="sign-in-form" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
        <h1 id={`${id}-title`}>{t('idleLock.title')}</h1>
        {ringing && (
          <p role="status" className="idle-lock-ringing">
            {t('idleLock.ringing')}
          </p>
        )}
        {person ? (
          <>
            <p className="field-hint">{t('idleLock.intro', { name: person.name, secret: secretLabel })}</p>
            <label htmlFor={`${id}-secret`}>{secretLabel}</label>
            <input
              id={`${id}-secret`}
              ref={first}
              type="password"
              autoComplete="off"
              inputMode={person.secretKind === 'pin' ? 'numeric' : 'text'}
              value={secret}
              maxLength={1024}
              onChange={(e) => setSecret(e.currentTarget.value)}
            />
            <div role="alert" className="sign-in-refusal">
              {refusal?.kind === 'wrong' && t('floor.wrongSecret', { secret: secretLabel, count: refusal.left })}
              {refusal?.kind === 'locked' && t('floor.locked', { name: person.name, time: time(refusal.until) })}
              {notice}
            </div>
            <button type="submit" className="btn btn-primary" disabled={secret === '' || busy}>
              {busy ? t('floor.checking') : t('idleLock.unlock')}
            </button>
            {onSignOut && (
              <button type="button" className="btn btn-quiet" onClick={onSignOut}>
                {t('idleLock.signOut')}
              </button>
            )}
          </>
        ) : (
          <>
            <p className="field-hint">{t('idleLock.introTraining')}</p>
            <button type="submit" ref={first} className="btn btn-primary">
              {t('idleLock.resume')}
            </button>
          </>
        )}
      </form>
    </main>
  );
}
