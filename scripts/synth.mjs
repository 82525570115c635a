// `npm run synth`: every environment, both layers. Terraform JSON goes to cdktf.out/, Kubernetes YAML
// to dist/. Both are written to a staging folder first and swapped in only when everything succeeded
// (scripts/output.mjs), so a bad config or a failed check leaves the previous output intact.
import * as fs from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { bundleFor, loadBundle, projectRoot, reportError } from './bundle.mjs';
import { createStaging, keepOtherEnvironments, mergeParts, OUTPUTS, recoverAndClean, removeStaging, swapIn, withLock } from './output.mjs';
import { exitWhenFlushed, optionsOrExit, parseArgs, quoted } from './usage.mjs';

const started = performance.now();
const USAGE = `usage: npm run synth -- [--env NAMES] [--strict] [--outdir DIR] [--help]

Synthesizes every environment in environments/ (or ENVIRONMENTS_DIR): Terraform JSON per stack in
cdktf.out/stacks/, Kubernetes YAML per environment in dist/. Nothing is replaced unless all of it succeeds.

  --env NAMES    only these environments, comma-separated (e.g. dev,prod); the other environments'
                 output is kept as it was
  --strict       refuse what synth otherwise only warns about (placeholder subscription, tenant or
                 group IDs); for deploy paths. Same as SYNTH_STRICT=1
  --outdir DIR   folder that holds cdktf.out/ and dist/ (default: the current folder)
  --help         this text`;

/** Parses the command line; unknown flags and missing values are errors, never ignored. */
function parseCommandLine(args) {
  const parsed = parseArgs(args, { '--env': 'value', '--strict': 'flag', '--outdir': 'value' });
  if (parsed.error) return parsed;
  const options = { outdir: '.', strict: false, ...parsed.options };
  if (options.env === undefined) return { options };
  options.env = [
    ...new Set(
      options.env
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean),
    ),
  ];
  return options.env.length === 0 ? { error: '--env needs at least one environment name' } : { options };
}

const options = optionsOrExit(parseCommandLine(process.argv.slice(2)), USAGE);

const root = options.outdir;
if (fs.existsSync(root) && !fs.statSync(root).isDirectory()) {
  console.error(`npm run synth: --outdir ${quoted(root)} is a file, not a folder; name a folder (it is created when missing)`);
  process.exit(2);
}
const project = projectRoot();
if (options.strict) process.env.SYNTH_STRICT = '1';
if (options.env) process.env.SYNTH_ENVIRONMENTS = options.env.join(',');

/** The two CDK apps, then policy/gate.ts (the guard) on what they wrote to the staging folder: output
 * that breaks an un-waived error rule is never swapped in. Keep the gate last, whatever else changes here:
 * each thread checks the share it synthesized, and enforce() decides on all of them before the swap. */
const APPS = ['infra/main.ts', 'workloads/main.ts'];
const GATE = 'policy/gate.ts';

/** From this many environments on, a worker thread takes about half of them (synth is CPU-bound and single-threaded). */
const PARALLEL_FROM = 8;

/**
 * The worker's share and this thread's, alternating so both get each kind of environment. The worker gets
 * one fewer when the count is even: starting it and loading the bundle there costs about one environment.
 */
function split(names) {
  const quota = Math.floor((names.length - 1) / 2);
  const worker = names.filter((_, i) => i % 2 === 0).slice(0, quota);
  return [worker, names.filter((name) => !worker.includes(name))];
}

/** Environment names as files name them (the loader checks the files themselves), or those of --env. */
function environmentNames() {
  if (options.env) return options.env;
  const dir = process.env.ENVIRONMENTS_DIR ?? 'environments';
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => f.replace(/\.ya?ml$/, ''));
  } catch {
    return []; // the loader says what is wrong with the folder
  }
}

/** Environment variables that make the bundle synthesize `environments` into `outdir`. */
function shareVariables(environments, outdir) {
  fs.mkdirSync(outdir, { recursive: true });
  return { SYNTH_ENVIRONMENTS: environments.join(','), CDKTF_OUTDIR: path.join(outdir, 'cdktf.out'), CDK8S_OUTDIR: path.join(outdir, 'dist') };
}

/** Starts the bundle in a worker thread for some environments, writing into `outdir`; `done` gives its gate result. */
async function startWorker(entry, environments, outdir, gate) {
  const { Worker } = await import('node:worker_threads'); // loaded only for a large synth
  const env = { ...process.env, ...shareVariables(environments, outdir) };
  const workerData = { entry, entries: APPS, gate: { entry: GATE, options: gate } };
  const worker = new Worker(new URL('./synth-worker.mjs', import.meta.url), { workerData, env });
  const done = new Promise((resolve, reject) => {
    worker.once('message', (message) =>
      message.error ? reject(Object.assign(new Error(message.error.message), message.error)) : resolve(message.gate),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`synth worker exited with code ${code}`)));
  });
  return { worker, done };
}

/** The closing line: the stacks and manifests of a few environments by name, a count for many. */
function summary(staged) {
  const ms = Math.round(performance.now() - started);
  const scope = options.env ? `; other environments' output kept as it was` : '';
  if (staged.stacks.length > 8) {
    return (
      `synthesized ${staged.stacks.length} stacks into cdktf.out/stacks and ${staged.manifests.length} manifest sets into dist/ ` +
      `(${staged.manifests.length} environments) in ${ms} ms${scope}`
    );
  }
  return (
    `synthesized ${staged.stacks.length} stacks (cdktf.out/stacks: ${staged.stacks.join(', ')}) and ${staged.manifests.length} manifest sets ` +
    `(dist: ${staged.manifests.join(', ')}) in ${ms} ms${scope}`
  );
}

let staging;
let replaced = [];
let entry;
try {
  fs.mkdirSync(root, { recursive: true });
  const restored = withLock(root, () => recoverAndClean(root));
  if (restored.length > 0) console.error(`finished replacing ${restored.join(', ')} left by a synth that was stopped`);
  staging = createStaging(root);
  entry = await bundleFor(project, [...APPS, GATE], {
    onBuild: () => console.error('bundling infra/main.ts, workloads/main.ts and policy/gate.ts (first run, or sources changed since the last build)'),
  });
  const names = environmentNames();
  const output = path.join(staging, 'new');
  const outputVariables = { CDKTF_OUTDIR: path.join(output, 'cdktf.out'), CDK8S_OUTDIR: path.join(output, 'dist') };
  const parallel = names.length >= PARALLEL_FROM && availableParallelism() > 1;
  // About half the environments in a worker thread, the rest in this one; then one output from the two.
  const shares = parallel ? split(names) : [];
  const parts = shares.map((_, i) => path.join(staging, `part-${i}`));
  const environmentsDir = process.env.ENVIRONMENTS_DIR ?? 'environments';
  // A share's gate sees only its own environments. Findings name the files where the swap puts them, as
  // the summary does: relative to --outdir (cdktf.out/stacks/..., dist/...), never the staging folder.
  const shareGate = (i) => ({ output: parts[i], environmentsDir, only: shares[i], shownAs: '.' });
  const other = parallel ? await startWorker(entry, shares[0], parts[0], shareGate(0)) : undefined;
  const bundle = loadBundle(entry);
  let gate;
  let results;
  try {
    // This thread's share also checks the whole folder (what spans files: deploy order, shared runner
    // networks), unless --env synthesizes only some environments.
    Object.assign(process.env, parallel ? { ...shareVariables(shares[1], parts[1]), SYNTH_CHECK_FOLDER: options.env ? '0' : '1' } : outputVariables);
    for (const app of APPS) bundle.run(app);
    gate = bundle.run(GATE);
    if (parallel) results = [gate.checkOutput(shareGate(1))];
  } catch (error) {
    other?.done.catch(() => undefined);
    await other?.worker.terminate();
    throw error;
  }
  if (other) {
    results.unshift(await other.done);
    mergeParts(project, parts, output);
    if (options.env) results.push({ environments: [], files: [], errors: [], expired: gate.expiredWaiversExcept(environmentsDir, names) });
  } else {
    results = [gate.checkOutput({ output, environmentsDir, shownAs: '.' })];
  }
  gate.enforce(results);
  const list = (dir) => (fs.existsSync(path.join(staging, 'new', dir)) ? fs.readdirSync(path.join(staging, 'new', dir)).sort() : []);
  const staged = { stacks: list('cdktf.out/stacks'), manifests: list('dist') };
  withLock(root, () => {
    recoverAndClean(root);
    if (options.env) keepOtherEnvironments(project, root, path.join(staging, 'new'));
    replaced = swapIn(root, staging);
  });
  console.log(summary(staged));
} catch (error) {
  replaced = error?.replaced ?? replaced;
  reportError(error, error?.bundleEntry ?? entry, project);
  const kept = OUTPUTS.filter((f) => !replaced.includes(f)).map((f) => `${f}/`);
  console.error(
    replaced.length === 0
      ? 'synth failed; cdktf.out/ and dist/ were left as they were'
      : `synth failed while replacing the output: ${replaced.map((f) => `${f}/`).join(' and ')} replaced, ${kept.join(' and ')} left as it was`,
  );
  process.exitCode = 1;
} finally {
  if (staging) removeStaging(staging);
}
exitWhenFlushed();
