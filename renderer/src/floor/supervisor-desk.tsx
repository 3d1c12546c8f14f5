/**
 * The supervisor's desk (issue 9 §5): the floor board, live. The desk keeps its own line up (watches
 * and states travel as SIP MESSAGEs through it) and hears the board from the main process, which
 * verified every state in it. The roster part of issue 9 decides when this screen is shown (the
 * role of the person signed in); the dev-web harness also opens it at `?view=floor`.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { ErrorAlerts } from '../ui/error-alerts.js';
import { toErrorReport, type ErrorReport } from '../ui/error-report.js';
import { useTranslation } from 'react-i18next';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { DeskEventSource } from '../../../shared/ipc/desk-events.js';
import type { FloorBoardView } from '../../../shared/ipc/floor-contract.js';
import { getLineStore } from '../pairing/line-store.js';
import { startLine } from '../pairing/start-line.js';
import { useLineSnapshot } from '../pairing/use-line-store.js';
import { FloorBoard } from './floor-board.js';
import { useMonitorActions, type OnMonitor } from './monitor-actions.js';
import { MonitorPanel } from './monitor-panel.js';
import { useFloorLink } from './use-floor-link.js';
import { LanguageSwitch, useSavedLocale } from './language-switch.js';
import { isDeskLocked, useDeskUnlocks } from './desk-unlocks.js';

export interface SupervisorDeskProps {
  api: KotozuteApi;
  events: DeskEventSource;
}

const NO_CLIENT = (): null => null;

export function SupervisorDesk({ api, events }: SupervisorDeskProps): ReactNode {
  const { t, i18n } = useTranslation();
  const [board, setBoard] = useState<FloorBoardView | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [lineSource] = useState(() => getLineStore());
  const line = useLineSnapshot(lineSource);
  const [problem, setProblem] = useState<ErrorReport | null>(null);
  // The desk's own alert (code and keychain reason in the person's language); a locked desk says nothing.
  const report = useCallback((err: unknown) => {
    if (!isDeskLocked(err)) setProblem(toErrorReport(err));
  }, []);
  const unlocks = useDeskUnlocks();
  // Listen / whisper / barge: the request signed by main with the signed-in person's key, the INVITE
  // (or, for a mode change on the same call, an INFO) sent by this desk's line.
  const monitor = useMonitorActions(api, lineSource, report);
  const { onMonitor: startOrChange, stop } = monitor;
  const onMonitor = useCallback<OnMonitor>(
    (deskId, callRef, action) => {
      setProblem(null);
      void (action === 'stop' ? stop() : startOrChange(deskId, callRef, action));
    },
    [startOrChange, stop],
  );
  useFloorLink(api, lineSource, { clientOf: NO_CLIENT, noteOpen: false });
  useEffect(() => startLine(lineSource), [lineSource]);

  useEffect(() => {
    let live = true;
    // Events first, so a board pushed while the first one loads is not lost to it.
    const stop = events.onDeskEvent((event) => {
      if (event.type === 'floor-board') setBoard(event.board);
    });
    api.getFloorBoard().then(
      (first) => {
        if (live) setBoard((b) => (b && b.at > first.at ? b : first));
      },
      () => undefined,
    );
    return () => {
      live = false;
      stop();
    };
    // Loaded again once unlocked: the main process refuses the board while the desk is locked.
  }, [api, events, unlocks]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const who = useCallback(
    (deskId: string) => {
      const row = board?.rows.find((r) => r.deskId === deskId);
      return row ? [row.deskName, row.operator].filter(Boolean).join(t('floor.listSeparator')) : deskId;
    },
    [board, t],
  );
  const changeLocale = useSavedLocale(api, report);

  const registered = line.state?.registration === 'registered';
  return (
    <div className="desk supervisor-desk">
      <header className="top-bar">
        <h1 className="top-bar-title">{t('floor.deskTitle')}</h1>
        <span className={registered ? 'floor-line floor-line-registered' : 'floor-line floor-line-failed'} role="status">
          {registered ? t('floor.lineUp') : t('floor.lineDown')}
        </span>
        <span className="spacer" />
        <LanguageSwitch className="floor-language" current={i18n.language} onChoose={changeLocale} />
      </header>
      <ErrorAlerts errors={problem ? [problem] : []} onDismiss={() => setProblem(null)} />
      <MonitorPanel actions={monitor} source={lineSource} who={who} />
      <main className="desk-main">{board ? <FloorBoard board={board} now={now} onMonitor={onMonitor} /> : <p>{t('app.loading')}</p>}</main>
    </div>
  );
}
