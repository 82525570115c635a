import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/*
 * scripts/usage.mjs's exitWhenFlushed ends synth (and the CDK apps cdktf runs) with process.exit(), which
 * skips tearing down the heap: it must not cut what is still being written, nor lose the exit code.
 */
const USAGE = pathToFileURL(path.join(__dirname, '../../scripts/usage.mjs')).href;

it('exits with process.exitCode once everything written to stdout and stderr is out, however much', () => {
  const script = `
    const { exitWhenFlushed } = await import(${JSON.stringify(USAGE)});
    for (let i = 0; i < 2000; i++) process.stdout.write('x'.repeat(1023) + '\\n');
    console.error('last words');
    process.exitCode = 3;
    exitWhenFlushed();
    setTimeout(() => console.log('never printed: the process has ended'), 1000);
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 8 * 1024 * 1024 });
  expect(run.status).toBe(3);
  expect(run.stdout).toHaveLength(2000 * 1024);
  expect(run.stdout).not.toContain('never printed');
  expect(run.stderr).toBe('last words\n');
});

/*
 * One way to ask for help: every npm script that takes options answers --help and -h with its usage on
 * stdout and exit 0, doing nothing else, and refuses an unknown option or a missing value with one line on
 * stderr that names the script, the option and --help, and exit 2, before doing anything.
 */
const ROOT = path.resolve(__dirname, '../..');
const SCRIPTS = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
const WITH_OPTIONS = ['synth', 'diff', 'test', 'test:all', 'bench', 'validate', 'app', 'environments', 'github-settings'];

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** What the run left in its working folder and its TMPDIR (both empty before). */
  readonly written: string[];
}

/**
 * An npm script as package.json has it, without npm's start-up, from an empty folder with an empty
 * TMPDIR: the script and --env-file by absolute path (run-app.mjs takes its entry relative to the project).
 */
function npmRun(script: string, args: string[]): Promise<Run> {
  const [node, first, ...rest] = SCRIPTS[script].split(' ');
  expect(node).toBe('node');
  const nodeArgs = [first, ...rest].map((arg, i, all) => {
    if (arg.startsWith('--env-file=')) return `--env-file=${path.join(ROOT, arg.slice('--env-file='.length))}`;
    return all.findIndex((a) => !a.startsWith('-')) === i ? path.join(ROOT, arg) : arg;
  });
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-cwd-'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-tmp-'));
  const env = { ...process.env, TMPDIR: tmp, PORT: '0', NO_COLOR: '1' };
  return new Promise((resolve) => {
    execFile(process.execPath, [...nodeArgs, ...args], { cwd, env, encoding: 'utf8', timeout: 15_000 }, (error, stdout, stderr) => {
      const written = [...fs.readdirSync(cwd), ...fs.readdirSync(tmp).map((f) => `TMPDIR/${f}`)];
      for (const dir of [cwd, tmp]) fs.rmSync(dir, { recursive: true, force: true });
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr, written });
    });
  });
}

/** Runs of every script with these arguments, a few at a time. */
async function everyScript(args: string[]): Promise<Map<string, Run>> {
  const runs = new Map<string, Run>();
  const queue = [...WITH_OPTIONS];
  const next = async (): Promise<void> => {
    const script = queue.shift();
    if (script === undefined) return;
    runs.set(script, await npmRun(script, args));
    return next();
  };
  await Promise.all([next(), next(), next()]);
  return runs;
}

describe('every npm script that takes options', () => {
  let help: Map<string, Run>;
  let short: Map<string, Run>;
  let unknown: Map<string, Run>;
  beforeAll(async () => {
    help = await everyScript(['--help']); // first: builds the bundles the runs below reuse
    [short, unknown] = await Promise.all([everyScript(['-h']), everyScript(['--frobnicate'])]);
  }, 60_000);

  it.each(WITH_OPTIONS)('%s answers --help and -h with its usage on stdout, exit 0, and nothing else', (script) => {
    const run = help.get(script)!;
    expect({ status: run.status, stderr: run.stderr, written: run.written }).toEqual({ status: 0, stderr: '', written: [] });
    expect(run.stdout).toMatch(/^usage: npm (run )?[\w:]+/);
    expect(run.stdout).not.toContain('"msg":"listening"'); // npm run app: no server
    expect(short.get(script)).toEqual(run);
  });

  it.each(WITH_OPTIONS)('%s refuses an unknown option in one line naming it, exit 2, before doing anything', (script) => {
    const run = unknown.get(script)!;
    const command = script.startsWith('test') ? 'npm test' : `npm run ${script}`; // test:all's usage is npm test's
    expect(run).toEqual({
      status: 2,
      stdout: '',
      stderr: `${command}: unknown option '--frobnicate' (${command} -- --help lists the options)\n`,
      written: [],
    });
  });

  it.each([
    ['synth', '--outdir'],
    ['validate', '--format'],
    ['diff', '--base'],
    ['environments', '--env'],
    ['github-settings', '--repo'],
  ])('%s refuses %s without a value in one line, exit 2', async (script, option) => {
    const run = await npmRun(script, [option]);
    expect(run).toEqual({
      status: 2,
      stdout: '',
      stderr: `npm run ${script}: ${option} needs a value (npm run ${script} -- --help lists the options)\n`,
      written: [],
    });
  });
});
