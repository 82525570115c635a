import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** An error `npm run diff` reports as its message, with the exit code that tells errors apart. */
export class DiffError extends Error {
  public readonly isInputError = true;
  constructor(
    message: string,
    public readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Exit codes: 0 ran (whatever the diff), 1 `--fail-on` matched, 2 bad input (flag, ref), 3 a synth failed. */
export const EXIT = { ok: 0, failOn: 1, input: 2, synth: 3 } as const;

function git(repo: string, args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ok: r.status === 0, out: (r.stdout ?? '').trim(), err: (r.stderr ?? '').trim() };
}

/** The checkout's top folder. */
export function repositoryRoot(cwd: string): string {
  const top = git(cwd, ['rev-parse', '--show-toplevel']);
  if (!top.ok) throw new DiffError(`npm run diff: ${cwd} is not inside a git repository (${top.err})`, EXIT.input);
  return top.out;
}

const commitOf = (repo: string, ref: string) => {
  const r = git(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  return r.ok ? r.out : undefined;
};

/** The commit the working tree is on ('' in a repository without commits). */
export const headCommit = (repo: string) => commitOf(repo, 'HEAD') ?? '';

/** How the head side is named: the working tree, and whether it has uncommitted changes. */
export const headLabel = (repo: string) =>
  git(repo, ['status', '--porcelain', '--untracked-files=normal']).out ? 'working tree with uncommitted changes' : 'working tree';

/** The commit a `--base` or `--head` ref names; exit code 2 when it names none. */
function commitOrFail(repo: string, option: string, ref: string): string {
  const commit = commitOf(repo, ref);
  if (!commit)
    throw new DiffError(
      `npm run diff: ${option} '${ref}' is not a commit, branch or tag in ${repo} (git rev-parse found nothing; try 'git fetch' or a commit SHA)`,
      EXIT.input,
    );
  return commit;
}

/**
 * The head to compare: the given ref's commit (`tree` is that commit), else the working tree as it is,
 * uncommitted changes included (`tree` undefined).
 */
export function resolveHead(repo: string, ref: string | undefined): { ref: string; commit: string; tree?: { commit: string; label: string } } {
  if (ref === undefined) return { ref: headLabel(repo), commit: headCommit(repo) };
  const commit = commitOrFail(repo, '--head', ref);
  return { ref, commit, tree: { commit, label: `head ${ref} (${commit.slice(0, 7)})` } };
}

/**
 * The base to compare with: the given ref, else the merge base of the head (`from`: HEAD, or the
 * `--head` commit) with origin/main, else with main.
 */
export function resolveBase(repo: string, ref: string | undefined, from = 'HEAD'): { ref: string; commit: string } {
  if (ref !== undefined) return { ref, commit: commitOrFail(repo, '--base', ref) };
  for (const candidate of ['origin/main', 'main']) {
    if (!commitOf(repo, candidate)) continue;
    const mergeBase = git(repo, ['merge-base', from, candidate]);
    if (mergeBase.ok) return { ref: `merge base with ${candidate}`, commit: mergeBase.out };
  }
  throw new DiffError(`npm run diff: no --base given and neither origin/main nor main exists in ${repo}; pass --base <git ref>`, EXIT.input);
}

/**
 * Extracts a commit's files into `dir` (git archive: the user's index and worktrees are not touched).
 * Files marked `export-ignore` in .gitattributes would be left out; this repository marks none.
 */
async function exportCommit(repo: string, commit: string, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await new Promise<void>((resolve, reject) => {
    const archive = spawn('git', ['archive', '--format=tar', commit], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    const tar = spawn('tar', ['-x', '-C', dir], { stdio: ['pipe', 'ignore', 'pipe'] });
    archive.stdout.pipe(tar.stdin);
    let err = '';
    archive.stderr.on('data', (d) => (err += d));
    tar.stderr.on('data', (d) => (err += d));
    tar.on('close', (code) => (code === 0 ? resolve() : reject(new DiffError(`npm run diff: could not extract ${commit}: ${err}`, EXIT.input))));
  });
}

/** Copies the working tree as it is (tracked and untracked, not ignored files), uncommitted changes included. */
function copyWorkingTree(repo: string, dir: string): void {
  const listed = git(repo, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  for (const file of listed.out.split('\0').filter(Boolean)) {
    const source = path.join(repo, file);
    const stat = fs.lstatSync(source, { throwIfNoEntry: false });
    if (!stat || stat.isDirectory() || file.split('/')[0] === 'node_modules') continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.cpSync(source, path.join(dir, file), { verbatimSymlinks: true });
  }
}

/**
 * The build cache both sides' synths share (BUILD_CACHE_DIR, scripts/bundle.mjs), kept from run to run:
 * entries are keyed by the content of what they were built from, never by folder, so a side whose
 * sources match an entry skips esbuild. It is not the checkout's own .build/cache: a bundle names its
 * libraries by their path from the tree it was built in (`../../../<repo>/node_modules/...` from a
 * temporary tree, `node_modules/...` from the checkout), and the source map with it. Both sides sit at
 * the same depth of the temporary folder, so they build byte-identical bundles and can share them.
 */
const sharedBuildCache = (repo: string) => path.join(repo, '.build', 'cache', 'diff');

export interface Side {
  readonly label: string;
  /** Folder holding the side's sources (and node_modules linked in). */
  readonly tree: string;
  /** Folder the synth writes cdktf.out/ and dist/ to. */
  readonly out: string;
  /** Build cache the synth uses, shared by both sides (see sharedBuildCache). */
  readonly buildCache: string;
}

/**
 * Both sides in a temporary folder: the base commit and the head commit (`--head`) or a copy of the
 * working tree, each with the checkout's node_modules linked in. The user's checkout, cdktf.out/ and
 * dist/ are never written.
 */
export async function prepareSides(
  repo: string,
  baseCommit: string,
  baseLabel: string,
  headAt?: { commit: string; label: string },
): Promise<{ base: Side; head: Side; root: string }> {
  const modules = path.join(repo, 'node_modules');
  if (!fs.existsSync(modules)) throw new DiffError(`npm run diff: ${modules} is missing; run npm ci first`, EXIT.input);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-diff-'));
  const side = (name: string, label: string): Side => ({
    label,
    tree: path.join(root, name),
    out: path.join(root, `${name}-out`),
    buildCache: sharedBuildCache(repo),
  });
  const base = side('base', baseLabel);
  const head = side('head', headAt?.label ?? 'working tree');
  try {
    await exportCommit(repo, baseCommit, base.tree);
    if (headAt) await exportCommit(repo, headAt.commit, head.tree);
    else copyWorkingTree(repo, head.tree);
    for (const s of [base, head]) {
      fs.rmSync(path.join(s.tree, 'node_modules'), { recursive: true, force: true });
      fs.symlinkSync(fs.realpathSync(modules), path.join(s.tree, 'node_modules'), 'dir');
    }
  } catch (error) {
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return { base, head, root };
}

/** Synth processes still running, so an interrupted diff can stop them before removing their folders. */
const running = new Set<ChildProcess>();

/** Stops every synth still running (on Ctrl-C). */
export function stopSynths(): void {
  for (const child of running) child.kill();
}

/** What scripts/synth.mjs bundles (its APPS and GATE). */
const SYNTH_ENTRIES = ['infra/main.ts', 'workloads/main.ts', 'policy/gate.ts'];

/**
 * Builds the sides' synth bundles before the synths start, one side after the other (esbuild uses every
 * core either way): a side whose sources match the other's (a change to environment files only, say)
 * then finds that bundle in the shared cache instead of building the same one at the same time. Each
 * side builds with its own scripts/bundle.mjs; if that fails, the side's synth builds again and reports why.
 */
async function bundleSides(sides: ReadonlyArray<Side>): Promise<void> {
  const saved = process.env.BUILD_CACHE_DIR;
  try {
    for (const s of sides) {
      process.env.BUILD_CACHE_DIR = s.buildCache;
      try {
        const bundle = (await import(pathToFileURL(path.join(s.tree, 'scripts', 'bundle.mjs')).href)) as {
          bundleFor: (root: string, entries: string[]) => Promise<unknown>;
        };
        await bundle.bundleFor(s.tree, SYNTH_ENTRIES);
      } catch {
        // Left to the synth, which says what is wrong.
      }
    }
  } finally {
    if (saved === undefined) delete process.env.BUILD_CACHE_DIR;
    else process.env.BUILD_CACHE_DIR = saved;
  }
}

/**
 * Synthesizes both sides at once, each with its own `scripts/synth.mjs --outdir` (one Node process
 * each, mostly CPU-bound), and reads each side's output with `read` as soon as its synth is done, while
 * the other may still run. When one fails, the other is stopped: the error names the failed side and
 * carries the end of its synth's message. Their bundles are built first (bundleSides).
 */
export async function synthesizeBoth<T>(sides: ReadonlyArray<Side>, read: (out: string) => T): Promise<T[]> {
  await bundleSides(sides);
  const children: Array<{ child: ChildProcess; closed: Promise<void> }> = [];
  const run = (s: Side) =>
    new Promise<void>((resolve, reject) => {
      const script = path.join(s.tree, 'scripts', 'synth.mjs');
      if (!fs.existsSync(script))
        return reject(new DiffError(`npm run diff: the ${s.label} has no scripts/synth.mjs to synthesize with`, EXIT.synth));
      // Each side synthesizes its own tree's environments/, whatever ENVIRONMENTS_DIR says in this shell.
      const env = { ...process.env, ENVIRONMENTS_DIR: path.join(s.tree, 'environments'), BUILD_CACHE_DIR: s.buildCache };
      const child = spawn(process.execPath, [script, '--outdir', s.out], { cwd: s.tree, env, stdio: ['ignore', 'pipe', 'pipe'] });
      running.add(child);
      children.push({ child, closed: new Promise((done) => child.on('close', () => done())) });
      let output = '';
      child.stdout?.on('data', (d) => (output += d));
      child.stderr?.on('data', (d) => (output += d));
      child.on('close', (code, signal) => {
        running.delete(child);
        if (code === 0) return resolve();
        if (signal) return reject(new DiffError(`npm run diff: synth of the ${s.label} was stopped (${signal})`, EXIT.synth));
        const tail = output.trim().split('\n').slice(-25).join('\n');
        reject(new DiffError(`npm run diff: synth of the ${s.label} failed (exit code ${code}):\n${tail}`, EXIT.synth));
      });
    });
  return Promise.all(sides.map((s) => run(s).then(() => read(s.out)))).then(
    (outputs) => outputs,
    async (error: unknown) => {
      // Stopped and gone before the caller removes the folders they write to.
      for (const { child } of children) if (child.exitCode === null) child.kill();
      await Promise.all(children.map((c) => c.closed));
      throw error;
    },
  );
}
