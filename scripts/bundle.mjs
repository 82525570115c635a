// How the project's TypeScript programs run: each set of entry points is bundled with esbuild into one
// CommonJS file (no type-checking: `npm run typecheck` does that) and kept in .build/cache/ (git-ignored),
// so a run with no source change starts without esbuild. The libraries are bundled as published.
//
// The cache key is a SHA-256 of: the entry points, this file, the lockfiles and tsconfig.json, and the
// content of every project file the last build read (with the listing of their folders, since a new file
// can change how an import resolves). A change to any of them builds again. The bundle is written under a
// temporary name and renamed, so concurrent runs never see half of one.
//
// BUILD_CACHE_DIR, when set, names the folder that holds the cache instead of <root>/.build/cache
// (`npm run diff` points both of its temporary trees at one, so one tree's build serves the other).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CACHE_DIR = '.build/cache';
const THIS_FILE = fileURLToPath(import.meta.url);
/** Files besides the sources whose content decides what a bundle is. */
const PROJECT_INPUTS = ['package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'tsconfig.json'];
const BUNDLE = 'bundle.cjs';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

function readOrNull(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

/** Writes a file under a temporary name and renames it into place: readers see the old or the new file, never half of one. */
function writeAtomically(file, data) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, data);
  fs.renameSync(temporary, file);
}

/** Where the cache keeps one set of entry points: an index (the sources its last build read) and one folder per key. */
function cachePaths(root, entries, mode) {
  const set = sha256(`${mode}\n${entries.join('\n')}`).slice(0, 12);
  const dir = process.env.BUILD_CACHE_DIR ? path.resolve(process.env.BUILD_CACHE_DIR) : path.join(root, CACHE_DIR);
  return { dir, set, index: path.join(dir, `index-${set}.json`), entry: (key) => path.join(dir, `${set}-${key}`) };
}

/** The cache key of a build of `entries` that read `sources` (paths relative to the root). */
function cacheKey(root, entries, mode, sources) {
  const hash = createHash('sha256');
  const add = (label, data) => hash.update(`${label}\0${data === null ? '<missing>' : data.length}\0`).update(data ?? '');
  add('entries', `${mode}\n${entries.join('\n')}`);
  add('bundle.mjs', fs.readFileSync(THIS_FILE));
  for (const file of [...PROJECT_INPUTS, ...sources]) add(file, readOrNull(path.join(root, file)));
  for (const dir of new Set(sources.map((s) => path.dirname(s)))) add(`${dir}/`, fs.readdirSync(path.join(root, dir)).sort().join('\n'));
  return hash.digest('hex').slice(0, 32);
}

/** The cached bundle for the sources the last build read, when none of them changed; else undefined. */
function findEntry(root, entries, mode) {
  const paths = cachePaths(root, entries, mode);
  try {
    const { sources } = JSON.parse(fs.readFileSync(paths.index, 'utf8'));
    const dir = paths.entry(cacheKey(root, entries, mode, sources));
    return fs.existsSync(path.join(dir, BUNDLE)) ? { dir, file: path.join(dir, BUNDLE), mode } : undefined;
  } catch {
    return undefined; // no index yet, a source removed since, or a corrupt index: build
  }
}

/** The module esbuild bundles: a CDK bundle exports one function per entry (the caller runs them in its order); an app bundle runs its entry when loaded. */
function entryModule(entries, mode) {
  const load = (e) => `require(${JSON.stringify(`./${e}`)})`;
  if (mode !== 'cdk') return entries.map((e) => `${load(e)};`).join('\n');
  return `module.exports = {\n${entries.map((e) => `  ${JSON.stringify(e)}: () => ${load(e)},`).join('\n')}\n};`;
}

/** Bundles the entries with esbuild and stores the bundle; esbuild is loaded only here, on a cache miss. */
async function buildEntry(root, entries, mode) {
  const { build } = await import('esbuild');
  const result = await build({
    stdin: { contents: entryModule(entries, mode), resolveDir: root, loader: 'js', sourcefile: 'entries.js' },
    outfile: path.join(root, CACHE_DIR, 'entry', BUNDLE),
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    // CDK apps: the libraries bundled too (one file instead of ~800 to resolve), the source map beside the
    // bundle and read only to report a failure. Other programs (the app's server, tools) keep their
    // dependencies in node_modules and an inline map, as Node runs any program.
    packages: mode === 'cdk' ? undefined : 'external',
    sourcemap: mode === 'cdk' ? 'external' : 'inline',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'silent',
    metafile: true,
    write: false,
  });
  const sources = Object.keys(result.metafile.inputs)
    .filter((file) => !file.includes('node_modules/') && fs.existsSync(path.join(root, file)))
    .sort();
  const paths = cachePaths(root, entries, mode);
  const dir = paths.entry(cacheKey(root, entries, mode, sources));
  fs.mkdirSync(dir, { recursive: true });
  for (const output of result.outputFiles) writeAtomically(path.join(dir, path.basename(output.path)), output.contents);
  writeAtomically(paths.index, JSON.stringify({ entries, sources }));
  pruneEntries(paths, dir);
  return { dir, file: path.join(dir, BUNDLE), mode };
}

/** Keeps the newest three builds of a set of entry points. */
function pruneEntries(paths, current) {
  const builds = fs
    .readdirSync(paths.dir)
    .filter((name) => name.startsWith(`${paths.set}-`) && path.join(paths.dir, name) !== current)
    .map((name) => ({ name, mtime: fs.statSync(path.join(paths.dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { name } of builds.slice(2)) fs.rmSync(path.join(paths.dir, name), { recursive: true, force: true });
}

/** Whether a process of this id exists (used to tell leftovers of killed runs from those of running ones). */
export function isAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * The bundle of `entries` (paths relative to `root`), from the cache or freshly built. `mode` 'cdk'
 * bundles the libraries too and is run with loadBundle; 'app' keeps them in node_modules.
 */
export async function bundleFor(root, entries, { onBuild, mode = 'cdk' } = {}) {
  const cached = findEntry(root, entries, mode);
  if (cached) return cached;
  onBuild?.();
  return buildEntry(root, entries, mode);
}

/** Loads a CDK bundle; `run(name)` runs one of its entries and returns what it exports. */
export function loadBundle(entry) {
  const entries = createRequire(import.meta.url)(entry.file);
  return { run: (name) => entries[name]() };
}

/** Rewrites stack frames in the bundle to the TypeScript source locations they came from. */
export function mapStack(stack, entry, root) {
  if (!entry || typeof stack !== 'string' || !stack.includes(entry.file)) return stack;
  let map;
  try {
    map = new SourceMap(JSON.parse(fs.readFileSync(`${entry.file}.map`, 'utf8')));
  } catch {
    return stack;
  }
  const mapDir = path.join(root, CACHE_DIR, 'entry');
  const escaped = entry.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const frame = new RegExp(`^(\\s+at .*?)\\(?${escaped}:(\\d+):(\\d+)\\)?$`);
  return stack
    .split('\n')
    .flatMap((line) => {
      const match = frame.exec(line);
      if (!match) return [line];
      const found = map.findEntry(Number(match[2]) - 1, Number(match[3]) - 1);
      // No source: esbuild's own module wrappers, noise in a stack trace.
      if (!found?.originalSource || found.originalSource.endsWith(BUNDLE)) return [];
      const source = path.relative(root, path.resolve(mapDir, found.originalSource));
      const location = `${source}:${found.originalLine + 1}:${found.originalColumn + 1}`;
      return [match[1].endsWith(' ') ? `${match[1]}(${location})` : `${match[1]}${location}`];
    })
    .join('\n');
}

/** Bad input (InputError, ConfigError) and failed checks print their message; anything else its stack, mapped to the sources. */
export function reportError(error, entry, root) {
  const expected = error?.isInputError === true || String(error?.message ?? '').startsWith('Validation failed');
  if (expected) console.error(error.message);
  else console.error(error instanceof Error ? mapStack(error.stack, entry, root) : error);
}

/** Loads (or builds) the bundle of `entries` and runs it; returns the entry, for mapping a failure's stack. */
export async function runEntries(root, entries, options) {
  const entry = await bundleFor(root, entries, options);
  try {
    if (entry.mode === 'cdk') {
      const bundle = loadBundle(entry);
      for (const name of entries) bundle.run(name);
    } else {
      // As Node runs any program: source-mapped stack traces (the map is inline).
      process.setSourceMapsEnabled(true);
      createRequire(import.meta.url)(entry.file);
    }
  } catch (error) {
    if (error && typeof error === 'object') error.bundleEntry ??= entry;
    throw error;
  }
  return entry;
}

export const projectRoot = () => path.resolve(path.dirname(THIS_FILE), '..');
