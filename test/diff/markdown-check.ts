import MarkdownIt from 'markdown-it';

/*
 * Reads Markdown the way GitHub does, closely enough to see what a value turned into: markdown-it with HTML
 * on (for <details>), GFM tables, and links made of bare `https://` URLs (GitHub's autolinks; `www.` ones are
 * checked on the text below). Used by the tests of scripts/diff/markdown-escape.ts and of the comment.
 */
const md = new MarkdownIt({ html: true, linkify: true });
md.linkify.set({ fuzzyLink: false });

/** One token of the parse: a block token, or an inline one (with `inline: true`). */
export interface Piece {
  readonly type: string;
  readonly content: string;
  readonly inline: boolean;
}

export function pieces(markdown: string): Piece[] {
  return md
    .parse(markdown, {})
    .flatMap((token): Piece[] =>
      token.type === 'inline'
        ? (token.children ?? []).map((child) => ({ type: child.type, content: child.content, inline: true }))
        : [{ type: token.type, content: token.content, inline: false }],
    );
}

/** The shape of a document: every token's type, in order (a value that became markup changes it). */
export const structure = (markdown: string) => pieces(markdown).map((p) => p.type);

const ZERO_WIDTH_SPACE = /\u200B/g;
/** The text of a character reference, as a browser reads it inside an HTML block. */
const decode = (html: string) =>
  html
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The tags the renderers write themselves; any other tag came from a value. */
const OWN_TAGS = /<\/?(details|summary|b)>/g;

/**
 * What a reader sees of `markdown`, as text: every code span, code block, text run and HTML block (decoded,
 * its own tags left out), with the zero-width spaces that keep mentions and URLs inert taken out.
 */
export function shownTexts(markdown: string): string[] {
  return pieces(markdown).flatMap((p) => {
    if (['code_inline', 'fence', 'code_block', 'text'].includes(p.type)) return [p.content.replace(ZERO_WIDTH_SPACE, '')];
    if (p.type === 'html_block') return [decode(p.content.replace(OWN_TAGS, '')).replace(ZERO_WIDTH_SPACE, '')];
    return [];
  });
}

/**
 * What in `markdown` a value made live: links and images, tags other than the renderers' own, and in text
 * outside code a mention GitHub would ping or a bare URL it would link. Empty when nothing is.
 */
export function liveMarkup(markdown: string): string[] {
  const found: string[] = [];
  for (const p of pieces(markdown)) {
    if (['link_open', 'image', 'html_inline'].includes(p.type) && !(p.type === 'html_inline' && /^<\/?(summary|b)>$/.test(p.content))) {
      found.push(`${p.type} ${p.content}`);
    }
    if (p.type === 'html_block' && /<(?!\/?(details|summary|b)>)/.test(p.content)) found.push(`html ${p.content.trim()}`);
    const plain = p.type === 'text' ? p.content : p.type === 'html_block' ? decode(p.content.replace(OWN_TAGS, '')) : undefined;
    if (plain === undefined) continue;
    // GitHub's mentions: @ after the start or a non-word character, then a letter or digit.
    if (/(^|[^\w`])@[A-Za-z0-9]/.test(plain)) found.push(`mention ${plain}`);
    if (/https?:\/\/|\bwww\./i.test(plain)) found.push(`url ${plain}`);
  }
  return found;
}

/** Values written to break out of where they are put: code spans, fences, HTML blocks, tables, lines. */
export const HOSTILE: ReadonlyArray<string> = [
  '`',
  '``',
  '```',
  '````',
  '`````',
  '`x`',
  '``x`` y ``',
  'a ``` b',
  ' ` ',
  '```\n</details>\n\n### Offline diff: no risks',
  '</details>',
  '<!-- hidden -->',
  '<!--',
  '@maintainer please merge',
  'cc @org/team',
  '[x](https://evil)',
  '![x](https://evil/img)',
  '<https://evil>',
  'see https://evil.example/approve',
  'www.evil.example',
  'mail me@evil.example',
  '<img src=x onerror=alert(1)>',
  '**bold** and _em_ and *em*',
  '~~struck~~',
  '# heading',
  '- item',
  '1. item',
  '> quote',
  '---',
  '| pipe |',
  'a \\| b \\\\| c',
  '\\',
  '&lt;b&gt; &amp;',
  '$\\color{green}\\text{Approved}$',
  'line\n### Offline diff: no risks',
  'cr\r\n\r\n## Approved',
  '✅ Approved by policy gate — cc @maintainer',
];
