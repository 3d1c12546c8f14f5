/**
 * Script sections are a small Markdown subset written by the directory admin — hostile text until
 * proven otherwise. marked's Lexer turns them into tokens, and this file turns the tokens into React
 * elements one by one. Only paragraphs, lists, emphasis, code spans, headings and line breaks become
 * elements; anything else (raw HTML, links, images, tables…) is shown as the text it was written as.
 * No HTML string is ever produced, so nothing here can reach the DOM as markup.
 */
import { Fragment, type ReactNode } from 'react';
import { Lexer, type MarkedToken, type Token } from 'marked';

/** Element names this renderer can produce; the hostile-input test holds it to this list. */
export const MARKDOWN_ELEMENTS = ['p', 'ul', 'ol', 'li', 'strong', 'em', 'code', 'h4', 'h5', 'br'] as const;

const lexerOptions = { gfm: true, breaks: false } as const;

/**
 * Lexing is the costliest step of painting a pop's script (marked's regular expressions, about a
 * millisecond per client), and the same clients ring again and again. The tokens of recent sources
 * are kept; they are never mutated after lexing, so sharing them between renders is safe.
 */
const TOKEN_CACHE_SIZE = 256;
const tokenCache = new Map<string, readonly Token[]>();

function lex(source: string): readonly Token[] {
  const cached = tokenCache.get(source);
  if (cached) {
    // Refresh its place: the Map's insertion order is the eviction order.
    tokenCache.delete(source);
    tokenCache.set(source, cached);
    return cached;
  }
  const tokens = new Lexer(lexerOptions).lex(source);
  tokenCache.set(source, tokens);
  if (tokenCache.size > TOKEN_CACHE_SIZE) {
    const oldest = tokenCache.keys().next().value;
    if (oldest !== undefined) tokenCache.delete(oldest);
  }
  return tokens;
}

/** Renders a Markdown-subset string as inert React elements. */
export function renderMarkdown(source: string): ReactNode {
  return renderBlocks(lex(source), 'b');
}

function renderBlocks(tokens: readonly Token[], keyPrefix: string): ReactNode[] {
  const out: ReactNode[] = [];
  tokens.forEach((token, i) => {
    const node = renderBlock(token, `${keyPrefix}${i}`);
    if (node !== null) out.push(node);
  });
  return out;
}

function renderBlock(token: Token, key: string): ReactNode {
  // Tokens.Generic (from marked extensions) has `type: string`; we register none, so treat the
  // token as one of marked's own and fall back to raw text for anything unexpected.
  const t = token as MarkedToken;
  switch (t.type) {
    case 'space':
      return null;
    case 'paragraph':
      return <p key={key}>{renderInline(t.tokens, key)}</p>;
    case 'heading': {
      // Section titles are h3 on the desk; headings inside a section sit below them.
      const Tag = t.depth <= 2 ? 'h4' : 'h5';
      return <Tag key={key}>{renderInline(t.tokens, key)}</Tag>;
    }
    case 'list': {
      const items = t.items.map((item, j) => (
        <li key={`${key}-${j}`}>{renderListItem(item.tokens, `${key}-${j}`)}</li>
      ));
      if (t.ordered) {
        const start = typeof t.start === 'number' && t.start !== 1 ? t.start : undefined;
        return (
          <ol key={key} start={start}>
            {items}
          </ol>
        );
      }
      return <ul key={key}>{items}</ul>;
    }
    case 'text':
      // A bare text block (e.g. inside a tight list item) carries inline tokens.
      return <Fragment key={key}>{t.tokens ? renderInline(t.tokens, key) : t.text}</Fragment>;
    default:
      // html, code, blockquote, table, hr, def, …: the author's own characters, as a paragraph.
      return <p key={key}>{token.raw.replace(/\n+$/, '')}</p>;
  }
}

function renderListItem(tokens: readonly Token[], key: string): ReactNode[] {
  return tokens.map((token, i) => {
    const k = `${key}.${i}`;
    const t = token as MarkedToken;
    if (t.type === 'text') return <Fragment key={k}>{t.tokens ? renderInline(t.tokens, k) : t.text}</Fragment>;
    return renderBlock(token, k);
  });
}

function renderInline(tokens: readonly Token[], keyPrefix: string): ReactNode[] {
  return tokens.map((token, i) => {
    const key = `${keyPrefix}.${i}`;
    const t = token as MarkedToken;
    switch (t.type) {
      case 'text':
        return <Fragment key={key}>{t.tokens ? renderInline(t.tokens, key) : t.text}</Fragment>;
      case 'escape':
        return <Fragment key={key}>{t.text}</Fragment>;
      case 'strong':
        return <strong key={key}>{renderInline(t.tokens, key)}</strong>;
      case 'em':
        return <em key={key}>{renderInline(t.tokens, key)}</em>;
      case 'codespan':
        return <code key={key}>{t.text}</code>;
      case 'br':
        return <br key={key} />;
      default:
        // html tags, links (javascript: or not), images, strikethrough: shown exactly as written.
        return <Fragment key={key}>{token.raw}</Fragment>;
    }
  });
}
