/**
 * Which note is on screen, tied to the call: answering a call (real or simulated) opens its note
 * (created on first open by the main process, from its own record of the call); when a training
 * call ends its note is wiped; a live note stays until it is handed off, or (empty) discarded.
 *
 * No message leaves the screen unsent (issue 14 §2): every note not yet delivered but the one on
 * screen is listed, and the list is refreshed whenever it may have changed — a call answered or
 * ended, a note opened, saved, handed off or discarded, and the outbox's own changes (the
 * `outbox-changed` desk event). When another note takes the screen while the one there holds
 * content, the operator is told that it was kept, for whom, and where it is listed.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { DeskEventSource } from '../../../shared/ipc/desk-events.js';
import type { NoteSummary, NoteView, OutboxJobView } from '../../../shared/ipc/notes-contract.js';
import { isDeskLocked, onDeskUnlocked } from '../floor/desk-unlocks.js';

export type NoteNotice =
  | { kind: 'handed-off' }
  | { kind: 'training-wiped' }
  | { kind: 'discarded' }
  /** The note on screen had content when another took its place: it is kept in the unsent list. */
  | { kind: 'kept'; clientName: string }
  | null;

export interface NoteSession {
  note: NoteView | null;
  /** Every note not yet delivered but the one on screen, oldest first. */
  unfinished: NoteSummary[];
  notice: NoteNotice;
  reopen(callId: string): void;
  /** Discards an empty live draft (main refuses a note with content) or a training note. */
  discard(noteId: string): void;
  handedOff(result: { training: boolean; jobs: OutboxJobView[] }): void;
  /** The form's fields changed: whether any holds content now. */
  contentChanged(hasContent: boolean): void;
  /** The open note was saved: the list's counts may have changed. */
  saved(): void;
  dismissNotice(): void;
}

/** The call whose note should be on screen: an answered call (simulated or live), or none. */
export type NoteCall = { callId: string } | null;

export function useNoteSession(
  api: KotozuteApi,
  call: NoteCall,
  report: (err: unknown) => void,
  events: DeskEventSource | null = null,
): NoteSession {
  const [note, setNote] = useState<NoteView | null>(null);
  const [unfinished, setUnfinished] = useState<NoteSummary[]>([]);
  const [notice, setNotice] = useState<NoteNotice>(null);
  const noteRef = useRef<NoteView | null>(null);
  // Read when a call ends; updated before the effect below runs (effects run in order).
  useEffect(() => {
    noteRef.current = note;
  }, [note]);
  /** Whether the note on screen holds content, as its form last said. */
  const hasContent = useRef(false);
  const lastCall = useRef<string | null>(null);

  // One listNotes at a time; a refresh asked for meanwhile runs once the answer is in, so the list
  // always ends on the latest state and answers never land out of order.
  const listing = useRef<{ running: boolean; again: boolean }>({ running: false, again: false });
  const refresh = useCallback(() => {
    const l = listing.current;
    if (l.running) {
      l.again = true;
      return;
    }
    l.running = true;
    void (async () => {
      do {
        l.again = false;
        try {
          const list = await api.listNotes();
          setUnfinished(list.filter((n) => n.state !== 'delivered'));
        } catch (err) {
          // Refused while the desk is locked: the list stays as it was and is read again on unlock.
          // Without the keychain this refuses too; the desk's keychain notice already says why.
          if (!isDeskLocked(err)) setUnfinished([]);
        }
      } while (l.again);
      l.running = false;
    })();
  }, [api]);

  useEffect(refresh, [refresh]);
  // The desk was unlocked: what was refused while it was locked is read again.
  useEffect(() => onDeskUnlocked(refresh), [refresh]);
  // The outbox changed (a delivery failed, was re-queued, went through): the list follows.
  useEffect(() => events?.onDeskEvent((e) => e.type === 'outbox-changed' && refresh()), [events, refresh]);

  /** What to tell the operator when the note on screen gives way to the note of `callId`. */
  const leaving = useCallback((callId: string): NoteNotice => {
    const current = noteRef.current;
    if (!current || current.summary.callId === callId || current.summary.training || !hasContent.current) return null;
    return { kind: 'kept', clientName: current.summary.clientName };
  }, []);

  const open = useCallback(
    (callId: string, forCall: boolean) => {
      const after = leaving(callId);
      api.openNote({ callId }).then((view) => {
        if (forCall && view.summary.training && lastCall.current !== callId) {
          // The training call ended while its note was opening: it goes with the call.
          void api.discardNote({ noteId: view.summary.id }).catch(report);
          return;
        }
        hasContent.current = view.summary.hasContent;
        setNote(view);
        setNotice(after);
        refresh();
      }, report);
    },
    [api, report, refresh, leaving],
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
        setNotice({ kind: 'training-wiped' });
        refresh();
      }, report);
    }
    if (callId !== null) open(callId, true);
    else refresh();
  }, [callId, open, api, report, refresh]);

  const discard = useCallback(
    (noteId: string) => {
      api.discardNote({ noteId }).then(
        () => {
          if (noteRef.current?.summary.id === noteId) setNote(null);
          setNotice({ kind: 'discarded' });
          refresh();
        },
        (err: unknown) => {
          report(err);
          refresh();
        },
      );
    },
    [api, report, refresh],
  );

  return {
    note,
    unfinished: unfinished.filter((n) => n.id !== note?.summary.id),
    notice,
    reopen: (id) => open(id, false),
    discard,
    handedOff({ training }) {
      setNote(null);
      setNotice({ kind: training ? 'training-wiped' : 'handed-off' });
      refresh();
    },
    contentChanged(has) {
      hasContent.current = has;
    },
    saved: refresh,
    dismissNotice: () => setNotice(null),
  };
}
