import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

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

/** The base to compare with: the given ref, else the merge base with origin/main, else with main. */
export function resolveBase(repo: string, ref: string | undefined): { ref: string; commit: string } {
  if (ref !== undefined) {
    const commit = commitOf(repo, ref);
    if (!commit)
      throw new DiffError(
        `npm run diff: --base '${ref}' is not a commit, branch or tag in ${repo} (git rev-parse found nothing; try 'git fetch' or a commit SHA)`,
        EXIT.input,
      );
    return { ref, commit };
  }
  for (const candidate of ['origin/main', 'main']) {
    if (!commitOf(repo, candidate)) continue;
    const mergeBase = git(repo, ['merge-base', 'HEAD', candidate]);
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

export interface Side {
  readonly label: string;
  /** Folder holding the side's sources (and node_modules linked in). */
  readonly tree: string;
  /** Folder the synth writes cdktf.out/ and dist/ to. */
  readonly out: string;
}

/**
 * Both sides in a temporary folder: the base commit and a copy of the working tree, each with the
 * checkout's node_modules linked in. The user's checkout, cdktf.out/ and dist/ are never written.
 */
export async function prepareSides(repo: string, baseCommit: string, baseLabel: string): Promise<{ base: Side; head: Side; root: string }> {
  const modules = path.join(repo, 'node_modules');
  if (!fs.existsSync(modules)) throw new DiffError(`npm run diff: ${modules} is missing; run npm ci first`, EXIT.input);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-diff-'));
  const side = (name: string, label: string): Side => ({ label, tree: path.join(root, name), out: path.join(root, `${name}-out`) });
  const base = side('base', baseLabel);
  const head = side('head', 'working tree');
  try {
    await exportCommit(repo, baseCommit, base.tree);
    copyWorkingTree(repo, head.tree);
    for (const s of [base, head]) {
      fs.rmSync(path.join(s.tree, 'node_modules'), { recursive: true, force: true });
      fs.symlinkSync(fs.realpathSync(modules), path.join(s.tree, 'node_modules'), 'dir');
    }
    seedBuildCache(repo, [base, head]);
  } catch (error) {
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return { base, head, root };
}

/**
 * Copies the checkout's synth build cache into both sides. Entries are keyed by the content of every
 * input, never by folder, so a side whose sources match an entry skips esbuild; any other entry is
 * simply not used, and a damaged one is rebuilt (scripts/bundle.mjs).
 */
/** scripts/bundle.mjs keeps its build cache here, relative to the tree it builds. */
const CACHE_DIR = path.join('.build', 'cache');

function seedBuildCache(repo: string, sides: ReadonlyArray<Side>): void {
  const cache = path.join(repo, CACHE_DIR);
  if (!fs.existsSync(cache)) return;
  for (const s of sides) fs.cpSync(cache, path.join(s.tree, CACHE_DIR), { recursive: true });
}

/** Synth processes still running, so an interrupted diff can stop them before removing their folders. */
const running = new Set<ChildProcess>();

/** Stops every synth still running (on Ctrl-C). */
export function stopSynths(): void {
  for (const child of running) child.kill();
}

/**
 * Synthesizes both sides at once, each with its own `scripts/synth.mjs --outdir` (one Node process
 * each, mostly CPU-bound), and reads each side's output with `read` as soon as its synth is done, while
 * the other may still run. When one fails, the other is stopped: the error names the failed side and
 * carries the end of its synth's message.
 */
export function synthesizeBoth<T>(sides: ReadonlyArray<Side>, read: (out: string) => T): Promise<T[]> {
  const children: Array<{ child: ChildProcess; closed: Promise<void> }> = [];
  const run = (s: Side) =>
    new Promise<void>((resolve, reject) => {
      const script = path.join(s.tree, 'scripts', 'synth.mjs');
      if (!fs.existsSync(script))
        return reject(new DiffError(`npm run diff: the ${s.label} has no scripts/synth.mjs to synthesize with`, EXIT.synth));
      // Each side synthesizes its own tree's environments/, whatever ENVIRONMENTS_DIR says in this shell.
      const env = { ...process.env, ENVIRONMENTS_DIR: path.join(s.tree, 'environments') };
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
