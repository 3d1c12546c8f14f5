/**
 * The message form (伝言メモ): the client's fields, checked as the operator types, autosaved 300 ms
 * after the last keystroke and at most 600 ms after the first unsaved one while typing goes on (so a
 * crash loses at most about a second of typing), and handed off with a button or Ctrl+Enter. Keyboard
 * first: fields in reading order, Enter never submits, the hand-off shortcut is shown with <kbd>.
 * Every field has spellcheck and autofill off and copies through the concealed-copy handler.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessageField } from '../../../shared/directory/schema.js';
import type { KotozuteApi } from '../../../shared/ipc/contract.js';
import type { NoteView, OutboxJobView } from '../../../shared/ipc/notes-contract.js';
import { Dir, Kbd } from '../ui/text.js';
import { blockPrinting, concealedCopy } from './note-guard.js';
import { confirmIdOf, validateNote, type FieldProblem } from './note-validation.js';
import { useAutosave, type SaveStatus } from './use-autosave.js';
import { isImeKey } from '../ui/keyboard.js';

export const HAND_OFF_SHORTCUT = { label: 'Ctrl+Enter', aria: 'Control+Enter' } as const;

/** Options of an urgency field the directory left without any. */
const DEFAULT_URGENCY = ['通常', '至急'];

export interface NoteFormProps {
  api: KotozuteApi;
  view: NoteView;
  clientName: string;
  onHandedOff(result: { training: boolean; jobs: OutboxJobView[] }): void;
  onError(err: unknown): void;
  /** Whether any field holds content, after every change (and once at the start). */
  onContentChange?(hasContent: boolean): void;
  /** An autosave went through. */
  onSaved?(): void;
  /** Discards the note: offered only while every field is empty (main refuses a note with content). */
  onDiscard?(noteId: string): void;
  /** Set when the call on screen is not this note's call (issue 14 §2): which client that call is for. */
  otherCall?: { clientName: string; sameClient: boolean } | null;
}

/** Whether any field holds something other than blanks (the main process's rule, note-handlers.ts). */
export const holdsContent = (values: Readonly<Record<string, string>>): boolean => Object.values(values).some((v) => v.trim() !== '');

/** Shared attributes of every note input: no spellcheck (no text to a dictionary service), no autofill, concealed copy. */
const noteInputProps = {
  spellCheck: false,
  autoComplete: 'off',
  autoCorrect: 'off',
  autoCapitalize: 'off',
  'data-note-field': '',
  onCopy: concealedCopy,
  onCut: concealedCopy,
} as const;

export function NoteForm({ api, view, clientName, onHandedOff, onError, onContentChange, onSaved, onDiscard, otherCall = null }: NoteFormProps): ReactNode {
  const { t } = useTranslation();
  const headingId = useId();
  const noteId = view.summary.id;
  const training = view.summary.training;
  const fields = view.form.fields;
  const [values, setValues] = useState<Record<string, string>>(() => ({ ...view.fields }));
  /** Fields whose problems are shown: touched ones, or all after a hand-off attempt. */
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set(Object.keys(view.fields)));
  const [showAll, setShowAll] = useState(false);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const save = useCallback(
    async (v: Record<string, string>) => {
      const saved = await api.saveNote({ noteId, fields: v });
      onSaved?.();
      return saved;
    },
    [api, noteId, onSaved],
  );
  const autosave = useAutosave(save, onError);
  const problems = useMemo(() => validateNote(fields, values), [fields, values]);
  const problemCount = Object.keys(problems).length;

  // No printing while a note is on screen.
  useEffect(() => blockPrinting(), []);

  const filled = holdsContent(values);
  useEffect(() => onContentChange?.(filled), [filled, onContentChange]);

  const change = (id: string, value: string) => {
    setValues((prev) => {
      const next = { ...prev, [id]: value };
      autosave.schedule(next);
      return next;
    });
    setTouched((prev) => (prev.has(id) ? prev : new Set(prev).add(id)));
  };
  const touch = (id: string) => setTouched((prev) => (prev.has(id) ? prev : new Set(prev).add(id)));

  const handOff = async () => {
    if (busy) return;
    if (problemCount > 0) {
      setShowAll(true);
      // Take the operator to the first field that needs them.
      const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
      first?.focus();
      return;
    }
    setBusy(true);
    try {
      if (!(await autosave.flush())) return;
      const jobs = await api.handOffNote({ noteId });
      onHandedOff({ training, jobs });
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };

  // What was typed and deleted again is saved first, so main judges the note as it is on screen.
  const discard = async () => {
    if (busy || !onDiscard) return;
    if (await autosave.flush()) onDiscard(noteId);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    // Never during an IME conversion: the note would go with the unconverted reading.
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && !isImeKey(e)) {
      e.preventDefault();
      void handOff();
    }
  };

  const shown = (id: string): FieldProblem | undefined => (showAll || touched.has(id) ? problems[id] : undefined);
  const labelOf = (f: MessageField) => (view.form.generic ? t(`notes.field.${f.kind}`) : f.label);

  return (
    <section
      className={`panel note-panel${training ? ' note-training' : ''}${otherCall && !otherCall.sameClient ? ' note-panel-mismatch' : ''}`}
      aria-labelledby={headingId}
      data-note-id={noteId}
    >
      <header className="note-head">
        <h2 className="panel-title" id={headingId}>
          {t('notes.heading')}
        </h2>
        {training && <span className="badge badge-training">{t('notes.trainingBadge')}</span>}
        <span className="spacer" />
        <SaveIndicator status={autosave.status} />
      </header>
      {/* Whom the note is for, first and large: the next client's pop may sit beside it. */}
      <p className="note-for">
        <span className="note-for-label">{t('notes.forClient')}</span>
        <Dir className="note-client">{clientName || t('notes.unknownClient')}</Dir>
      </p>
      {otherCall && (
        <p className={`notice note-other-call${otherCall.sameClient ? '' : ' note-mismatch'}`} role="alert">
          {otherCall.sameClient
            ? t('notes.otherCallSameClient')
            : t('notes.otherClient', { note: clientName || t('notes.unknownClient'), call: otherCall.clientName || t('notes.unknownClient') })}
        </p>
      )}
      <p className="note-context">
        <span>
          <span className="muted">{t('notes.caller')}: </span>
          <Dir>{view.call.callerName}</Dir> <Dir className="muted">{view.call.callerNumber}</Dir>
        </span>
      </p>
      {training && <p className="notice notice-training">{t('notes.trainingExplain')}</p>}
      <form
        ref={formRef}
        className="note-form"
        noValidate
        autoComplete="off"
        onSubmit={(e) => e.preventDefault()}
        onKeyDown={onKeyDown}
      >
        {fields.map((f) => (
          <FieldRow
            key={f.id}
            field={f}
            label={labelOf(f)}
            value={values[f.id] ?? ''}
            confirmValue={values[confirmIdOf(f.id)] ?? ''}
            problem={shown(f.id)}
            confirmProblem={shown(confirmIdOf(f.id))}
            onChange={change}
            onBlur={touch}
          />
        ))}
        <p className="note-side-doors muted">{t('notes.sideDoors')}</p>
        {showAll && problemCount > 0 && (
          <p className="note-problems" role="alert">
            {t('notes.fixProblems', { count: problemCount })}
          </p>
        )}
        <div className="note-actions">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void handOff()}
            disabled={busy}
            aria-keyshortcuts={HAND_OFF_SHORTCUT.aria}
          >
            {t('notes.handOff')}
            <Kbd label={HAND_OFF_SHORTCUT.label} />
          </button>
          {onDiscard && !training && !filled && (
            <button type="button" className="btn btn-quiet" onClick={() => void discard()} disabled={busy}>
              {t('notes.discardEmpty')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

function SaveIndicator({ status }: { status: SaveStatus }): ReactNode {
  const { t } = useTranslation();
  let text: string;
  switch (status.state) {
    case 'idle':
      text = t('notes.notSaved');
      break;
    case 'saving':
      text = t('notes.saving');
      break;
    case 'saved':
      text = t('notes.saved', { time: clock(status.at) });
      break;
    case 'error':
      text = t('notes.saveFailed');
      break;
  }
  return (
    <span className={`save-indicator save-${status.state}`} role="status" aria-live="polite">
      {text}
    </span>
  );
}

/** HH:MM:SS, 24-hour, whatever the UI language. */
function clock(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

interface FieldRowProps {
  field: MessageField;
  label: string;
  value: string;
  confirmValue: string;
  problem: FieldProblem | undefined;
  confirmProblem: FieldProblem | undefined;
  onChange(id: string, value: string): void;
  onBlur(id: string): void;
}

function FieldRow({ field, label, value, confirmValue, problem, confirmProblem, onChange, onBlur }: FieldRowProps): ReactNode {
  const { t } = useTranslation();
  const id = useId();
  const inputId = `${id}-input`;
  const errorId = `${id}-error`;
  const common = {
    ...noteInputProps,
    id: inputId,
    name: field.id,
    value,
    required: field.required,
    'aria-invalid': problem !== undefined,
    'aria-describedby': problem ? errorId : undefined,
    onBlur: () => onBlur(field.id),
  };
  let control: ReactNode;
  switch (field.kind) {
    case 'freeText':
      control = (
        <textarea {...common} rows={5} maxLength={field.maxLength} onChange={(e) => onChange(field.id, e.target.value)} />
      );
      break;
    case 'urgency':
    case 'select': {
      const options = field.options?.length ? field.options : field.kind === 'urgency' ? DEFAULT_URGENCY : [];
      control = (
        <select {...common} onChange={(e) => onChange(field.id, e.target.value)}>
          <option value="">{t('notes.choose')}</option>
          {options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
      break;
    }
    default:
      control = (
        <input
          {...common}
          type={field.kind === 'callbackNumber' ? 'tel' : 'text'}
          inputMode={field.kind === 'callbackNumber' ? 'tel' : undefined}
          maxLength={field.maxLength}
          onChange={(e) => onChange(field.id, e.target.value)}
        />
      );
  }
  return (
    <div className={`note-field note-field-${field.kind}`}>
      <label htmlFor={inputId}>
        {label}
        {field.required && <span className="note-required"> ({t('notes.required')})</span>}
      </label>
      {control}
      {problem && (
        <p className="field-error" id={errorId}>
          {t(`notes.problem.${problem}`)}
        </p>
      )}
      {field.kind === 'callbackNumber' && (
        <ConfirmRow
          field={field}
          label={label}
          value={confirmValue}
          problem={confirmProblem}
          onChange={onChange}
          onBlur={onBlur}
        />
      )}
    </div>
  );
}

/** The callback number a second time, compared with the first. */
function ConfirmRow({
  field,
  label,
  value,
  problem,
  onChange,
  onBlur,
}: Pick<FieldRowProps, 'field' | 'label' | 'onChange' | 'onBlur'> & { value: string; problem: FieldProblem | undefined }): ReactNode {
  const { t } = useTranslation();
  const id = useId();
  const confirmId = confirmIdOf(field.id);
  return (
    <div className="note-confirm">
      <label htmlFor={`${id}-input`}>
        {label}
        {t('notes.confirmSuffix')}
      </label>
      <input
        {...noteInputProps}
        id={`${id}-input`}
        name={confirmId}
        type="tel"
        inputMode="tel"
        value={value}
        required={field.required}
        aria-invalid={problem !== undefined}
        aria-describedby={problem ? `${id}-error` : undefined}
        onChange={(e) => onChange(confirmId, e.target.value)}
        onBlur={() => onBlur(confirmId)}
      />
      {problem && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {t(`notes.problem.${problem}`)}
        </p>
      )}
    </div>
  );
}
