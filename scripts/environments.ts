/*
 * `npm run environments -- [--json] [--env NAME] [--help]`: the environments and the order the workflows
 * deploy them in (deploy.after, deploy.runner; config/deploy-order.ts). deploy.yml, image.yml, drift.yml and
 * pr-review.yml build their jobs from `--json`; `--env` is how they take the environment of a manual run.
 */
import * as fs from 'node:fs';
import { deployStages, InputError, loadEnvironments, type EnvironmentConfig } from '../config';
import { commandLineOrExitCode, parseArgs, quoted } from './usage.mjs';

export const USAGE = `usage: npm run environments -- [--json] [--env NAME] [--help]

Prints the environments in environments/ (or ENVIRONMENTS_DIR) in deploy stages: stage 1 holds those with no
deploy.after, each later stage those whose deploy.after are all in earlier stages.

  --json       machine output: { "environments": [{ "name", "after", "runner", "stage", "location", "privateRegistry",
               "pullRequestPlans" }], "stages": [[...], ...] } ("stage" is the index into "stages"; "privateRegistry":
               the registry denies public networks (network.privateEndpoints), so only a runner in its network can
               push; "pullRequestPlans": github.pullRequestPlans, pull requests plan it with its plan identity)
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
  /**
   * The registry's firewall denies public networks (network.privateEndpoints; infra/stacks/platform-network.ts):
   * ACR Tasks, which run outside the VNet, cannot push to it, so image.yml builds on the environment's runner.
   */
  readonly privateRegistry: boolean;
  /** github.pullRequestPlans: pr-review.yml plans the environment's changed stacks with Azure; others get only the offline diff. */
  readonly pullRequestPlans: boolean;
}

/** What `--json` prints. */
export interface EnvironmentsOutput {
  readonly environments: EnvironmentEntry[];
  readonly stages: string[][];
}

const OPTIONS = { '--json': 'flag', '--env': 'value' } as const;

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
      throw new InputError(`unknown environment ${quoted(only)}; known environments in '${dir}': ${known.join(', ') || 'none'}`);
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
    privateRegistry: e.network.privateEndpoints,
    pullRequestPlans: e.github?.pullRequestPlans ?? false,
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

/** Runs the command; returns the exit code (--help and a bad command line: 0 and 2). Bad input throws an InputError (or a ConfigError). */
export function runEnvironments(
  args: ReadonlyArray<string>,
  io: { out: (text: string) => void; err: (text: string) => void },
  env: NodeJS.ProcessEnv = process.env,
): number {
  const lines = { out: (line: string) => io.out(`${line}\n`), err: (line: string) => io.err(`${line}\n`) };
  const commandLine = commandLineOrExitCode(parseArgs(args, OPTIONS), USAGE, lines);
  if (typeof commandLine === 'number') return commandLine;
  const { options } = commandLine;
  const output = environmentsOutput(env.ENVIRONMENTS_DIR ?? 'environments', options.env);
  io.out(options.json ? `${JSON.stringify(output)}\n` : renderText(output));
  return 0;
}

// `npm run environments`: `node scripts/run-app.mjs scripts/environments.ts ARGS` (the entry is the first argument).
if (process.argv[2]?.endsWith('scripts/environments.ts')) {
  try {
    process.exitCode = runEnvironments(process.argv.slice(3), {
      out: (text) => process.stdout.write(text),
      err: (text) => process.stderr.write(text),
    });
  } catch (error) {
    console.error((error as { isInputError?: boolean }).isInputError ? `npm run environments: ${(error as Error).message}` : error);
    process.exitCode = 1;
  }
}
