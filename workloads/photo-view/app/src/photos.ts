import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { createHash } from 'node:crypto';

/** One photo shipped in the image, held in memory: serving it touches no file system. */
export interface Photo {
  readonly file: string;
  readonly title: string;
  readonly contentType: string;
  readonly body: Buffer;
  readonly etag: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = { '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg' };
const FILE_NAME = /^[a-z0-9][a-z0-9-]*\.(svg|png|jpg)$/;

/** Reads `photos.json` (file and title of each photo, in gallery order) and the photos it lists. */
export async function loadPhotos(dir: string): Promise<ReadonlyArray<Photo>> {
  const index = path.join(dir, 'photos.json');
  const entries: unknown = JSON.parse(await fs.readFile(index, 'utf8'));
  if (!Array.isArray(entries) || entries.length === 0) throw new Error(`${index}: must be a non-empty array of { file, title }`);
  return Promise.all(
    entries.map(async (entry: { file?: unknown; title?: unknown }, i) => {
      if (typeof entry.file !== 'string' || !FILE_NAME.test(entry.file) || typeof entry.title !== 'string') {
        throw new Error(`${index}[${i}]: file must be a lowercase name ending .svg, .png or .jpg and title a string (got ${JSON.stringify(entry)})`);
      }
      const body = await fs.readFile(path.join(dir, entry.file));
      return {
        file: entry.file,
        title: entry.title,
        contentType: CONTENT_TYPES[path.extname(entry.file)],
        body,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`,
      };
    }),
  );
}
