/*
 * `npm run environments -- [--json] [--env NAME] [--help]`: the environments and the order the workflows
 * deploy them in (deploy.after, deploy.runner; config/deploy-order.ts). deploy.yml, image.yml and drift.yml
 * build their jobs from `--json`; `--env` is how they take the environment of a manual run.
 */
import * as fs from 'node:fs';
import { deployStages, InputError, loadEnvironments, type EnvironmentConfig } from '../config';

export const USAGE = `usage: npm run environments -- [--json] [--env NAME] [--help]

Prints the environments in environments/ (or ENVIRONMENTS_DIR) in deploy stages: stage 1 holds those with no
deploy.after, each later stage those whose deploy.after are all in earlier stages.

  --json       machine output: { "environments": [{ "name", "after", "runner", "stage", "location" }], "stages": [[...], ...] }
               ("stage" is the index into "stages")
  --env NAME   only that environment, as the single stage (reads only its file; for a manual deploy)
  --help       this text`;

/** Environment names as files name them (config/load.ts). */
const ENVIRONMENT_NAME = /^[a-z][a-z0-9]{1,11}$/;

/** One environment as `--json` prints it. */
export interface EnvironmentEntry {
  readonly name: string;
  readonly after: string[];
  readonly runner: string;
  readonly stage: number;
  readonly location: string;
}

/** What `--json` prints. */
export interface EnvironmentsOutput {
  readonly environments: EnvironmentEntry[];
  readonly stages: string[][];
}

interface Options {
  readonly json: boolean;
  readonly env?: string;
  readonly help: boolean;
}

/** A value from the command line (a workflow_dispatch input) in a message: quoted, escaped, never long. */
const shown = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);

function parseArgs(args: ReadonlyArray<string>): Options {
  let json = false;
  let env: string | undefined;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--json') json = true;
    else if (arg === '--env' || arg.startsWith('--env=')) {
      const value = arg === '--env' ? args[++i] : arg.slice('--env='.length);
      if (value === undefined || value === '' || value.startsWith('--')) throw new InputError(`--env needs an environment name (see --help)`);
      if (env !== undefined) throw new InputError(`--env given twice; give one environment (see --help)`);
      env = value;
    } else {
      throw new InputError(`unknown option ${shown(arg)}; allowed: --json, --env NAME, --help`);
    }
  }
  return { json, env, help };
}

/** Names of the environment files in `dir` (the loader checks the files themselves). */
function environmentNames(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => f.replace(/\.ya?ml$/, ''))
      .sort();
  } catch {
    return [];
  }
}

/** The environments of `dir` and their stages, or only `only` as the single stage. */
export function environmentsOutput(dir: string, only?: string): EnvironmentsOutput {
  if (only !== undefined) {
    const known = environmentNames(dir);
    if (!ENVIRONMENT_NAME.test(only) || !known.includes(only)) {
      throw new InputError(`unknown environment ${shown(only)}; known environments in '${dir}': ${known.join(', ') || 'none'}`);
    }
  }
  const envs = loadEnvironments(dir, { only: only === undefined ? undefined : [only], warn: () => undefined });
  const stages = only === undefined ? deployStages(envs) : [[only]];
  const stageOf = (name: string) => stages.findIndex((s) => s.includes(name));
  const entry = (e: EnvironmentConfig): EnvironmentEntry => ({
    name: e.name,
    after: [...e.deploy.after],
    runner: e.deploy.runner,
    stage: stageOf(e.name),
    location: e.location,
  });
  return {
    environments: envs.map(entry).sort((a, b) => a.stage - b.stage || (a.name < b.name ? -1 : 1)),
    stages,
  };
}

/** The text output: one line per stage. */
export function renderText(output: EnvironmentsOutput): string {
  const runner = (name: string) => output.environments.find((e) => e.name === name)!.runner;
  return output.stages.map((names, i) => `stage ${i + 1}: ${names.map((n) => `${n} (${runner(n)})`).join(', ')}\n`).join('');
}

/** Runs the command; returns the exit code. Bad input throws an InputError (or a ConfigError). */
export function runEnvironments(args: ReadonlyArray<string>, io: { out: (text: string) => void }, env: NodeJS.ProcessEnv = process.env): number {
  const options = parseArgs(args);
  if (options.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const output = environmentsOutput(env.ENVIRONMENTS_DIR ?? 'environments', options.env);
  io.out(options.json ? `${JSON.stringify(output)}\n` : renderText(output));
  return 0;
}

// `npm run environments`: `node scripts/run-app.mjs scripts/environments.ts ARGS` (the entry is the first argument).
if (process.argv[2]?.endsWith('scripts/environments.ts')) {
  try {
    process.exitCode = runEnvironments(process.argv.slice(3), { out: (text) => process.stdout.write(text) });
  } catch (error) {
    console.error((error as { isInputError?: boolean }).isInputError ? `npm run environments: ${(error as Error).message}` : error);
    process.exitCode = 1;
  }
}
