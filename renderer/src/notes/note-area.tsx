/**
 * The note column of the desk: the open note's form, what happened to the last one, and the
 * unfinished notes to reopen after a restart.
 */
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { NoteSummary } from '../../../shared/ipc/notes-contract.js';
import { Dir } from '../ui/text.js';
import { NoteForm } from './note-form.js';
import type { NoteSession } from './use-note-session.js';

export interface NoteAreaProps {
  api: KotozuteApi;
  session: NoteSession;
  onError(err: unknown): void;
}

/** Whether the desk should give the note column room. */
export const noteAreaVisible = (s: NoteSession): boolean => s.note !== null || s.unfinished.length > 0 || s.notice !== null;

export function NoteArea({ api, session, onError }: NoteAreaProps): ReactNode {
  const { t } = useTranslation();
  const { note } = session;
  return (
    <div className="note-area">
      {session.notice && (
        <p className="notice notice-info note-notice" role="status">
          {t(session.notice === 'handed-off' ? 'notes.handedOff' : 'notes.trainingWiped')}
          <button type="button" className="btn btn-quiet" onClick={session.dismissNotice}>
            {t('banner.dismiss')}
          </button>
        </p>
      )}
      {note && (
        <NoteForm
          key={note.summary.id}
          api={api}
          view={note}
          clientName={note.summary.clientName}
          onHandedOff={session.handedOff}
          onError={onError}
        />
      )}
      {session.unfinished.length > 0 && <UnfinishedNotes notes={session.unfinished} onReopen={session.reopen} />}
    </div>
  );
}

function UnfinishedNotes({ notes, onReopen }: { notes: readonly NoteSummary[]; onReopen(callId: string): void }): ReactNode {
  const { t, i18n } = useTranslation();
  const id = useId();
  const time = (iso: string) => new Date(iso).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'ja-JP', { dateStyle: 'short', timeStyle: 'short' });
  return (
    <section className="panel unfinished-notes" aria-labelledby={id}>
      <h2 className="panel-title" id={id}>
        {t('notes.unfinished.heading')} ({notes.length})
      </h2>
      <p className="muted">{t('notes.unfinished.hint')}</p>
      <ul className="unfinished-list">
        {notes.map((n) => (
          <li key={n.id}>
            <span className="unfinished-who">
              <Dir>{n.clientName || t('notes.unknownClient')}</Dir>
              {n.training && <span className="badge badge-training">{t('notes.trainingBadge')}</span>}
            </span>
            <span className="muted">
              {time(n.createdAt)} · {t(`notes.state.${n.state}`)} · {t('notes.unfinished.savedCount', { count: n.saves })}
              {n.expiresAt && <> · {t('notes.unfinished.expires', { time: time(n.expiresAt) })}</>}
            </span>
            <button type="button" className="btn" onClick={() => onReopen(n.callId)}>
              {t('notes.unfinished.reopen')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
