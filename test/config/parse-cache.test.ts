import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listEntryLines, loadEnvironmentFile } from '../../config';
import { PARSE_CACHE_GLOBAL, readParsed, storeParsed, type ParsedFile } from '../../config/parse-cache';
import { configErrorOf, ENVIRONMENT_NAMES, ENVIRONMENTS_DIR } from './fixtures';
// oxlint-disable-next-line typescript/no-require-imports -- the CommonJS helper scripts/bundle.mjs names the folder with
const { withGlobal } = require('../../scripts/skip-prepare.cjs') as { withGlobal<T>(name: string, value: unknown, fn: () => T): T };

/*
 * Environment files checked in an earlier run (config/parse-cache.ts). Within one process loads are memoized
 * by path and bytes, so each load here reads a copy at a new path: what a new run would find.
 */
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'parse-cache-test-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

let copies = 0;
/** A copy of a shipped environment file at a new path (as qa.yaml unless named), with its text edited by `edit`. */
function copyOf(name: string, edit: (text: string) => string = (t) => t, as = 'qa'): string {
  const file = path.join(TMP, `copy-${copies++}`, `${as}.yaml`);
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(file, edit(fs.readFileSync(path.join(ENVIRONMENTS_DIR, `${name}.yaml`), 'utf8')));
  return file;
}

const CACHE_KEY = Symbol.for(PARSE_CACHE_GLOBAL);
let dirs = 0;
/** Runs `fn` with a new cache folder named, as scripts/bundle.mjs names one while an app runs. */
function withCacheFolder<T>(fn: (dir: string) => T): T {
  const dir = path.join(TMP, `cache-${dirs++}`);
  return withGlobal(PARSE_CACHE_GLOBAL, dir, () => fn(dir));
}

const keptFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);
const bytesOf = (file: string) => fs.readFileSync(file);

describe('environment files checked in an earlier run', () => {
  it.each(ENVIRONMENT_NAMES)('gives %s exactly what parsing it gives (same values, same key order)', (name) => {
    const parsed = loadEnvironmentFile(copyOf(name, undefined, name));
    withCacheFolder((dir) => {
      const first = loadEnvironmentFile(copyOf(name, undefined, name));
      expect(keptFiles(dir)).toHaveLength(1);
      const kept = loadEnvironmentFile(copyOf(name, undefined, name));
      expect(JSON.stringify(first)).toBe(JSON.stringify(parsed));
      expect(JSON.stringify(kept)).toBe(JSON.stringify(parsed));
      expect(kept).toEqual(parsed);
    });
  });

  it('uses what was kept for the same bytes instead of parsing them again', () => {
    withCacheFolder(() => {
      const file = copyOf('dev');
      const kept = readParsed(bytesOf(file));
      expect(kept).toBeUndefined();
      loadEnvironmentFile(file);
      const entry = readParsed(bytesOf(file)) as ParsedFile;
      expect(entry.data).toMatchObject({ location: 'westeurope' });
      // An entry saying something else for these bytes is what the next load returns: proof that it reads it.
      storeParsed(bytesOf(file), { ...entry, data: { ...(entry.data as object), location: 'northeurope' } });
      expect(loadEnvironmentFile(copyOf('dev')).location).toBe('northeurope');
      // Other bytes (one edit) are another key.
      expect(loadEnvironmentFile(copyOf('dev', (t) => `# edited\n${t}`)).location).toBe('westeurope');
    });
  });

  it('parses again, and replaces, an entry that is truncated or has a changed byte', () => {
    withCacheFolder((dir) => {
      loadEnvironmentFile(copyOf('dev'));
      const [name] = keptFiles(dir);
      const entry = path.join(dir, name);
      const good = fs.readFileSync(entry);

      const flipped = Buffer.from(good);
      flipped[flipped.length - 3] ^= 0xff;
      fs.writeFileSync(entry, flipped);
      expect(loadEnvironmentFile(copyOf('dev')).location).toBe('westeurope');
      expect(fs.readFileSync(entry).equals(good)).toBe(true);

      fs.truncateSync(entry, 40);
      expect(loadEnvironmentFile(copyOf('dev')).location).toBe('westeurope');
      expect(fs.readFileSync(entry).equals(good)).toBe(true);
    });
  });

  it('keeps nothing for a file with problems, and reports them each time', () => {
    withCacheFolder((dir) => {
      const broken = (t: string) => t.replace(/^location: westeurope$/m, 'location: atlantis');
      for (let i = 0; i < 2; i++)
        expect(configErrorOf(() => loadEnvironmentFile(copyOf('dev', broken)))).toContain('location = "atlantis": unknown Azure region');
      expect(keptFiles(dir)).toEqual([]);
    });
  });

  it('keeps the lines of top-level lists, so waiver findings point at the same lines', () => {
    const lines = listEntryLines(path.join(ENVIRONMENTS_DIR, 'dev.yaml'), 'waivers');
    expect(lines.length).toBeGreaterThan(0);
    withCacheFolder(() => {
      loadEnvironmentFile(copyOf('dev'));
      const file = copyOf('dev');
      loadEnvironmentFile(file); // from the kept entry
      expect(listEntryLines(file, 'waivers')).toEqual(lines);
      expect(listEntryLines(file, 'no-such-list')).toEqual([]);
    });
  });

  it('keeps nothing when no folder is named (tests, ts-node): only a bundled synth names one', () => {
    expect((globalThis as Record<symbol, unknown>)[CACHE_KEY]).toBeUndefined();
    const file = copyOf('dev');
    loadEnvironmentFile(file);
    storeParsed(bytesOf(file), { data: {}, listLines: {} });
    expect(readParsed(bytesOf(file))).toBeUndefined();
  });

  it('keeps the 64 newest entries', () => {
    withCacheFolder((dir) => {
      for (let i = 0; i < 70; i++) storeParsed(Buffer.from(`file ${i}`), { data: { i }, listLines: {} });
      expect(keptFiles(dir)).toHaveLength(64);
      expect(readParsed(Buffer.from('file 69'))?.data).toEqual({ i: 69 });
    });
  });
});
