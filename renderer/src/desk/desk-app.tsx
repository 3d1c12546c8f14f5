/**
 * The operator's desk: top bar, the call strip, the pop, and the dialogs — wired to the typed API
 * and to one keyboard handler. Every failed call lands in the alert region.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import type { Locale } from '../../../shared/directory/schema.js';
import type { DeskState, KotozuteApi, SimulateCallArgs } from '../../../shared/ipc/contract.js';
import { LiveCallStrip } from '../calls/live-call-strip.js';
import { useLiveCalls } from '../calls/use-live-calls.js';
import { MonitoredNotice } from '../floor/monitored-notice.js';
import { setLocale } from '../i18n/index.js';
import { getLineStore } from '../pairing/line-store.js';
import { pageReopensLineSettings } from '../pairing/page-line.js';
import { AuditViewer } from '../notes/audit-viewer.js';
import { NoteArea, noteAreaVisible } from '../notes/note-area.js';
import { NoteTopBarButtons } from '../notes/note-top-bar.js';
import { OutboxPanel } from '../notes/outbox-panel.js';
import { useNoteSession, type NoteCall } from '../notes/use-note-session.js';
import { startLine } from '../pairing/start-line.js';
import { useFloorLink } from '../floor/use-floor-link.js';
import { afterPaint } from '../ui/after-paint.js';
import type { AnswerPanelHandle } from './answer-panel.js';
import { CallStrip } from './call-strip.js';
import { deskReducer, IDLE } from './desk-state.js';
import { ErrorAlerts } from '../ui/error-alerts.js';
import { isDeskLocked } from '../floor/desk-unlocks.js';
import { toErrorReport, type ErrorReport } from '../ui/error-report.js';
import { IdlePop, PopView } from './pop-view.js';
import { RecoveryNotice } from './recovery-notice.js';
import { ClearanceNotice, useDeskBusyReport } from './clearance-notice.js';
import type { DeskCalls } from '../floor/idle-lock.js';
import { getDeskEvents } from '../api/index.js';
import type { DeskEventSource } from '../../../shared/ipc/desk-events.js';
import { SettingsDialog } from './settings-dialog.js';
import { focusIsFree, isImeKey } from '../ui/keyboard.js';
import { matchShortcut } from '../ui/shortcuts.js';
import { SimulateDialog } from './simulate-dialog.js';
import { DeskNotices, TopBar } from './top-bar.js';

export interface DeskAppProps {
  api: KotozuteApi;
  desk: DeskState;
  locale: Locale;
  /** Told whether a call (real or simulated) is up, so signing out can wait for it (floor/floor-gate.tsx). */
  onBusyChange?(busy: boolean): void;
  /** Told whether a call rings and whether one is answered, for the idle lock (floor/idle-lock.tsx). */
  onCallsChange?(calls: DeskCalls): void;
  /** Settings › This desk and the team roster (floor/desk-identity-section.tsx). */
  settingsFloor?(onError: (report: ErrorReport) => void): ReactNode;
  /** The desk's events (clearance notices); the window's by default. */
  events?: DeskEventSource | null;
}

type Dialog = 'none' | 'simulate' | 'settings' | 'outbox' | 'audit';

export function DeskApp({ api, desk: initialDesk, locale: initialLocale, onBusyChange, onCallsChange, settingsFloor, events: givenEvents }: DeskAppProps): ReactNode {
  // Pairing a line (Settings › Line) makes the desk live and may bring a new directory: reloaded then.
  const [desk, setDesk] = useState<DeskState>(initialDesk);
  const [state, dispatch] = useReducer(deskReducer, IDLE);
  // Back from the reload a pairing to a new server needs (pairing/page-line.ts): in Settings › Line.
  const [dialog, setDialog] = useState<Dialog>(() => (pageReopensLineSettings() ? 'settings' : 'none'));
  const [lineReopened, setLineReopened] = useState(pageReopensLineSettings);
  const [errors, setErrors] = useState<ErrorReport[]>([]);
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const primaryRef = useRef<HTMLButtonElement>(null);
  const answersRef = useRef<AnswerPanelHandle>(null);

  const report = useCallback((err: unknown) => {
    // Refused because the desk is locked: said nowhere (the lock screen is up), asked again on unlock.
    if (isDeskLocked(err)) return;
    setErrors((list) => [...list.slice(-4), toErrorReport(err)]);
  }, []);
  const loadClients = useCallback(() => api.listClients(), [api]);
  // Real calls on the paired line (renderer/src/calls); they take the strip and the pop while up.
  const [lineSource] = useState(() => getLineStore());
  const live = useLiveCalls(api, lineSource, report);
  const liveCall = live.layout.focused;
  // The note of the answered call (renderer/src/notes): simulated, or live once its pop is known.
  const noteCall: NoteCall = liveCall
    ? (liveCall.state === 'active' || liveCall.state === 'held') && live.hasPop(liveCall.id)
      ? { callId: live.popOf(liveCall).callId }
      : null
    : state.phase === 'in-call'
      ? { callId: state.pop.callId }
      : null;
  const [events] = useState<DeskEventSource | null>(() => {
    if (givenEvents !== undefined) return givenEvents;
    try {
      return getDeskEvents();
    } catch {
      return null;
    }
  });
  const notes = useNoteSession(api, noteCall, report, events);
  // The pop on screen, which the open note compares with its own call (issue 14 §2).
  const popOnScreen = liveCall ? (live.hasPop(liveCall.id) ? live.popOf(liveCall) : null) : state.phase === 'idle' ? null : state.pop;
  const busy = liveCall !== null || live.layout.others.length > 0 || state.phase !== 'idle';
  useEffect(() => onBusyChange?.(busy), [busy, onBusyChange]);
  const liveCalls = liveCall ? [liveCall, ...live.layout.others] : live.layout.others;
  const ringing = state.phase === 'ringing' || liveCalls.some((c) => c.state === 'ringing');
  const inCall = state.phase === 'in-call' || liveCalls.some((c) => c.state === 'active');
  useEffect(() => onCallsChange?.({ ringing, inCall }), [ringing, inCall, onCallsChange]);
  // A scheduled clearance (issue 10 §6) waits while a call is up or a note is being typed.
  useDeskBusyReport(api, { call: busy, typing: notes.note !== null && notes.note.summary.state === 'draft' });
  const reportFloor = useCallback((r: ErrorReport) => {
    if (r.code !== 'desk-locked') setErrors((list) => [...list.slice(-4), r]);
  }, []);
  // The floor (issue 9): this desk's state to the supervisors watching it, no caller data.
  useFloorLink(api, lineSource, {
    clientOf: (call) => (live.hasPop(call.id) ? clientRef(live.popOf(call).client) : null),
    noteOpen: notes.note !== null && notes.note.summary.state === 'draft',
  });
  // Connects the paired line at start-up and re-checks it after the computer sleeps.
  useEffect(() => startLine(lineSource), [lineSource]);
  const refreshDesk = useCallback(() => {
    api.getDeskState().then(setDesk, report);
  }, [api, report]);

  const ring = useCallback(
    async (args: SimulateCallArgs) => {
      const pop = await api.simulateCall(args);
      setDialog('none');
      dispatch({ type: 'ring', pop });
    },
    [api],
  );

  const changeLocale = useCallback(
    async (next: Locale) => {
      try {
        const saved = await api.updateSettings({ locale: next });
        await setLocale(saved.locale);
        setLocaleState(saved.locale);
      } catch (err) {
        report(err);
      }
    },
    [api, report],
  );

  // Focus follows the call: Answer while ringing, the answer search in a call, Simulate when idle —
  // only out of nothing or a call strip, never out of a field being typed in (ui/keyboard.ts).
  useEffect(() => {
    if (state.phase === 'in-call') {
      if (focusIsFree()) answersRef.current?.focusSearch();
    }
    // A ringing pop paints first: focusing forces a layout ahead of its frame (see after-paint.ts).
    else if (state.phase === 'ringing') {
      return afterPaint(() => {
        if (focusIsFree()) primaryRef.current?.focus();
      });
    } else if (focusIsFree()) primaryRef.current?.focus();
  }, [state.phase]);

  const canSimulate = desk.mode === 'training';
  // A pop is up: a simulated call, or a real one whose client is known.
  const popUp = state.phase !== 'idle' || (liveCall !== null && live.hasPop(liveCall.id));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialog !== 'none' || e.repeat || isImeKey(e)) return;
      const action = matchShortcut(e);
      if (!action) return;
      let handled = true;
      switch (action.type) {
        case 'simulate':
          if (state.phase === 'idle' && canSimulate) setDialog('simulate');
          else handled = false;
          break;
        case 'answer':
          dispatch({ type: 'answer' });
          handled = state.phase === 'ringing';
          break;
        case 'decline':
          dispatch({ type: 'decline' });
          handled = state.phase === 'ringing';
          break;
        case 'end':
          dispatch({ type: 'end' });
          handled = state.phase === 'in-call';
          break;
        // The pop's own keys, shown in the pop: they work wherever a pop is up, real calls too.
        case 'search':
          if (popUp) answersRef.current?.focusSearch();
          else handled = false;
          break;
        case 'pick':
          handled = popUp && (answersRef.current?.pick(action.index) ?? false);
          break;
      }
      // Ctrl+K and the function keys mean something to the browser too; ours wins only when used.
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog, state.phase, canSimulate, popUp]);

  // Stable props, so that a ring (which re-renders the desk) re-renders none of the memoised bars.
  const openSettings = useCallback(() => setDialog('settings'), []);
  const topBarActions = useMemo(
    () => <NoteTopBarButtons onOutbox={() => setDialog('outbox')} onAudit={() => setDialog('audit')} />,
    [],
  );
  const dismissError = useCallback((id: number) => setErrors((list) => list.filter((e) => e.id !== id)), []);

  return (
    <div className="desk" data-phase={state.phase}>
      <TopBar desk={desk} onSettings={openSettings} actions={topBarActions} />
      <DeskNotices desk={desk} />
      <RecoveryNotice />
      <ClearanceNotice api={api} events={events} onError={report} />
      <ErrorAlerts errors={errors} onDismiss={dismissError} />
      <MonitoredNotice source={lineSource} />
      <LiveCallStrip live={live} onTalking={() => answersRef.current?.focusSearch()} />
      {!liveCall && (
        <CallStrip
          state={state}
          canSimulate={canSimulate}
          primaryRef={primaryRef}
          onSimulate={() => setDialog('simulate')}
          onAnswer={() => dispatch({ type: 'answer' })}
          onDecline={() => dispatch({ type: 'decline' })}
          onEnd={() => dispatch({ type: 'end' })}
        />
      )}
      <main className="desk-main" data-note={noteAreaVisible(notes) ? 'open' : undefined}>
        {liveCall ? (
          // The pop paints once the main process has found the client (a few ms), not before.
          live.hasPop(liveCall.id) ? <PopView pop={live.popOf(liveCall)} answersHandle={answersRef} /> : <IdlePop />
        ) : state.phase === 'idle' ? (
          <IdlePop />
        ) : (
          <PopView pop={state.pop} answersHandle={answersRef} />
        )}
        {noteAreaVisible(notes) && (
          <NoteArea
            api={api}
            session={notes}
            pop={popOnScreen && { callId: popOnScreen.callId, clientId: popOnScreen.client?.id ?? null, clientName: popOnScreen.client?.name ?? '' }}
            onOutbox={() => setDialog('outbox')}
            onError={report}
          />
        )}
      </main>
      {dialog === 'simulate' && (
        <SimulateDialog loadClients={loadClients} onRing={ring} onError={report} onClose={() => setDialog('none')} />
      )}
      {dialog === 'outbox' && <OutboxPanel api={api} onError={report} onClose={() => setDialog('none')} />}
      {dialog === 'audit' && <AuditViewer api={api} onError={report} onClose={() => setDialog('none')} />}
      {dialog === 'settings' && (
        <SettingsDialog
          locale={locale}
          onLocale={changeLocale}
          onClose={() => {
            setDialog('none');
            setLineReopened(false);
          }}
          line={{ api, onChanged: refreshDesk, reopened: lineReopened }}
          floor={settingsFloor?.(reportFloor)}
        />
      )}
    </div>
  );
}

/** A client as the floor names it: the directory's id and name, nothing else of the pop. */
function clientRef(client: { id: string; name: string } | null): { id: string; name: string } | null {
  return client ? { id: client.id, name: client.name.slice(0, 200) || client.id } : null;
}
