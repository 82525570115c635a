// `npm test` and `npm run test:all`: the checks (lint, format, types; package.json's own scripts) and jest,
// run side by side, with one summary line at the end. A check whose inputs (every file git does not ignore,
// the lockfile included, and the Node version) are byte-identical to those of its last clean run is not run
// again (scripts/up-to-date.mjs): about 3 s of a warm `npm test`. jest always runs.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inputsKey, isUpToDate, recordClean, treeHash } from './up-to-date.mjs';
import { optionsOrExit } from './usage.mjs';

const USAGE = `usage: npm test [-- OPTIONS] [-- JEST ARGS]
       npm run test:all

Runs lint, format check and type-check (each skipped when nothing changed since its last clean run)
and jest, side by side.

  --all          jest runs every project: unit and e2e (what CI runs; npm run test:all)
  --no-checks    jest only
  --force        run the checks even when their inputs are unchanged
  --help         this text
Anything after a second \`--\`, or a path, goes to jest (e.g. npm test -- test/config).`;

const ROOT = path.resolve(import.meta.dirname, '..');
const CHECKS = ['lint', 'format:check', 'typecheck'];
const STAMPS = path.join(ROOT, '.build', 'test-stamps');

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

/** Runs a command (a shell line, with node_modules/.bin on PATH as npm would, or an argv); output is buffered unless `inherit`. */
function run(name, command, { inherit = false } = {}) {
  const started = performance.now();
  const env = { ...process.env, PATH: `${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}` };
  const stdio = inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'];
  const child = Array.isArray(command)
    ? spawn(command[0], command.slice(1), { cwd: ROOT, env, stdio })
    : spawn(command, { cwd: ROOT, env, shell: true, stdio });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const seconds = () => (performance.now() - started) / 1000;
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ name, status: 1, output: `${output}${error.message}\n`, seconds: seconds() }));
    child.on('close', (status) => resolve({ name, status, output, seconds: seconds() }));
  });
}

async function check(name, command, tree, force) {
  const key = inputsKey(tree, command);
  if (!force && isUpToDate(STAMPS, name, key)) return { name, status: 0, skipped: true, seconds: 0, output: '' };
  const result = await run(name, command);
  if (result.status === 0) recordClean(STAMPS, name, key);
  return result;
}

const options = optionsOrExit(parseArgs(process.argv.slice(2)), USAGE);

const started = performance.now();
const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
// jest's --selectProjects takes every value after it, so paths and patterns go first.
const projects = options.all ? [] : ['--selectProjects', 'unit'];
const jest = [process.execPath, path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), ...options.jest, ...projects];
// jest first: hashing the tree for the checks' up-to-date rule then overlaps with its start.
const jestRun = run(`jest (${options.all ? 'unit + e2e' : 'unit'})`, jest, { inherit: true });
const tree = options.checks ? treeHash(ROOT) : undefined;
const results = await Promise.all([jestRun, ...(options.checks ? CHECKS.map((name) => check(name, scripts[name], tree, options.force)) : [])]);

for (const result of results) if (result.status !== 0 && result.output) process.stderr.write(`\n── ${result.name} ──\n${result.output}`);
const line = results
  .map((r) => `${r.name} ${r.skipped ? 'up to date' : r.status === 0 ? `ok ${r.seconds.toFixed(1)} s` : `FAILED (${r.seconds.toFixed(1)} s)`}`)
  .join(' · ');
const failed = results.filter((r) => r.status !== 0);
console.error(`\n${failed.length ? 'FAILED' : 'passed'}: ${line} · total ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed.length ? 1 : 0);
