/**
 * The note column of the desk: the open note's form, what happened to the last one, and every note
 * not yet delivered (issue 14 §2), in two groups that say what each needs: drafts to continue (and,
 * when empty, to discard), and messages handed off but not delivered, which the outbox shows and
 * sends again.
 */
import { useId, useRef, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { NoteSummary } from '../../../shared/ipc/notes-contract.js';
import { Dir } from '../ui/text.js';
import { NoteForm } from './note-form.js';
import type { NoteNotice, NoteSession } from './use-note-session.js';

/** The call whose pop is on screen, as far as the note column needs it. */
export interface PopOnScreen {
  callId: string;
  /** null when the dialled number is not in the directory. */
  clientId: string | null;
  clientName: string;
}

export interface NoteAreaProps {
  api: KotozuteApi;
  session: NoteSession;
  /** The pop beside the note, if any: when it is another call's, the note says so. */
  pop: PopOnScreen | null;
  onOutbox(): void;
  onError(err: unknown): void;
}

/** Whether the desk should give the note column room. */
export const noteAreaVisible = (s: NoteSession): boolean => s.note !== null || s.unfinished.length > 0 || s.notice !== null;

/** Drafts the operator continues here; the rest are handed off and the outbox's to send. */
const toContinue = (n: NoteSummary): boolean => n.state === 'draft' || n.state === 'ready';

export function NoteArea({ api, session, pop, onOutbox, onError }: NoteAreaProps): ReactNode {
  const { t } = useTranslation();
  const { note } = session;
  const listRef = useRef<HTMLHeadingElement>(null);
  const otherCall =
    note && pop && pop.callId !== note.summary.callId
      ? { clientName: pop.clientName, sameClient: pop.clientId === note.summary.clientId }
      : null;
  return (
    <div className="note-area">
      {session.notice && <Notice notice={session.notice} unsent={session.unfinished.length} onDismiss={session.dismissNotice} />}
      {/* Below a long form the list may be out of sight: its count stays on top, one click away. */}
      {note && session.unfinished.length > 0 && (
        <button
          type="button"
          className="btn btn-quiet unsent-jump"
          onClick={() => {
            listRef.current?.scrollIntoView({ block: 'start' });
            listRef.current?.focus();
          }}
        >
          {t('notes.unfinished.jump', { count: session.unfinished.length })}
        </button>
      )}
      {note && (
        <NoteForm
          key={note.summary.id}
          api={api}
          view={note}
          clientName={note.summary.clientName}
          onHandedOff={session.handedOff}
          onError={onError}
          onContentChange={session.contentChanged}
          onSaved={session.saved}
          onDiscard={session.discard}
          otherCall={otherCall}
        />
      )}
      {session.unfinished.length > 0 && (
        <UnfinishedNotes headingRef={listRef} notes={session.unfinished} onReopen={session.reopen} onDiscard={session.discard} onOutbox={onOutbox} />
      )}
    </div>
  );
}

function Notice({ notice, unsent, onDismiss }: { notice: NonNullable<NoteNotice>; unsent: number; onDismiss(): void }): ReactNode {
  const { t } = useTranslation();
  const kept = notice.kind === 'kept';
  let text: string;
  switch (notice.kind) {
    case 'handed-off':
      text = t('notes.handedOff');
      break;
    case 'training-wiped':
      text = t('notes.trainingWiped');
      break;
    case 'discarded':
      text = t('notes.discarded');
      break;
    case 'kept':
      text = t('notes.kept', { client: notice.clientName || t('notes.unknownClient'), count: unsent });
      break;
  }
  return (
    // A message with content leaving the screen is a warning, said at once.
    <p className={`notice ${kept ? 'notice-warning note-kept' : 'notice-info'} note-notice`} role={kept ? 'alert' : 'status'}>
      <span>{text}</span>
      <button type="button" className="btn btn-quiet" onClick={onDismiss}>
        {t('banner.dismiss')}
      </button>
    </p>
  );
}

interface UnfinishedProps {
  headingRef: RefObject<HTMLHeadingElement | null>;
  notes: readonly NoteSummary[];
  onReopen(callId: string): void;
  onDiscard(noteId: string): void;
  onOutbox(): void;
}

function UnfinishedNotes({ headingRef, notes, onReopen, onDiscard, onOutbox }: UnfinishedProps): ReactNode {
  const { t } = useTranslation();
  const id = useId();
  const drafts = notes.filter(toContinue);
  const sent = notes.filter((n) => !toContinue(n));
  return (
    <section className="panel unfinished-notes" aria-labelledby={id}>
      <h2 className="panel-title" id={id} ref={headingRef} tabIndex={-1}>
        {t('notes.unfinished.heading')} ({notes.length})
      </h2>
      {drafts.length > 0 && (
        <NoteGroup title={t('notes.unfinished.draftsHeading', { count: drafts.length })} hint={t('notes.unfinished.hint')} notes={drafts}>
          {(n) => (
            <>
              <button type="button" className="btn" onClick={() => onReopen(n.callId)}>
                {t('notes.unfinished.reopen')}
              </button>
              {!n.hasContent && !n.training && (
                <button type="button" className="btn btn-quiet" onClick={() => onDiscard(n.id)}>
                  {t('notes.discardEmpty')}
                </button>
              )}
            </>
          )}
        </NoteGroup>
      )}
      {sent.length > 0 && (
        <NoteGroup title={t('notes.unfinished.outboxHeading', { count: sent.length })} hint={t('notes.unfinished.outboxHint')} notes={sent}>
          {() => null}
        </NoteGroup>
      )}
      {sent.length > 0 && (
        <button type="button" className="btn" onClick={onOutbox}>
          {t('notes.unfinished.openOutbox')}
        </button>
      )}
    </section>
  );
}

interface NoteGroupProps {
  title: string;
  hint: string;
  notes: readonly NoteSummary[];
  children(n: NoteSummary): ReactNode;
}

function NoteGroup({ title, hint, notes, children }: NoteGroupProps): ReactNode {
  const { t, i18n } = useTranslation();
  const id = useId();
  const time = (iso: string) => new Date(iso).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'ja-JP', { dateStyle: 'short', timeStyle: 'short' });
  return (
    <section className="unfinished-group" aria-labelledby={id}>
      <h3 className="unfinished-group-title" id={id}>
        {title}
      </h3>
      <p className="muted">{hint}</p>
      <ul className="unfinished-list">
        {notes.map((n) => (
          <li key={n.id}>
            <span className="unfinished-who">
              <Dir>{n.clientName || t('notes.unknownClient')}</Dir>
              {n.training && <span className="badge badge-training">{t('notes.trainingBadge')}</span>}
            </span>
            <span className="muted">
              {time(n.createdAt)} · {t(`notes.state.${n.state}`)} · {n.hasContent ? t('notes.unfinished.savedCount', { count: n.saves }) : t('notes.unfinished.empty')}
              {n.expiresAt && <> · {t('notes.unfinished.expires', { time: time(n.expiresAt) })}</>}
            </span>
            <span className="unfinished-actions">{children(n)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
