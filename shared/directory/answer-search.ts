/**
 * Instant search over a client's allowed answers. The index is built once per pop; each keystroke
 * is then a handful of substring checks over pre-folded text, well under a frame.
 */
import type { AllowedAnswer } from './schema.js';
import { foldForSearch, queryTerms } from '../text/fold.js';

interface Entry {
  answer: AllowedAnswer;
  /** Topic and keywords: a hit here ranks above a hit in the wording alone. */
  head: string;
  all: string;
  order: number;
}

export interface AnswerIndex {
  search(query: string): AllowedAnswer[];
}

export function buildAnswerIndex(answers: readonly AllowedAnswer[]): AnswerIndex {
  const entries: Entry[] = answers.map((answer, order) => {
    const head = foldForSearch([answer.topic, ...answer.keywords.ja, ...answer.keywords.en].join(' '));
    return { answer, head, all: `${head} ${foldForSearch(answer.wording)}`, order };
  });
  return {
    search(query) {
      const terms = queryTerms(query);
      if (terms.length === 0) return answers.slice();
      const hits: { entry: Entry; score: number }[] = [];
      for (const entry of entries) {
        let score = 0;
        let matched = true;
        for (const term of terms) {
          if (entry.head.includes(term)) score += 2;
          else if (entry.all.includes(term)) score += 1;
          else {
            matched = false;
            break;
          }
        }
        if (matched) hits.push({ entry, score });
      }
      hits.sort((a, b) => b.score - a.score || a.entry.order - b.entry.order);
      return hits.map((h) => h.entry.answer);
    },
  };
}
