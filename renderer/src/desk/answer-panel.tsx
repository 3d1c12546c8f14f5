/**
 * Allowed answers (一次回答) with instant search. The index is built once per pop, after its first
 * paint (the empty search needs none); each keystroke runs a search over pre-folded text and
 * re-renders the list. The search box drives the listbox
 * (aria-activedescendant): ↑/↓ move, Enter picks, and Alt+1…9 pick straight from the desk's
 * shortcut handler through the handle below. The picked answer's wording is shown large to read.
 */
import { useEffect, useImperativeHandle, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { buildAnswerIndex, type AnswerIndex } from '../../../shared/directory/answer-search.js';
import type { AllowedAnswer, Locale } from '../../../shared/directory/schema.js';
import { queryTerms } from '../../../shared/text/fold.js';
import { afterPaint } from '../ui/after-paint.js';
import { MAX_PICK_SHORTCUTS, SHORTCUTS, pickShortcut } from '../ui/shortcuts.js';
import { Dir, Kbd } from '../ui/text.js';
import { isImeKey } from '../ui/keyboard.js';

/** What the desk's keyboard handler can ask of the panel. */
export interface AnswerPanelHandle {
  focusSearch(): void;
  /** Picks the n-th (0-based) answer of the current results; false when there is none. */
  pick(index: number): boolean;
}

export interface AnswerPanelProps {
  answers: readonly AllowedAnswer[];
  /** The language of the client's calls: the wording is read in it. */
  language: Locale;
  handle?: Ref<AnswerPanelHandle>;
}

export function AnswerPanel({ answers, language, handle }: AnswerPanelProps): ReactNode {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [picked, setPicked] = useState<AllowedAnswer | null>(null);
  // An empty search lists every answer in order and needs no index: the ring paints without it.
  const results = useMemo(
    () => (queryTerms(query).length === 0 ? answers : answerIndexOf(answers).search(query)),
    [answers, query],
  );
  // Built while the desk is idle after the pop has painted, so the first keystroke finds it ready.
  useEffect(() => whenIdle(() => void answerIndexOf(answers)), [answers]);
  // The pop's first frame lays out only the rows the list shows without scrolling; the rest follow
  // in the next frame (the panel is keyed by call, so every call starts short).
  const [allRows, setAllRows] = useState(false);
  useEffect(() => (allRows ? undefined : afterPaint(() => setAllRows(true))), [allRows]);
  const rows = allRows ? results : results.slice(0, FIRST_FRAME_ROWS);
  const searchRef = useRef<HTMLInputElement>(null);
  const listId = useId();
  const optionId = (i: number) => `${listId}-o${i}`;
  const activeIndex = Math.min(active, Math.max(results.length - 1, 0));

  const pickAt = (i: number): boolean => {
    const answer = results[i];
    if (!answer) return false;
    setActive(i);
    setPicked(answer);
    return true;
  };

  useImperativeHandle(handle, () => ({
    focusSearch() {
      searchRef.current?.focus();
      searchRef.current?.select();
    },
    pick: pickAt,
  }));

  const move = (delta: number) => {
    if (results.length === 0) return;
    const next = (activeIndex + delta + results.length) % results.length;
    setActive(next);
    document.getElementById(optionId(next))?.scrollIntoView({ block: 'nearest' });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    // Enter, Escape and the arrows confirm, cancel and pick within an IME conversion.
    if (isImeKey(e)) return;
    if (e.key === 'ArrowDown') move(1);
    else if (e.key === 'ArrowUp') move(-1);
    else if (e.key === 'Home' && e.currentTarget !== searchRef.current) setActive(0);
    else if (e.key === 'End' && e.currentTarget !== searchRef.current) setActive(Math.max(results.length - 1, 0));
    else if (e.key === 'Enter') pickAt(activeIndex);
    else if (e.key === 'Escape' && query !== '') setQuery('');
    else return;
    e.preventDefault();
  };

  return (
    <section className="panel answers-panel" aria-labelledby={`${listId}-h`}>
      <h2 className="panel-title" id={`${listId}-h`}>
        {t('pop.answers')}
        <span className="panel-count">{results.length}/{answers.length}</span>
      </h2>
      <div className="search-row">
        <input
          ref={searchRef}
          type="search"
          className="search-input"
          aria-label={t('pop.search')}
          aria-controls={listId}
          aria-activedescendant={results.length > 0 ? optionId(activeIndex) : undefined}
          aria-keyshortcuts={SHORTCUTS.search.aria}
          placeholder={t('pop.searchPlaceholder')}
          value={query}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        <Kbd label={SHORTCUTS.search.label} />
      </div>
      <p className="hint">{t('pop.searchHint')}</p>
      {answers.length === 0 ? (
        <p className="empty">{t('pop.noAnswers')}</p>
      ) : results.length === 0 ? (
        <p className="empty" role="status">
          {t('pop.noMatch')}
        </p>
      ) : null}
      <ul
        id={listId}
        role="listbox"
        className="answer-list"
        aria-label={t('pop.results')}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        hidden={results.length === 0}
      >
        {rows.map((answer, i) => (
          <li
            key={answer.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === activeIndex}
            aria-keyshortcuts={i < MAX_PICK_SHORTCUTS ? pickShortcut(i).aria : undefined}
            className={`answer-option${i === activeIndex ? ' is-active' : ''}${picked?.id === answer.id ? ' is-picked' : ''}`}
            onClick={() => pickAt(i)}
            onMouseDown={(e) => e.preventDefault()}
          >
            <span className="answer-key">{i < MAX_PICK_SHORTCUTS ? <Kbd label={pickShortcut(i).label} /> : null}</span>
            <span className="answer-topic">
              <Dir>{answer.topic}</Dir>
            </span>
            <span className="answer-preview" lang={language}>
              <Dir>{answer.wording}</Dir>
            </span>
          </li>
        ))}
      </ul>
      <section className="picked" aria-label={t('pop.picked')} aria-live="polite">
        <h3 className="picked-title">
          {t('pop.picked')}
          {picked && (
            <>
              {' — '}
              <Dir>{picked.topic}</Dir>
            </>
          )}
        </h3>
        {picked ? (
          <p className="picked-wording read-aloud" lang={language}>
            {picked.wording}
          </p>
        ) : (
          <p className="empty">{t('pop.pickedNone')}</p>
        )}
      </section>
    </section>
  );
}

/** Rows laid out in a pop's first frame: more than the list shows at 1080p without scrolling. */
const FIRST_FRAME_ROWS = 14;

/** One index per answers list (a pop's list never changes), built on first use. */
const indexes = new WeakMap<readonly AllowedAnswer[], AnswerIndex>();

function answerIndexOf(answers: readonly AllowedAnswer[]): AnswerIndex {
  let index = indexes.get(answers);
  if (!index) {
    index = buildAnswerIndex(answers);
    indexes.set(answers, index);
  }
  return index;
}

/** Runs `work` when the page is idle (soon after a paint); returns the cancel. */
function whenIdle(work: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(work, { timeout: 500 });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(work, 0);
  return () => clearTimeout(id);
}
