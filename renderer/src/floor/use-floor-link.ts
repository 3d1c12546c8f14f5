/**
 * A desk's link to the floor (issue 9 §4): its state goes out to whoever watches it, floor MESSAGEs
 * that arrive go to the main process to be checked, and — when someone with a watching role is
 * signed in here — watches go out to every roster desk, renewed at a third of the lease. Every desk
 * runs it; the main process decides what each desk may do (no roster: nothing is sent).
 */
import { useEffect, useRef } from 'react';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { LineStore } from '../pairing/line-store.js';
import { useLineSnapshot } from '../pairing/use-line-store.js';
import { deskReport, type DeskFacts } from './desk-activity.js';
import { createDeskReporter, type DeskReporter } from './desk-reporter.js';
import { sendReply } from './send-reply.js';
import type { FloorReportArgs } from '../../../shared/ipc/floor-contract.js';

/** How soon a desk with nobody allowed to watch asks again (someone may sign in). */
export const WATCH_RETRY_MS = 5_000;

export type FloorApi = Pick<KotozuteApi, 'floorReport' | 'floorDeliver' | 'floorWatch'>;

export function useFloorLink(api: FloorApi, lineSource: LineStore, facts: Omit<DeskFacts, 'calls' | 'registration' | 'monitors'>): void {
  const snapshot = useLineSnapshot(lineSource);
  const line = snapshot.line;
  const registered = snapshot.state?.registration === 'registered';
  const reporterRef = useRef<DeskReporter | null>(null);
  const lastRef = useRef<FloorReportArgs | null>(null);

  // The reporter lives as long as the line it sends through.
  useEffect(() => {
    if (!line) return;
    const reporter = createDeskReporter({
      report: (args) => api.floorReport(args),
      send: (to, token) => line.sendFloorMessage(to, token),
    });
    reporterRef.current = reporter;
    const stopListening = line.onFloorMessage(({ body, from }) => {
      api.floorDeliver({ body, from }).then(
        (r) => {
          if (r.outcome === 'watch') reporter.resend();
          // A clearance command's report (issue 10 §4) goes back to the shift lead's desk.
          // Replies (a clearance report) go until the server takes them (send-reply.ts).
          for (const m of r.messages ?? []) void sendReply(() => line.sendFloorMessage(m.to, m.token, { answered: true }));
        },
        () => undefined,
      );
    });
    return () => {
      stopListening();
      reporter.stop();
      reporterRef.current = null;
    };
  }, [api, line]);

  // Every render may change the desk's state; the reporter sends only what changed.
  const calls = snapshot.state?.calls ?? null;
  const registration = snapshot.state?.registration ?? null;
  const monitors = snapshot.state?.monitors ?? [];
  useEffect(() => {
    const state = deskReport({ ...facts, calls, registration, monitors }, lastRef.current, Date.now());
    lastRef.current = state;
    if (registered) reporterRef.current?.update(state);
  });

  // Watches, while the line is up.
  useEffect(() => {
    if (!line || !registered) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const round = async (): Promise<void> => {
      let next = WATCH_RETRY_MS;
      try {
        const { messages, renewInMs } = await api.floorWatch({});
        await Promise.all(messages.map((m) => line.sendFloorMessage(m.to, m.token).catch(() => undefined)));
        if (renewInMs !== null) next = renewInMs;
      } catch {
        // the main process could not sign: try again later
      }
      if (!stopped) timer = setTimeout(() => void round(), next);
    };
    void round();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      // The watched desks stop sending now rather than at the end of the lease.
      void api
        .floorWatch({ end: true })
        .then(({ messages }) => Promise.all(messages.map((m) => line.sendFloorMessage(m.to, m.token).catch(() => undefined))))
        .catch(() => undefined);
    };
  }, [api, line, registered]);
}
