/*
 * Markdown made from values. Every value that reaches `npm run diff --format markdown` or the pull-request
 * comment (names, addresses, settings, messages, errors, plans) goes through one of these, never into a
 * template as it is: a value is shown, it never becomes markup. GitHub's rules (CommonMark with GFM tables
 * and autolinks, then @mentions on the rendered text) are the ones that count. docs/diff.md, "Markdown escaping".
 */

/** Line endings as Markdown reads them. */
const LINE_BREAK = /\r\n|\r|\n/g;

/** Bidirectional-text controls: they could show a value's characters in another order than they are. */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;

/** Inserted around `@` and inside `https://` and `www.`: the text reads the same, GitHub links and pings nothing. */
const ZERO_WIDTH_SPACE = '\u200B';

/** What a line break inside a one-line code span shows. */
export const LINE_BREAK_MARK = '⏎';

const clean = (value: string) => value.replace(BIDI, '\uFFFD').replace(/\0/g, '\uFFFD');

/** The length of the longest run of backticks in `value` (0 when there is none). */
function longestBacktickRun(value: string): number {
  return Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
}

/**
 * `value` as inline code, on one line: a fence of more backticks than the longest run in it, padded with
 * spaces when it starts or ends with a backtick (or with a space at both ends, which CommonMark would strip).
 * `cell`: it stands in a table cell, where GFM splits on every unescaped `|`, even inside code.
 */
export function code(value: string, { cell = false }: { readonly cell?: boolean } = {}): string {
  let body = clean(value).replace(LINE_BREAK, LINE_BREAK_MARK);
  if (cell) body = body.replace(/\|/g, '\\|');
  if (body === '') return '` `';
  const fence = '`'.repeat(longestBacktickRun(body) + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** Characters that are markup somewhere (HTML, emphasis, links, code, tables, strikethrough, math), as references. */
const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '|': '&#124;',
  '~': '&#126;',
  '\\': '&#92;',
  $: '&#36;',
};

/**
 * `value` as plain text on one line (its ends trimmed, as Markdown would), in Markdown (a paragraph, a list item, a table cell) or inside an HTML
 * block (`<summary>`): every character that is markup becomes a character reference, which both read as the
 * character itself; a line start that would make a heading, list, quote or rule is escaped too. `@name`,
 * `a@b.c`, `https://…` and `www.…` get zero-width spaces, so nobody is pinged and nothing becomes a link.
 * An underscore inside a word stays as it is (it cannot emphasize there), so addresses read well.
 */
export function text(value: string): string {
  const escaped = clean(value)
    .replace(LINE_BREAK, ' ')
    .trim()
    .replace(/[&<>"`*_[\]|~\\$]/g, (char, at: number, whole: string) =>
      char === '_' && /[A-Za-z0-9]/.test(whole[at - 1] ?? '') && /[A-Za-z0-9]/.test(whole[at + 1] ?? '') ? char : ENTITY[char],
    )
    .replace(/@(?=[\w-])/g, `${ZERO_WIDTH_SPACE}@${ZERO_WIDTH_SPACE}`)
    .replace(/\b(https?|ftp|mailto):/gi, `$1:${ZERO_WIDTH_SPACE}`)
    .replace(/\bwww\./gi, `www${ZERO_WIDTH_SPACE}.`);
  // A heading, list item, rule or setext underline when the value starts a line.
  const reference = (char: string) => `&#${char.charCodeAt(0)};`;
  return escaped.replace(/^[#+=-]/, reference).replace(/^(\d+)([.)])/, (_, number: string, char: string) => number + reference(char));
}

/**
 * `value` as a fenced code block: a fence of more backticks than any run inside (at least three), so no
 * line of the value can close it. `info` is the block's language (a fixed word, never a value).
 */
export function fence(value: string, info = ''): string {
  if (/[`\s]/.test(info)) throw new Error(`fence: the info string ${JSON.stringify(info)} may hold no backtick or space`);
  const body = clean(value).replace(LINE_BREAK, '\n').replace(/\n$/, '');
  const marks = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1));
  return `${marks}${info}\n${body}\n${marks}`;
}

/**
 * `markdown` cut to at most `limit` characters at a line end, never inside a line: a code span or escaped
 * text cut in half would let the rest of its value read as markup. A fenced block left open is closed, then
 * `note` (one line of Markdown) says it was cut.
 */
export function cutMarkdown(markdown: string, limit: number, note: string): string {
  if (markdown.length <= limit) return markdown;
  const lines = markdown.slice(0, Math.max(0, limit - note.length - 40)).split('\n');
  lines.pop();
  let open: string | undefined;
  for (const line of lines) {
    const marks = /^ {0,3}(`{3,}(?!.*`)|~{3,})/.exec(line)?.[1];
    if (!marks) continue;
    if (open === undefined) open = marks;
    else if (marks[0] === open[0] && marks.length >= open.length && /^ {0,3}[`~]+\s*$/.test(line)) open = undefined;
  }
  return [...lines, ...(open === undefined ? [] : [open]), '', note].join('\n');
}
