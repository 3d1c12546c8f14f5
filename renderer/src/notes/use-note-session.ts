/**
 * Which note is on screen, tied to the call: answering a call (real or simulated) opens its note
 * (created on first open by the main process, from its own record of the call); when a training
 * call ends its note is wiped; a live note stays until it is handed off. Unfinished notes from
 * before a restart are listed so the operator can reopen them.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { NoteSummary, NoteView, OutboxJobView } from '../../../shared/ipc/notes-contract.js';

export type NoteNotice = 'handed-off' | 'training-wiped' | null;

export interface NoteSession {
  note: NoteView | null;
  unfinished: NoteSummary[];
  notice: NoteNotice;
  reopen(callId: string): void;
  handedOff(result: { training: boolean; jobs: OutboxJobView[] }): void;
  dismissNotice(): void;
}

/** The call whose note should be on screen: an answered call (simulated or live), or none. */
export type NoteCall = { callId: string } | null;

export function useNoteSession(api: KotozuteApi, call: NoteCall, report: (err: unknown) => void): NoteSession {
  const [note, setNote] = useState<NoteView | null>(null);
  const [unfinished, setUnfinished] = useState<NoteSummary[]>([]);
  const [notice, setNotice] = useState<NoteNotice>(null);
  const noteRef = useRef<NoteView | null>(null);
  // Read when a call ends; updated before the effect below runs (effects run in order).
  useEffect(() => {
    noteRef.current = note;
  }, [note]);
  const lastCall = useRef<string | null>(null);

  const refresh = useCallback(() => {
    // Without the keychain this refuses; the desk's keychain notice already says why.
    api.listNotes().then(setUnfinished, () => setUnfinished([]));
  }, [api]);

  useEffect(refresh, [refresh]);

  const open = useCallback(
    (callId: string, forCall: boolean) => {
      api.openNote({ callId }).then((view) => {
        if (forCall && view.summary.training && lastCall.current !== callId) {
          // The training call ended while its note was opening: it goes with the call.
          void api.discardNote({ noteId: view.summary.id }).catch(report);
          return;
        }
        setNote(view);
        setNotice(null);
      }, report);
    },
    [api, report],
  );

  const callId = call?.callId ?? null;
  useEffect(() => {
    if (callId === lastCall.current) return;
    const ended = lastCall.current;
    lastCall.current = callId;
    const current = noteRef.current;
    // A training call's note goes with the call; a live one stays until it is handed off.
    if (ended !== null && current && current.summary.training && current.summary.callId === ended) {
      setNote(null);
      api.discardNote({ noteId: current.summary.id }).then(() => {
        setNotice('training-wiped');
        refresh();
      }, report);
    }
    if (callId !== null) open(callId, true);
  }, [callId, open, api, report, refresh]);

  return {
    note,
    unfinished: unfinished.filter((n) => n.id !== note?.summary.id),
    notice,
    reopen: (callId) => open(callId, false),
    handedOff({ training }) {
      setNote(null);
      setNotice(training ? 'training-wiped' : 'handed-off');
      refresh();
    },
    dismissNotice: () => setNotice(null),
  };
}
