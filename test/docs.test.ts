import * as fs from 'node:fs';
import * as path from 'node:path';

/*
 * The README is the front door and docs/ holds the depth: the README stays short, every relative link
 * (and anchor) leads somewhere, and neither tells the project's own development history.
 */
const ROOT = path.resolve(__dirname, '..');
const PAGES = [
  'README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
const read = (page: string) => fs.readFileSync(path.join(ROOT, page), 'utf8');

/** The page's lines with fenced code blocks blanked (line numbers kept). */
function prose(text: string): string[] {
  let fenced = false;
  return text.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line;
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

/** The anchors of a Markdown file's headings, with GitHub's -1, -2 suffixes for repeats. */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of prose(fs.readFileSync(file, 'utf8'))) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** Markdown link targets outside code (fenced blocks and inline spans). */
function links(text: string): { line: number; target: string }[] {
  return prose(text).flatMap((line, i) =>
    [...line.replace(/`[^`]*`/g, '').matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => ({ line: i + 1, target: m[1] })),
  );
}

/** Marks of the project's own development history: sessions, issue numbers, commit hashes, anecdotes. */
function historyMarkers(text: string): string[] {
  const found: string[] = [];
  for (const [i, raw] of prose(text).entries()) {
    // URLs may carry numbers and hashes (an upstream issue, a pinned commit): only the words count.
    const line = raw.replace(/\]\([^)]*\)/g, ']').replace(/\bhttps?:\/\/\S+/g, '');
    for (const pattern of [
      /\bsessions? \d+/gi,
      /\bissues? #?\d+/gi,
      /(?<![\w&/])#\d+\b/g,
      /\bthis machine\b/gi,
      /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b/g,
    ]) {
      for (const m of line.matchAll(pattern)) found.push(`${i + 1}: ${m[0]}`);
    }
  }
  return found;
}

describe('README and docs/', () => {
  it('the README is a front door: at most 420 lines', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(420);
  });

  it('the README keeps the two set-up commands .ci/run and CI run', () => {
    const readme = read('README.md');
    expect(readme).toContain('npm ci && npm run synth');
    expect(readme).toContain('npm run test:all');
  });

  it.each(PAGES)('%s: every relative link points to a file that exists, and every anchor to a heading', (page) => {
    const broken: string[] = [];
    for (const { line, target } of links(read(page))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
      const [file, anchor] = target.split('#', 2);
      const resolved = file === '' ? path.join(ROOT, page) : path.resolve(path.dirname(path.join(ROOT, page)), decodeURI(file));
      if (!fs.existsSync(resolved)) broken.push(`${line}: ${target} (no such file)`);
      else if (anchor !== undefined && resolved.endsWith('.md') && !anchors(resolved).has(anchor))
        broken.push(`${line}: ${target} (no such heading)`);
    }
    expect(broken).toEqual([]);
  });

  it.each(PAGES)('%s tells no development history (sessions, issue numbers, commit hashes, "this machine")', (page) => {
    expect(historyMarkers(read(page))).toEqual([]);
  });

  it('recognises development history, and leaves code, URLs and plain words alone', () => {
    expect(historyMarkers('Measured in session 5 (issue 14, #14), after c9f44d7, on this machine.')).toEqual([
      '1: session 5',
      '1: issue 14',
      '1: #14',
      '1: this machine',
      '1: c9f44d7',
    ]);
    expect(
      historyMarkers(
        [
          'See [the upstream report](https://github.com/o/r/issues/23823) and [a heading](#add-an-environment).',
          'A decade of defaced, 2026-11-30, &#39;, photo-view:1.4.2 and 12345678.',
          '```sh',
          'git show c9f44d7  # session 5',
          '```',
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('computes anchors as GitHub does', () => {
    expect(slug("Choices that differ from Microsoft's AKS baseline")).toBe('choices-that-differ-from-microsofts-aks-baseline');
    expect(slug('`npm test` options')).toBe('npm-test-options');
    expect(slug('Set-up: two commands')).toBe('set-up-two-commands');
  });
});
