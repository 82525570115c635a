import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, quoted } from '../../scripts/usage.mjs';

/*
 * Which stacks a pull request's Azure plans cover, and in which job (pr-review.yml):
 *   node scripts/run-app.mjs .github/scripts/pull-request-plans.ts select (--stacks FILE | --all) --environments FILE --out DIR
 *     [--cdktf-out cdktf.out] [--fork] [--no-azure]
 *   node scripts/run-app.mjs .github/scripts/pull-request-plans.ts complete --plans FILE --diffs DIR
 * `select` prints `plans=<JSON>` for GITHUB_OUTPUT: one entry per environment whose file sets
 * github.pullRequestPlans and whose stacks the pull request changes ({ environment, runner, stacks }), each
 * planned by plan-pull-request.yml as GitHub environment plan-<env>. It writes DIR/plans.json (the same list)
 * and DIR/not-planned.json: every other stack of the manifest, with why it was not planned.
 * `complete` gives each planned stack that has no output in DIR (its plan job failed before terraform ran, or
 * never started) a failed record saying so, so the comment never passes over a stack silently.
 */
const USAGE = `usage: node scripts/run-app.mjs .github/scripts/pull-request-plans.ts select (--stacks FILE | --all) --environments FILE --out DIR [--cdktf-out DIR] [--fork] [--no-azure]
       node scripts/run-app.mjs .github/scripts/pull-request-plans.ts complete --plans FILE --diffs DIR
  --stacks        stacks the pull request changes or affects, one a line (npm run diff -- --stacks)
  --all           every stack of the manifest instead (when the selection failed)
  --environments  npm run environments -- --json
  --out           folder for plans.json and not-planned.json
  --cdktf-out     the synthesized stacks (default cdktf.out)
  --fork          the pull request comes from a fork: nothing is planned
  --no-azure      Azure OIDC is not configured for the repository (variable AZURE_TENANT_ID): nothing is planned
  --plans         select's plans.json
  --diffs         the plans' <stack>.txt and <stack>.exitcode, as plan-stacks.ts writes them`;

const OPTIONS = {
  '--stacks': 'value',
  '--all': 'flag',
  '--environments': 'value',
  '--out': 'value',
  '--cdktf-out': 'value',
  '--fork': 'flag',
  '--no-azure': 'flag',
  '--plans': 'value',
  '--diffs': 'value',
} as const;

/** Why a changed stack was not planned with Azure; the offline diff shows its changes in every case. */
export const NOT_PLANNED = {
  /** Also plan-stacks.ts's reason for the stacks of a plan job's environment that it leaves out. */
  unchanged: 'unchanged by this pull request',
  notOptedIn:
    "changed, but its environment's file does not set github.pullRequestPlans: true (a pull-request plan runs the pull request's code as the environment's plan identity, so each environment opts in); the offline diff above shows its changes",
  fork: 'changed, but the pull request comes from a fork, which gets no OIDC token; the offline diff above shows its changes',
  noAzure: 'changed, but Azure OIDC is not configured for this repository (variable AZURE_TENANT_ID); the offline diff above shows its changes',
} as const;

/** One plan job: an environment, the runner that reaches it, and its stacks (space-separated, for a workflow input). */
export interface PlanJob {
  readonly environment: string;
  readonly runner: string;
  readonly stacks: string;
}

/** What `select` decides. */
export interface Selection {
  readonly plans: PlanJob[];
  readonly notPlanned: { stack: string; reason: string }[];
}

/** The part of `npm run environments -- --json` this reads. */
export interface EnvironmentInfo {
  readonly name: string;
  readonly runner: string;
  readonly pullRequestPlans: boolean;
}

/** `<layer>-<environment>` (config/load.ts names environments with lowercase letters and digits). */
const STACK_NAME = /^[a-z][a-z0-9]{0,30}-([a-z][a-z0-9]{0,30})$/;
const environmentOf = (stack: string) => STACK_NAME.exec(stack)?.[1];

/**
 * The plan jobs and the stacks left out. `changed`: the stacks to plan (npm run diff -- --stacks), every one a
 * stack of `all`. Only environments that opt in are planned, and none from a fork or without Azure.
 */
export function selectPlans(input: {
  readonly all: ReadonlyArray<string>;
  readonly changed: ReadonlyArray<string>;
  readonly environments: ReadonlyArray<EnvironmentInfo>;
  readonly fork?: boolean;
  readonly noAzure?: boolean;
}): Selection {
  const unknown = input.changed.filter((s) => !input.all.includes(s));
  if (unknown.length) throw new Error(`not stacks of the manifest: ${unknown.slice(0, 5).map(quoted).join(', ')}`);
  const info = new Map(input.environments.map((e) => [e.name, e]));
  const byEnvironment = new Map<string, string[]>();
  const notPlanned: Selection['notPlanned'] = [];
  for (const stack of [...input.all].sort()) {
    const env = environmentOf(stack);
    if (env === undefined) throw new Error(`${quoted(stack)} is not a stack name (<layer>-<environment>)`);
    const reason = !input.changed.includes(stack)
      ? NOT_PLANNED.unchanged
      : input.fork
        ? NOT_PLANNED.fork
        : input.noAzure
          ? NOT_PLANNED.noAzure
          : info.get(env)?.pullRequestPlans
            ? undefined
            : NOT_PLANNED.notOptedIn;
    if (reason === undefined) byEnvironment.set(env, [...(byEnvironment.get(env) ?? []), stack]);
    else notPlanned.push({ stack, reason });
  }
  const plans = [...byEnvironment].map(([environment, stacks]) => ({ environment, runner: info.get(environment)!.runner, stacks: stacks.join(' ') }));
  return { plans, notPlanned };
}

/** The failed record of a planned stack whose plan job left no output. */
export function missingPlanOutput(job: PlanJob): string {
  return [
    `The plan job of environment ${job.environment} (plan-pull-request.yml, GitHub environment plan-${job.environment}) left no plan for this stack: it failed before terraform ran, or never started. Its log in this run says why.`,
    `Common causes: GitHub environment plan-${job.environment} lacks the variable AZURE_CLIENT_ID (bootstrap output ${job.environment}_plan_client_id), its deployment branches exclude this pull request's branch, or the bootstrap has not been applied since the environment's file set github.pullRequestPlans (docs/identities-and-ci.md, "Pull-request plans").`,
    '',
  ].join('\n');
}

/** The stacks of `<cdktfOut>/manifest.json`, sorted. */
function manifestStacks(cdktfOut: string): string[] {
  const file = path.join(cdktfOut, 'manifest.json');
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist; run npm run synth first`);
  return Object.keys((JSON.parse(fs.readFileSync(file, 'utf8')) as { stacks?: object }).stacks ?? {}).sort();
}

const lines = (file: string) => [
  ...new Set(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  ),
];

function readEnvironments(file: string): EnvironmentInfo[] {
  const list = (JSON.parse(fs.readFileSync(file, 'utf8')) as { environments?: unknown }).environments;
  if (!Array.isArray(list)) throw new Error(`${file} has no "environments" list (npm run environments -- --json)`);
  return list.map((e: Partial<EnvironmentInfo>) => {
    if (typeof e?.name !== 'string' || typeof e.runner !== 'string' || typeof e.pullRequestPlans !== 'boolean')
      throw new Error(`${file}: every environment needs "name", "runner" and "pullRequestPlans"`);
    return { name: e.name, runner: e.runner, pullRequestPlans: e.pullRequestPlans };
  });
}

/** Runs a command; returns its exit code (2: bad command line). Bad input throws. */
export function runPullRequestPlans(args: ReadonlyArray<string>, out: (text: string) => void): number {
  const [command, ...rest] = args;
  const parsed = parseArgs(rest, OPTIONS);
  if (parsed.error !== undefined) {
    out(`${parsed.error}\n${USAGE}\n`);
    return 2;
  }
  const { options } = parsed;
  if (options.help || command === '--help') {
    out(`${USAGE}\n`);
    return 0;
  }
  if (command !== 'select' && command !== 'complete') {
    out(`unknown command ${quoted(String(command))}\n${USAGE}\n`);
    return 2;
  }
  if (command === 'select') {
    if (!options.environments || !options.out || (options.stacks === undefined) === (options.all !== true)) {
      out(`select needs --environments, --out and either --stacks or --all\n${USAGE}\n`);
      return 2;
    }
    const all = manifestStacks(options.cdktfOut ?? 'cdktf.out');
    const selection = selectPlans({
      all,
      changed: options.all ? all : lines(options.stacks!),
      environments: readEnvironments(options.environments),
      fork: options.fork === true,
      noAzure: options.noAzure === true,
    });
    fs.mkdirSync(options.out, { recursive: true });
    fs.writeFileSync(path.join(options.out, 'plans.json'), `${JSON.stringify(selection.plans, null, 2)}\n`);
    fs.writeFileSync(path.join(options.out, 'not-planned.json'), `${JSON.stringify(selection.notPlanned, null, 2)}\n`);
    out(`plans=${JSON.stringify(selection.plans)}\n`);
    return 0;
  }
  if (!options.plans || !options.diffs) {
    out(`complete needs --plans and --diffs\n${USAGE}\n`);
    return 2;
  }
  const plans = JSON.parse(fs.readFileSync(options.plans, 'utf8')) as PlanJob[];
  fs.mkdirSync(options.diffs, { recursive: true });
  for (const job of plans) {
    for (const stack of job.stacks.split(' ')) {
      if (!STACK_NAME.test(stack)) throw new Error(`${options.plans}: ${quoted(stack)} is not a stack name`);
      const record = path.join(options.diffs, `${stack}.txt`);
      if (fs.existsSync(record)) continue;
      fs.writeFileSync(record, missingPlanOutput(job));
      fs.writeFileSync(path.join(options.diffs, `${stack}.exitcode`), '1\n');
    }
  }
  return 0;
}

// `node scripts/run-app.mjs .github/scripts/pull-request-plans.ts ARGS` (the entry is the first argument).
if (process.argv[2]?.endsWith('pull-request-plans.ts')) {
  try {
    process.exitCode = runPullRequestPlans(process.argv.slice(3), (text) => process.stdout.write(text));
  } catch (error) {
    console.error(`pull-request-plans: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
