// The synth path's build cache. TypeScript entry points (infra/main.ts, workloads/main.ts) are bundled
// with esbuild into one CommonJS file, dependencies included (no type-checking: `npm run typecheck` does
// that), and kept in .build/cache/ (git-ignored). A warm run reads the bundle, checks it against its
// recorded hash, and runs it with V8's code cache: no esbuild, no module resolution of ~800 files, no
// source maps. On a failure the stack is mapped through the bundle's external source map.
//
// An entry is keyed by a SHA-256 of every input: the content of each source file esbuild read (as it read
// it), the listing of their folders (a new file can change how an import resolves), package.json,
// package-lock.json, node_modules/.package-lock.json (what is installed), tsconfig.json, the esbuild
// version, this file and scripts/fast-resolve.cjs (the build options and rewrites). Entries and the index are written to a temporary name and
// renamed into place, so concurrent runs never see half an entry; an entry whose bundle does not match its
// hash is rebuilt, not trusted. An entry also holds the environment files its apps checked
// (config/parse-cache.ts), in a folder named to them (a global) while they run.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module, { createRequire, SourceMap } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vm from 'node:vm';
import cheapCaptures from './cheap-captures.cjs';
import skipPrepare from './skip-prepare.cjs';

export const CACHE_DIR = '.build/cache';
const THIS_FILE = fileURLToPath(import.meta.url);
/** Build code besides this file: what it does to the bundle is part of the key. */
const BUILD_FILES = [THIS_FILE, ...['./fast-resolve.cjs', './skip-prepare.cjs'].map((file) => fileURLToPath(new URL(file, import.meta.url)))];
/** Files besides the sources whose content decides what a bundle is (missing ones count as missing). */
const PROJECT_INPUTS = ['package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'tsconfig.json', 'node_modules/esbuild/package.json'];
/** Entries kept per set of entry points; older ones are removed when a new one is built. */
const KEEP_ENTRIES = 3;
const BUNDLE = 'bundle.cjs';
/** Folder of an entry where config/parse-cache.ts keeps checked environment files, and the global that names it there. */
const PARSE_CACHE_FOLDER = 'parsed-environments';
const PARSE_CACHE_GLOBAL = 'aks-environments.parse-cache-dir';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

function readOrNull(file) {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if (error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'ENOTDIR') return null;
    throw error;
  }
}

/** Writes a file under a temporary name and renames it into place: readers see the old or the new file, never half of one. */
function writeAtomically(file, data) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, data);
  fs.renameSync(temporary, file);
}

/** Cache key of a bundle built from `sources` (root-relative paths to their content, as esbuild read it). */
function cacheKey(root, entries, mode, sources) {
  const hash = createHash('sha256');
  const add = (label, data) => hash.update(`${label}\0${data === null ? '<missing>' : data.length}\0`).update(data ?? '');
  add('entries', `${mode}\n${entries.join('\n')}`);
  for (const file of BUILD_FILES) add(path.basename(file), fs.readFileSync(file));
  add('SYNTH_PLAIN_CDKTF', plainFlag());
  for (const file of PROJECT_INPUTS) add(file, readOrNull(path.join(root, file)));
  const names = [...sources.keys()].sort();
  for (const name of names) add(name, sources.get(name));
  for (const dir of [...new Set(names.map((n) => path.dirname(n)))].sort()) {
    add(
      `${dir}/`,
      (() => {
        try {
          return fs.readdirSync(path.join(root, dir)).sort().join('\n');
        } catch {
          return null;
        }
      })(),
    );
  }
  return hash.digest('hex').slice(0, 32);
}

/** Where the cache keeps what belongs to one set of entry points. */
function cachePaths(root, entries, mode) {
  const dir = path.join(root, CACHE_DIR);
  const set = sha256(`${mode}\n${entries.join('\n')}`).slice(0, 12);
  return {
    dir,
    set,
    index: path.join(dir, `index-${set}.json`),
    stamp: path.join(dir, `stamp-${set}.json`),
    entry: (key) => path.join(dir, `${set}-${key}`),
  };
}

/*
 * The stat fast path. Hashing every input and the bundle costs ~20 ms on each warm run; instead, after a
 * run found its entry by hashing, a stamp records the key with the stat signature (device, inode, size,
 * modification and change time in ns) of every input the key covers and of the bundle. While all of them
 * are unchanged, the next run takes the key and trusts the bundle without reading the inputs. Any write
 * changes the change time (even one that restores the modification time), so a changed input always
 * fails the stamp and the key is hashed again. As with git's "racily clean" entries, a file changed less
 * than RACY_NS before the stamp is made is not stamped (a write in the same clock tick could keep its
 * times): the next run hashes again, and stamps once the files are older.
 */
const RACY_NS = 1_000_000_000n;

/** Stat signature of a file or folder, or null when there is none. */
function signature(file) {
  const s = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
  return s ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : null;
}

/** Every path the key of `sourceNames` reads, absolute (build files) or relative to the root (the rest). */
function keyInputs(sourceNames) {
  const dirs = [...new Set(sourceNames.map((n) => path.dirname(n)))];
  return [...BUILD_FILES, ...PROJECT_INPUTS, ...sourceNames, ...dirs];
}

const plainFlag = () => (process.env.SYNTH_PLAIN_CDKTF === '1' ? '1' : '0');

/** The entry a stamp names, read without hashing, when every input and the bundle are as stamped; else undefined. */
function stampedEntry(root, paths, mode) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(paths.stamp, 'utf8'));
    if (stamp.plain !== plainFlag() || typeof stamp.key !== 'string' || typeof stamp.inputs !== 'object') return undefined;
    for (const [file, stamped] of Object.entries(stamp.inputs)) if (signature(path.resolve(root, file)) !== stamped) return undefined;
    const dir = paths.entry(stamp.key);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'entry.json'), 'utf8'));
    if (signature(path.join(dir, BUNDLE)) !== stamp.bundle) return undefined;
    const code = readOrNull(path.join(dir, BUNDLE));
    if (!code || code.length !== meta.size) return undefined;
    return { dir, file: path.join(dir, BUNDLE), code, mode, entries: meta.entries };
  } catch {
    return undefined; // no stamp, a corrupt one, or a pruned entry: hash
  }
}

/** Records the signatures (taken before the inputs were read) that led to `entry`, unless one of them is too recent to trust. */
function writeStamp(paths, key, inputs, entry) {
  const recent = BigInt(Date.now()) * 1_000_000n - RACY_NS;
  const signatures = [...Object.values(inputs), entry.signature];
  if (
    signatures.some(
      (s) =>
        s !== null &&
        s
          .split(':')
          .slice(3)
          .some((ns) => BigInt(ns) > recent),
    )
  )
    return;
  try {
    writeAtomically(paths.stamp, JSON.stringify({ key, plain: plainFlag(), inputs, bundle: entry.signature }));
  } catch {
    // A cache folder removed meanwhile: the next run hashes again.
  }
}

/** The cached entry for the sources the last build read, when those sources are unchanged and the entry is intact. */
function findEntry(root, entries, mode) {
  const paths = cachePaths(root, entries, mode);
  const stamped = stampedEntry(root, paths, mode);
  if (stamped) return stamped;
  let sourceNames;
  try {
    sourceNames = JSON.parse(fs.readFileSync(paths.index, 'utf8')).sources;
    if (!Array.isArray(sourceNames)) return undefined;
  } catch {
    return undefined; // no index yet, or a corrupt one: build
  }
  // Signatures first: a file changed while it is read then fails the stamp.
  const inputs = Object.fromEntries(keyInputs(sourceNames).map((file) => [file, signature(path.resolve(root, file))]));
  const sources = new Map(sourceNames.map((name) => [name, readOrNull(path.join(root, name))]));
  const key = cacheKey(root, entries, mode, sources);
  const entry = loadEntry(paths.entry(key), mode);
  if (entry) writeStamp(paths, key, inputs, entry);
  return entry;
}

/** Reads an entry and checks its bundle against the recorded hash; undefined when missing or corrupt. */
function loadEntry(dir, mode) {
  let meta;
  try {
    meta = JSON.parse(fs.readFileSync(path.join(dir, 'entry.json'), 'utf8'));
  } catch {
    return undefined;
  }
  const bundleSignature = signature(path.join(dir, BUNDLE));
  const code = readOrNull(path.join(dir, BUNDLE));
  if (!code || code.length !== meta.size || sha256(code) !== meta.sha256) return undefined;
  return { dir, file: path.join(dir, BUNDLE), code, mode, entries: meta.entries, signature: bundleSignature };
}

function entryModule(entries, mode) {
  const load = (e) => `require(${JSON.stringify(`./${e}`)})`;
  if (mode !== 'cdk') return entries.map((e) => `${load(e)};`).join('\n');
  return `module.exports = {\n${entries.map((e) => `  ${JSON.stringify(e)}: () => ${load(e)},`).join('\n')}\n};`;
}

/** Bundles the entries with esbuild and stores the result; esbuild and the rewrites are loaded only here, on a cache miss. */
async function buildEntry(root, entries, mode) {
  const { build } = await import('esbuild');
  const fastResolve = createRequire(import.meta.url)('./fast-resolve.cjs'); // a warm run does not load it
  const sources = new Map();
  const inProject = (file) => !path.relative(root, file).split(path.sep).includes('node_modules');
  const result = await build({
    // One file for all entries, each a lazily initialised module: a CDK bundle exports a function per
    // entry (the caller runs them, in its order); an app bundle runs its entry when loaded.
    stdin: { contents: entryModule(entries, mode), resolveDir: root, loader: 'js', sourcefile: 'entries.js' },
    outfile: path.join(root, CACHE_DIR, 'entry', BUNDLE),
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // CDK apps: every dependency bundled (they bundle cleanly; ~800 fewer files to resolve and compile), the
    // map external and read only on failure. Other apps (servers, tools) keep their dependencies in
    // node_modules and inline maps, as Node loads them.
    packages: mode === 'cdk' ? undefined : 'external',
    sourcemap: mode === 'cdk' ? 'external' : 'inline',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'silent',
    write: false,
    plugins: [
      {
        name: 'hash-sources',
        setup(b) {
          // The key hashes exactly the text esbuild compiles, so an edit during the build cannot go unnoticed.
          b.onLoad({ filter: /\.(ts|mts|cts|js|mjs|cjs|json)$/ }, (args) => {
            if (!inProject(args.path)) return undefined;
            const contents = fs.readFileSync(args.path);
            sources.set(path.relative(root, args.path).split(path.sep).join('/'), contents);
            const ext = path.extname(args.path);
            return { contents, loader: ext === '.json' ? 'json' : ext.endsWith('ts') ? 'ts' : 'js' };
          });
        },
      },
      fastResolve.fastResolvePlugin,
    ],
  });
  const code = Buffer.from(fastResolve.rewriteBundle(result.outputFiles.find((f) => f.path.endsWith('.cjs')).text));
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'))?.contents;

  const paths = cachePaths(root, entries, mode);
  const dir = paths.entry(cacheKey(root, entries, mode, sources));
  fs.mkdirSync(paths.dir, { recursive: true });
  const temporary = fs.mkdtempSync(path.join(paths.dir, `tmp-${process.pid}-`));
  fs.writeFileSync(path.join(temporary, BUNDLE), code);
  if (map) fs.writeFileSync(path.join(temporary, `${BUNDLE}.map`), map);
  fs.writeFileSync(path.join(temporary, 'entry.json'), JSON.stringify({ entries, size: code.length, sha256: sha256(code) }));
  // An entry of the same key is either one a concurrent run stored (valid: keep it, it may be running
  // from it and writing its code cache there) or a corrupt one, moved aside in one rename before ours
  // goes in. Deleting it in place could race a concurrent run that is using it.
  if (!loadEntry(dir, mode)) {
    const aside = `${temporary}-replaced`;
    try {
      fs.renameSync(dir, aside);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    fs.rmSync(aside, { recursive: true, force: true });
  }
  try {
    fs.renameSync(temporary, dir);
  } catch (error) {
    if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    fs.rmSync(temporary, { recursive: true, force: true }); // a concurrent run stored the same entry first
  }
  writeAtomically(paths.index, JSON.stringify({ entries, sources: [...sources.keys()].sort() }));
  pruneEntries(paths, dir);
  return { dir, file: path.join(dir, BUNDLE), code, mode, entries };
}

/** Keeps the newest entries of a set of entry points, and removes temporary folders of runs that died. */
function pruneEntries(paths, current) {
  const stat = (name) => fs.statSync(path.join(paths.dir, name), { throwIfNoEntry: false });
  const names = fs.readdirSync(paths.dir);
  const entries = names
    .filter((n) => n.startsWith(`${paths.set}-`) && path.join(paths.dir, n) !== current)
    .map((name) => ({ name, mtime: stat(name)?.mtimeMs ?? 0 }))
    .sort((a, b) => b.mtime - a.mtime);
  const stale = names.filter((n) => n.startsWith('tmp-') && !isAlive(Number(n.split('-')[1])));
  for (const name of [...entries.slice(KEEP_ENTRIES - 1).map((e) => e.name), ...stale]) {
    fs.rmSync(path.join(paths.dir, name), { recursive: true, force: true });
  }
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
 * bundles dependencies too and runs with runBundle; 'app' keeps them in node_modules (see buildEntry).
 */
export async function bundleFor(root, entries, { onBuild, mode = 'cdk' } = {}) {
  const cached = findEntry(root, entries, mode);
  if (cached) return cached;
  onBuild?.();
  return buildEntry(root, entries, mode);
}

/**
 * V8 code cache of an entry for this V8 version and these Node/V8 flags (V8 rejects a cache made under
 * other flags, e.g. `--cpu-prof` or a NODE_OPTIONS heap flag), named by its own hash so a damaged file is
 * ignored. One file per prefix: writing a new one removes the others, so a rejected cache is replaced, not
 * kept beside its successor (and picked again) forever.
 */
function codeCacheFile(entry) {
  const flags = sha256(`${process.execArgv.join('\n')}\n${process.env.NODE_OPTIONS ?? ''}`).slice(0, 8);
  const prefix = `code-${process.versions.v8.replace(/[^\w.]/g, '_')}-${flags}-`;
  const name = fs.readdirSync(entry.dir).find((n) => n.startsWith(prefix) && n.endsWith('.bin'));
  const data = name ? readOrNull(path.join(entry.dir, name)) : null;
  const valid = data !== null && sha256(data).slice(0, 16) === name.slice(prefix.length, -4);
  return { prefix, data: valid ? data : undefined, rejectedOrMissing: !valid };
}

/**
 * Loads a CDK bundle in this process, with `root` as where its requires resolve from; `run(entry)` runs
 * one of its entries, `saveCodeCache()` (after the runs) stores V8's code cache when there was none.
 */
export function loadBundle(entry, root) {
  const codeCache = codeCacheFile(entry);
  const script = compile(entry, codeCache.data);
  // The bundle's bytes and its code cache are not needed once compiled: ~8 MB less at the peak of the run.
  entry.code = undefined;
  codeCache.data = undefined;
  const instantiate = () => {
    const module = { exports: {} };
    script.runInThisContext().call(module.exports, module.exports, createRequire(path.join(root, 'package.json')), module, entry.file, entry.dir);
    return module.exports;
  };
  let entries = instantiate();
  // cdktf's prepare pass is skipped (skip-prepare.cjs, fast-resolve.cjs) until an app needs it: then that
  // app runs again, with the pass, in a fresh instance of the bundle (the first one holds its half-done app),
  // and so does everything after it.
  let prepare = false;
  const synthesize = (name) => cheapCaptures.withCheapCaptures(() => (prepare ? entries[name]() : skipPrepare.withoutPrepare(() => entries[name]())));
  // Checked environment files are kept in a folder of the entry (config/parse-cache.ts): its name is a hash
  // of all of the code, so nothing kept there outlives the code that made it. Only while an app runs.
  const runOnce = (name) => skipPrepare.withGlobal(PARSE_CACHE_GLOBAL, path.join(entry.dir, PARSE_CACHE_FOLDER), () => synthesize(name));
  return {
    // Token and construct stack captures made cheap while it runs (cheap-captures.cjs).
    run(name) {
      try {
        return runOnce(name);
      } catch (error) {
        if (prepare || !skipPrepare.needsPrepare(error)) throw error;
        prepare = true;
        entries = instantiate();
        return runOnce(name);
      }
    },
    saveCodeCache() {
      if (!codeCache.rejectedOrMissing && !script.cachedDataRejected) return;
      // Created after the runs, so it holds every function the synth compiled, not only the top level.
      try {
        const data = script.createCachedData();
        const name = `${codeCache.prefix}${sha256(data).slice(0, 16)}.bin`;
        writeAtomically(path.join(entry.dir, name), data);
        for (const other of fs.readdirSync(entry.dir).filter((n) => n.startsWith(codeCache.prefix) && n.endsWith('.bin') && n !== name)) {
          fs.rmSync(path.join(entry.dir, other), { force: true });
        }
      } catch {
        // An entry pruned by a concurrent build: the next run makes its own code cache.
      }
    },
  };
}

/** Runs entries of a CDK bundle in order (by default all of them). */
export function runBundle(entry, root, names = entry.entries) {
  const bundle = loadBundle(entry, root);
  for (const name of names) bundle.run(name);
  bundle.saveCodeCache();
}

function compile(entry, cachedData) {
  // A worker thread receives the bytes as a plain Uint8Array.
  const code = Buffer.isBuffer(entry.code) ? entry.code : Buffer.from(entry.code.buffer, entry.code.byteOffset, entry.code.byteLength);
  // rewriteBundle leaves the bundle ASCII, so latin1 decoding is exact (and fast); SYNTH_PLAIN_CDKTF=1 keeps esbuild's UTF-8.
  const source = isAscii(code) ? code.toString('latin1') : code.toString('utf8');
  return new vm.Script(Module.wrap(source), { filename: entry.file, cachedData });
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
    if (entry.mode === 'cdk') runBundle(entry, root);
    else {
      // As Node runs any program: its own module, source-mapped stack traces (the map is inline).
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
/** Loads `id` as package `pkg` of the project would (json-stable-stringify as cdktf uses it). */
export function requireAs(root, pkg, id) {
  return createRequire(createRequire(path.join(root, 'package.json')).resolve(pkg))(id);
}
