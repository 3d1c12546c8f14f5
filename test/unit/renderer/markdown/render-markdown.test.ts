import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MARKDOWN_ELEMENTS, renderMarkdown } from '../../../../renderer/src/markdown/render-markdown.js';

const html = (source: string) => renderToStaticMarkup(createElement('div', null, renderMarkdown(source)));

/**
 * Every start tag in the markup, apart from the wrapping div. React escapes `<` in text, so each
 * literal `<` in the output really begins a tag.
 */
function tagsIn(markup: string): { name: string; attrs: string }[] {
  return [...markup.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)]
    .map((m) => ({ name: m[1]!.toLowerCase(), attrs: m[2]!.replace(/\/$/, '').trim() }))
    .slice(1);
}

const allowed = new Set<string>(MARKDOWN_ELEMENTS);

const hostile = [
  '<script>alert(1)</script>',
  'before <script>document.title="pwned"</script> after',
  '<img src=x onerror=alert(1)>',
  'inline <img src="x" onerror="alert(1)"> image',
  '![x](javascript:alert(1))',
  '[call me](javascript:alert(1))',
  '<a href="javascript:alert(1)">click</a>',
  'https://evil.example/steal autolink',
  '<iframe src="https://evil.example"></iframe>',
  '<svg onload=alert(1)></svg>',
  '<style>body{display:none}</style>',
  '```\n<script>alert(1)</script>\n```',
  '> <b>quoted</b>',
  '| a | b |\n|---|---|\n| <i>x</i> | y |',
  '**bold <u>under</u>** and *em <span style="color:red">x</span>*',
  '- item <object data=x></object>\n- `code <b>`',
  '# Heading <img src=x onerror=alert(1)>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  'RTL \u202Eevil\u202C text',
];

describe('script Markdown rendering', () => {
  it('renders the allowed subset as elements', () => {
    const markup = html('# 見出し\n\n**強調** と *斜体* と `コード`\n\n- 一\n- 二\n\n1. a\n2. b\n\n行1  \n行2');
    expect(markup).toContain('<h4>見出し</h4>');
    expect(markup).toContain('<strong>強調</strong>');
    expect(markup).toContain('<em>斜体</em>');
    expect(markup).toContain('<code>コード</code>');
    expect(markup).toContain('<ul><li>一</li><li>二</li></ul>');
    expect(markup).toContain('<ol><li>a</li><li>b</li></ol>');
    expect(markup).toContain('<br/>');
  });

  it.each(hostile)('produces no element outside the subset for %j', (source) => {
    const markup = html(source);
    const tags = tagsIn(markup);
    expect(tags.map((t) => t.name).filter((name) => !allowed.has(name))).toEqual([]);
    // No element carries an attribute at all (an ordered list's start number aside).
    expect(tags.filter((t) => t.attrs !== '' && !(t.name === 'ol' && /^start="\d+"$/.test(t.attrs)))).toEqual([]);
  });

  it('keeps raw HTML as visible, escaped text', () => {
    const markup = html('before <script>alert(1)</script> after');
    expect(markup).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(markup).toContain('before');
    expect(markup).toContain('after');
    expect(html('<img src=x onerror=alert(1)>')).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('shows links and images as the text they were written as', () => {
    expect(html('[call me](javascript:alert(1))')).toContain('[call me](javascript:alert(1))');
    expect(html('![x](javascript:alert(1))')).toContain('![x](javascript:alert(1))');
  });

  it('keeps a right-to-left override as a character, inside its own block', () => {
    const markup = html('RTL \u202Eevil\u202C text');
    expect(markup).toBe('<div><p>RTL \u202Eevil\u202C text</p></div>');
  });
});
