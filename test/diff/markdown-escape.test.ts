import { code, cutMarkdown, fence, LINE_BREAK_MARK, text } from '../../scripts/diff/markdown-escape';
import { HOSTILE, liveMarkup, pieces, shownTexts, structure } from './markdown-check';

/** A value as a one-line code span shows it. */
const asCode = (value: string) => value.replace(/\r\n|\r|\n/g, LINE_BREAK_MARK);
/** A value as one line of text shows it. */
const asText = (value: string) => value.replace(/\r\n|\r|\n/g, ' ');

describe('markdown escaping (scripts/diff/markdown-escape.ts)', () => {
  it('the checker sees a value that was put into Markdown as it is', () => {
    expect(liveMarkup('see [x](https://evil) and ![i](https://evil/img)').length).toBe(2);
    expect(liveMarkup('cc @maintainer')).toEqual(['mention cc @maintainer']);
    expect(liveMarkup('<details><summary><b>x</b></summary>\n\n</details>')).toEqual([]);
    expect(liveMarkup('<details><summary><b><img src=x></b></summary>')).toHaveLength(1);
    expect(structure('**bold**')).not.toEqual(structure('plain'));
  });

  describe.each(HOSTILE.map((v) => [JSON.stringify(v), v]))('%s', (_, value) => {
    it('stays one code span, its text unchanged, in a paragraph and in a table cell', () => {
      const inline = pieces(`Value: ${code(value)} end`).filter((p) => p.inline);
      expect(inline.map((p) => p.type)).toEqual(['text', 'code_inline', 'text']);
      expect(inline[1].content).toBe(asCode(value));
      const table = `| a | b |\n| --- | --- |\n| ${code(value, { cell: true })} | ${code(value, { cell: true })} |`;
      const cells = pieces(table).filter((p) => p.inline && p.type === 'code_inline');
      expect(cells.map((c) => c.content)).toEqual([asCode(value), asCode(value)].slice(0, cells.length));
      expect(cells).toHaveLength(2);
      expect(structure(table)).toEqual(structure('| a | b |\n| --- | --- |\n| `x` | `y` |'));
    });

    it('stays plain text in a paragraph, a list item, a table cell and an HTML <summary>, pinging and linking nothing', () => {
      for (const markdown of [
        `${text(value)}`,
        `- **env**: ${text(value)}`,
        `| a |\n| --- |\n| ${text(value)} |`,
        `<details><summary><b>${text(value)}</b>: 1 change</summary>\n\n</details>`,
      ]) {
        const plain = markdown.replace(text(value), 'plain');
        expect([markdown, structure(markdown)]).toEqual([markdown, structure(plain)]);
        expect(liveMarkup(markdown)).toEqual([]);
        expect(shownTexts(markdown).join('')).toContain(asText(value).trim());
      }
    });

    it('stays inside a fenced block that no line of it closes', () => {
      const markdown = `<details><summary>Error</summary>\n\n${fence(value, 'diff')}\n\n</details>\n\nafter`;
      const blocks = pieces(markdown).filter((p) => !p.inline);
      expect(blocks.map((b) => b.type)).toEqual(['html_block', 'fence', 'html_block', 'paragraph_open', 'paragraph_close']);
      expect(blocks[1].content).toBe(`${value.replace(/\r\n|\r/g, '\n').replace(/\n$/, '')}\n`);
    });
  });

  it('pads a code span that starts or ends with a backtick or has spaces at both ends, and shows an empty value as a space', () => {
    expect(code('`a')).toBe('`` `a ``');
    expect(code('a``')).toBe('``` a`` ```');
    expect(code(' a ')).toBe('`  a  `');
    expect(code('a')).toBe('`a`');
    expect(code('')).toBe('` `');
  });

  it('leaves a word with underscores as it is and escapes the rest', () => {
    expect(text('azurerm_kubernetes_cluster.Cluster_EB0386A7')).toBe('azurerm_kubernetes_cluster.Cluster_EB0386A7');
    expect(text('_em_ *b*')).toBe('&#95;em&#95; &#42;b&#42;');
    expect(text('# h')).toBe('&#35; h');
    expect(text('12. x')).toBe('12&#46; x');
    expect(text('@maintainer')).toBe('\u200B@\u200Bmaintainer');
  });

  it('hides bidirectional-text controls, which could show a value in another order', () => {
    expect(text('a\u202Eb')).toBe('a\uFFFDb');
    expect(code('a\u2066b')).toBe('`a\uFFFDb`');
    expect(fence('a\u202Eb')).toBe('```\na\uFFFDb\n```');
  });

  it('refuses an info string that could end the fence line', () => {
    expect(() => fence('x', 'diff`')).toThrow(/info string/);
  });

  describe('cutMarkdown', () => {
    it('leaves what fits as it is', () => {
      expect(cutMarkdown('short', 100, 'cut')).toBe('short');
    });

    it('cuts at a line end, never inside a code span whose rest would turn live', () => {
      const line = `- ${code('[x](https://evil) @maintainer **bold**')}`;
      const markdown = ['# Title', ...Array.from({ length: 50 }, () => line)].join('\n');
      for (let limit = 100; limit < markdown.length; limit += 37) {
        const cut = cutMarkdown(markdown, limit, '… (cut)');
        expect(cut.length).toBeLessThanOrEqual(limit);
        expect(cut.endsWith('\n\n… (cut)')).toBe(true);
        expect(liveMarkup(cut)).toEqual([]);
      }
    });

    it('closes a fenced block it cuts into, so the note and nothing else follows it', () => {
      const markdown = `intro\n\n${fence(Array.from({ length: 40 }, (_, i) => `line ${i} [x](https://evil)`).join('\n'), 'diff')}\n\nafter`;
      const cut = cutMarkdown(markdown, 300, '… (cut)');
      expect(cut.length).toBeLessThanOrEqual(300);
      expect(
        pieces(cut)
          .filter((p) => !p.inline)
          .map((p) => p.type),
      ).toEqual(['paragraph_open', 'paragraph_close', 'fence', 'paragraph_open', 'paragraph_close']);
      expect(cut.endsWith('```\n\n… (cut)')).toBe(true);
    });
  });
});
