import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * `npm run synth` replaces cdktf.out/ and dist/ whole or not at all: under real SIGKILLs at random
 * points, with two runs at once, and after a run that died holding the lock or halfway through a swap.
 */
const ROOT = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'output-swap-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Environment folders: A is the shipped one; B differs in dev (a tag and a setting), so both folders differ. */
function environmentsDir(name: string, edit: (dev: string) => string = (d) => d): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  for (const file of fs.readdirSync(path.join(ROOT, 'test/fixtures/environments'))) {
    const text = fs.readFileSync(path.join(ROOT, 'test/fixtures/environments', file), 'utf8');
    fs.writeFileSync(path.join(dir, file), file === 'dev.yaml' ? edit(text) : text);
  }
  return dir;
}
const A = environmentsDir('env-a');
const B = environmentsDir('env-b', (dev) =>
  dev.replace('costCenter: photo-view', 'costCenter: photo-view-b').replace('LOG_LEVEL: debug', 'LOG_LEVEL: info'),
);
const BROKEN = environmentsDir('env-broken', (dev) => dev.replace('minCount: 1, maxCount: 3', 'minCount: 4, maxCount: 3'));

// A and B differ only in dev, so `--env dev` turns either complete output into the other (and keeps the
// runs short); it also exercises keeping the other environments' output.
const args = (outdir: string) => ['scripts/synth.mjs', '--outdir', outdir, '--env', 'dev'];
const synth = (outdir: string, envs: string) =>
  spawnSync(process.execPath, args(outdir), { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ENVIRONMENTS_DIR: envs } });
const start = (outdir: string, envs: string) =>
  spawn(process.execPath, args(outdir), { cwd: ROOT, env: { ...process.env, ENVIRONMENTS_DIR: envs }, stdio: ['ignore', 'pipe', 'pipe'] });
const exited = (child: ReturnType<typeof start>) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });

/** Every file of a folder, by relative path; undefined when the folder does not exist. */
function snapshot(dir: string): Record<string, string> | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}
const outputOf = (outdir: string) => ({ cdktf: snapshot(path.join(outdir, 'cdktf.out')), dist: snapshot(path.join(outdir, 'dist')) });
const leftovers = (outdir: string) => fs.readdirSync(outdir).filter((n) => n.startsWith('.synth'));

/** A folder holding what a complete run with A (or B) wrote, without running synth again. */
function outdirWith(name: string, output: 'A' | 'B'): string {
  const outdir = path.join(tmp, name);
  fs.cpSync(path.join(tmp, `expected-${output}`), outdir, { recursive: true });
  return outdir;
}

/** What a complete run with A and with B writes. */
const expected: Record<'A' | 'B', ReturnType<typeof outputOf>> = {} as never;
let runMs = 1000;
beforeAll(() => {
  const a = path.join(tmp, 'expected-A');
  const full = spawnSync(process.execPath, ['scripts/synth.mjs', '--outdir', a], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ENVIRONMENTS_DIR: A },
  });
  expect(full.status).toBe(0);
  expected.A = outputOf(a);
  const b = path.join(tmp, 'expected-B');
  fs.cpSync(a, b, { recursive: true });
  const started = Date.now();
  expect(synth(b, B).status).toBe(0);
  runMs = Date.now() - started;
  expected.B = outputOf(b);
  expect(expected.A.cdktf).not.toEqual(expected.B.cdktf);
  expect(expected.A.dist).not.toEqual(expected.B.dist);
}, 60_000);

/** Which complete output a folder holds: 'A', 'B', or 'missing'; anything else fails the test. */
function whichOutput(outdir: string, folder: 'cdktf' | 'dist'): 'A' | 'B' | 'missing' {
  const now = outputOf(outdir)[folder];
  if (now === undefined) return 'missing';
  if (JSON.stringify(now) === JSON.stringify(expected.A[folder])) return 'A';
  if (JSON.stringify(now) === JSON.stringify(expected.B[folder])) return 'B';
  throw new Error(`${folder} in ${outdir} is neither complete output: ${Object.keys(now).length} files`);
}

describe('output swap', () => {
  it('leaves each folder whole under SIGKILLs at random points; the next run finishes an interrupted swap', async () => {
    const outdir = outdirWith('killed', 'A');
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const child = start(outdir, i % 2 === 0 ? B : A);
      const done = exited(child);
      // Most kills land in the last third of a run, where the swap is.
      await new Promise((r) => setTimeout(r, runMs * (i < 2 ? Math.random() : 0.6 + Math.random() * 0.6)));
      child.kill('SIGKILL');
      await done;
      const state = `${whichOutput(outdir, 'cdktf')}/${whichOutput(outdir, 'dist')}`;
      seen.add(state);
      // A run that fails (bad config) still recovers what the killed run left, and leaves both folders from one run.
      const failed = synth(outdir, BROKEN);
      expect(failed.status).toBe(1);
      expect(failed.stderr).toContain('synth failed; cdktf.out/ and dist/ were left as they were');
      const cdktf = whichOutput(outdir, 'cdktf');
      expect(cdktf).not.toBe('missing');
      expect(whichOutput(outdir, 'dist')).toBe(cdktf);
      expect(leftovers(outdir)).toEqual([]);
    }
    expect(seen.size).toBeGreaterThan(0);
    expect(synth(outdir, A).status).toBe(0);
    expect(outputOf(outdir)).toEqual(expected.A);
  }, 120_000);

  it('finishes the swap of a run killed between its two renames', () => {
    const outdir = outdirWith('half-swapped', 'A');
    // The state a kill between "old out" and "new in" leaves: B staged and complete, cdktf.out/ moved aside.
    const staged = outdirWith('staged-b', 'B');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const staging = path.join(outdir, `.synth-staging-${dead}`);
    fs.mkdirSync(path.join(staging, 'new'), { recursive: true });
    fs.mkdirSync(path.join(staging, 'old'));
    fs.renameSync(path.join(staged, 'cdktf.out'), path.join(staging, 'new', 'cdktf.out'));
    fs.renameSync(path.join(staged, 'dist'), path.join(staging, 'new', 'dist'));
    fs.renameSync(path.join(outdir, 'cdktf.out'), path.join(staging, 'old', 'cdktf.out'));
    fs.writeFileSync(path.join(staging, 'complete'), '');
    fs.writeFileSync(path.join(outdir, '.synth.lock'), `${dead}\n`); // it died holding the lock

    const failed = synth(outdir, BROKEN);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('finished replacing cdktf.out/, dist/ left by a synth that was stopped');
    expect(outputOf(outdir)).toEqual(expected.B);
    expect(leftovers(outdir)).toEqual([]);
  }, 60_000);

  it('two runs at once both succeed, and cdktf.out/ and dist/ come from the same one', async () => {
    const outdir = outdirWith('concurrent', 'A');
    const [a, b] = await Promise.all([exited(start(outdir, A)), exited(start(outdir, B))]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const cdktf = whichOutput(outdir, 'cdktf');
    expect(['A', 'B']).toContain(cdktf);
    expect(whichOutput(outdir, 'dist')).toBe(cdktf);
    expect(leftovers(outdir)).toEqual([]);
  }, 60_000);

  it('waits for a live run holding the lock, with a message, then swaps', async () => {
    const outdir = outdirWith('locked', 'B');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    fs.writeFileSync(path.join(outdir, '.synth.lock'), `${holder.pid}\n`);
    const child = start(outdir, A);
    const run = exited(child);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Release the lock once the run is waiting for it, as its holder would after its swap.
    while (!stderr.includes('waiting for another synth')) await new Promise((r) => setTimeout(r, 50));
    expect(fs.readdirSync(outdir).filter((n) => n.startsWith('.synth-staging'))).toEqual([]);
    fs.rmSync(path.join(outdir, '.synth.lock'));
    holder.kill('SIGKILL');
    const { code } = await run;
    expect(code).toBe(0);
    expect(stderr).toContain(`waiting for another synth (pid ${holder.pid}) to finish writing ${outdir}`);
    expect(outputOf(outdir)).toEqual(expected.A);
  }, 60_000);
});
