import { createHash } from 'node:crypto';
import type { Photo } from './photos';

/** How a version looks: each version gets its own colour, and odd and even major versions their own layout. */
export interface Theme {
  /** Hue (0-359) of the page's colours, derived from the version string. */
  readonly hue: number;
  readonly layout: 'grid' | 'strip';
}

/**
 * A version's look, so a rolling, blue/green or canary release can be watched from a browser: 1.x shows
 * a grid, 2.x one large photo after another, and every version has its own colour.
 */
export function themeFor(version: string): Theme {
  const hue = createHash('sha256').update(version).digest().readUInt16BE(0) % 360;
  const major = Number.parseInt(version, 10);
  return { hue, layout: Number.isNaN(major) || major % 2 === 1 ? 'grid' : 'strip' };
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** The stylesheet of a version (served as /gallery.css, so the page needs no inline style). */
export function galleryCss(theme: Theme): string {
  const columns = theme.layout === 'grid' ? 'repeat(auto-fill, minmax(260px, 1fr))' : '1fr';
  return (
    [
      `body { margin: 0; font-family: system-ui, sans-serif; background: hsl(${theme.hue} 45% 94%); color: hsl(${theme.hue} 40% 18%); }`,
      `header { padding: 1.5rem 2rem; background: hsl(${theme.hue} 55% 38%); color: #fff; display: flex; justify-content: space-between; align-items: baseline; }`,
      'header h1 { margin: 0; font-size: 1.8rem; }',
      '.version { font-size: 1.4rem; font-weight: 700; padding: 0.2rem 0.8rem; border-radius: 1rem; background: rgba(255,255,255,0.2); }',
      `main { display: grid; grid-template-columns: ${columns}; gap: 1.5rem; padding: 2rem; max-width: ${theme.layout === 'grid' ? 1200 : 760}px; margin: auto; }`,
      'figure { margin: 0; background: #fff; border-radius: 0.6rem; overflow: hidden; box-shadow: 0 2px 8px rgba(0,0,0,0.15); }',
      'img { display: block; width: 100%; height: auto; }',
      'figcaption { padding: 0.7rem 1rem; }',
      'footer { padding: 1rem 2rem 2rem; text-align: center; font-size: 0.85rem; opacity: 0.75; }',
    ].join('\n') + '\n'
  );
}

/** The gallery page: title, running version, photos, and where it runs. */
export function galleryHtml(props: { title: string; version: string; theme: Theme; photos: ReadonlyArray<Photo>; storageAccount: string }): string {
  const title = escapeHtml(props.title);
  const version = escapeHtml(props.version);
  const figures = props.photos.map(
    (p) =>
      `    <figure><img src="/photos/${p.file}" alt="${escapeHtml(p.title)}" width="640" height="420"><figcaption>${escapeHtml(p.title)}</figcaption></figure>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title} · v${version}</title>
  <link rel="stylesheet" href="/gallery.css">
</head>
<body data-version="${version}" data-layout="${props.theme.layout}">
  <header><h1>${title}</h1><span class="version">v${version}</span></header>
  <main>
${figures.join('\n')}
  </main>
  <footer>photo-view ${version} · storage account ${escapeHtml(props.storageAccount)}</footer>
</body>
</html>
`;
}
