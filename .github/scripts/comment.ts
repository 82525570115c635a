import { cutMarkdown, fence, text } from '../../scripts/diff/markdown-escape';

/** GitHub rejects comments longer than this. */
export const GITHUB_COMMENT_LIMIT = 65536;

/** Hidden marker the workflow finds the comment by, to update it instead of adding another. */
export const COMMENT_MARKER = '<!-- aks-environments:pr-review -->';

/**
 * One part of the comment: a heading, a short summary, and optional long details that may be trimmed.
 * `title`, `summary` and `markdown` are Markdown whose values the section's builder escaped
 * (scripts/diff/markdown-escape.ts); `details` and `detailsLabel` are plain text, escaped here.
 */
export interface Section {
  readonly title: string;
  readonly summary: string;
  /** Plain text (a plan, an error), shown in a code block that nothing in it can close. */
  readonly details?: string;
  /** Label of the collapsible details. @default 'Details' */
  readonly detailsLabel?: string;
  /**
   * Markdown shown as it is instead of title, summary and details (the offline diff, which
   * renderMarkdown has already fitted to its share of the comment). Never trimmed here.
   */
  readonly markdown?: string;
}

function render(section: Section, details: string | undefined): string {
  if (section.markdown !== undefined) return section.markdown.trim();
  const parts = [`### ${section.title}`, '', section.summary];
  if (details !== undefined && details.length > 0) {
    parts.push('', `<details><summary>${text(section.detailsLabel ?? 'Details')}</summary>`, '', fence(details, 'diff'), '', '</details>');
  }
  return parts.join('\n');
}

const TRIMMED = '\n... (trimmed to fit the comment; the full output is in the workflow run and its artifact)';

/**
 * The whole comment. When it would exceed `limit`, the details of the longest sections are cut
 * first, so every summary always shows.
 */
export function renderComment(heading: string, sections: ReadonlyArray<Section>, limit = GITHUB_COMMENT_LIMIT): string {
  const head = `${COMMENT_MARKER}\n## ${text(heading)}\n`;
  const full = (details: Array<string | undefined>) => [head, ...sections.map((s, i) => render(s, details[i]))].join('\n\n');
  const details = sections.map((s) => s.details);
  let markdown = full(details);
  while (markdown.length > limit) {
    const longest = details.reduce((best, d, i) => ((d?.length ?? 0) > (details[best]?.length ?? 0) ? i : best), 0);
    const current = details[longest];
    if (!current) break;
    const keep = Math.max(0, current.length - (markdown.length - limit) - TRIMMED.length - 200);
    details[longest] = keep > 0 ? current.slice(0, keep) + TRIMMED : undefined;
    markdown = full(details);
  }
  return cutMarkdown(markdown, limit, '… (cut to fit the comment)');
}
