import type { EnvironmentConfig } from './schema';
import type { ConfigProblem } from './validate';

/*
 * The order the workflows deploy environments in, from each file's `deploy.after`. Delivery config only:
 * synth never reads it. deploy.yml has one job per stage, so the number of stages is bounded.
 */

/** Stages deploy.yml has jobs for (stage-1 ... stage-6); a longer chain of `deploy.after` is refused. */
export const MAX_DEPLOY_STAGES = 6;

/** The default `deploy.runner`. */
export const DEFAULT_DEPLOY_RUNNER = 'ubuntu-latest';

/**
 * Labels of GitHub-hosted runners (ubuntu-latest, ubuntu-24.04, windows-2022, macos-14-large, ...): they run
 * on the internet, outside any VNet.
 */
export const GITHUB_HOSTED_RUNNER = /^(ubuntu|windows|macos)-(latest|\d+(\.\d+)?)(-[a-z0-9-]+)?$/i;

/** What the order is computed from: an environment's name and its `deploy` block. */
export type DeployNode = Pick<EnvironmentConfig, 'name' | 'deploy'>;

/** A problem with the deploy order, in the format of ConfigError's problems. */
export type DeployOrderProblem = { file: string; environment: string; value?: unknown } & ConfigProblem;

/**
 * An environment that the internet cannot reach (private API server, or Key Vault and registry only through
 * private endpoints) cannot be deployed from a GitHub-hosted runner. A check of one file: runs on every load.
 */
export function deployRunnerProblems(env: Pick<EnvironmentConfig, 'deploy' | 'network'>): ConfigProblem[] {
  const reasons = [
    env.network.apiServer.access === 'private' ? "network.apiServer.access is 'private'" : undefined,
    env.network.privateEndpoints ? 'network.privateEndpoints is true' : undefined,
  ].filter((r): r is string => r !== undefined);
  if (reasons.length === 0 || !GITHUB_HOSTED_RUNNER.test(env.deploy.runner)) return [];
  return [
    {
      path: 'deploy.runner',
      message:
        `${reasons.join(' and ')}, so a GitHub-hosted runner cannot reach the environment; set deploy.runner to the label ` +
        `of a self-hosted runner in (or peered with) its VNet (allowed: any runner label except GitHub-hosted ones like ubuntu-latest)`,
    },
  ];
}

/** The name of each environment's file, for messages. */
const fileOf = (files: ReadonlyMap<string, string> | undefined, name: string) => files?.get(name) ?? `${name}.yaml`;

/**
 * What is wrong with the deploy order of a whole folder: a `deploy.after` naming an unknown environment, the
 * environment itself or one twice, a cycle (named: `dev -> qa -> dev`), or more than MAX_DEPLOY_STAGES stages.
 * `files` maps environment names to their files (for messages; default `<name>.yaml`).
 */
export function deployOrderProblems(envs: ReadonlyArray<DeployNode>, files?: ReadonlyMap<string, string>): DeployOrderProblem[] {
  const problems: DeployOrderProblem[] = [];
  const byName = new Map(envs.map((e) => [e.name, e]));
  const known = [...byName.keys()].sort();
  for (const env of [...envs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const where = { file: fileOf(files, env.name), environment: env.name };
    env.deploy.after.forEach((before, i) => {
      const at = { ...where, path: `deploy.after.${i}`, value: before };
      if (before === env.name) {
        problems.push({
          ...at,
          message: `an environment cannot deploy after itself; allowed: other environments (${known.filter((k) => k !== env.name).join(', ') || 'none'})`,
        });
      } else if (!byName.has(before)) {
        problems.push({ ...at, message: `unknown environment '${before}'; known environments: ${known.join(', ')}` });
      } else if (env.deploy.after.indexOf(before) !== i) {
        problems.push({ ...at, message: `'${before}' is listed twice; list each environment once` });
      }
    });
  }
  if (problems.length > 0) return problems;

  const cycle = findCycle(envs);
  if (cycle) {
    const first = cycle[0];
    return [
      {
        file: fileOf(files, first),
        environment: first,
        path: 'deploy.after',
        value: byName.get(first)!.deploy.after,
        message: `deploy order has a cycle: ${cycle.join(' -> ')} (each deploys after the one before it); allowed: no cycles, so remove one of these from a deploy.after`,
      },
    ];
  }

  const depth = stageOf(envs);
  for (const env of [...envs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const stage = depth.get(env.name)!;
    if (stage >= MAX_DEPLOY_STAGES) {
      problems.push({
        file: fileOf(files, env.name),
        environment: env.name,
        path: 'deploy.after',
        value: env.deploy.after,
        message:
          `would deploy in stage ${stage + 1} (${longestChain(envs, env.name).join(' -> ')}), beyond the limit of ${MAX_DEPLOY_STAGES} stages ` +
          `(MAX_DEPLOY_STAGES, the stage jobs of deploy.yml); allowed: chains of deploy.after at most ${MAX_DEPLOY_STAGES} environments long`,
      });
    }
  }
  return problems;
}

/** A cycle of `deploy.after` as names, first name repeated at the end, or undefined. Deterministic: names in order. */
function findCycle(envs: ReadonlyArray<DeployNode>): string[] | undefined {
  const byName = new Map(envs.map((e) => [e.name, e]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const before of [...(byName.get(name)?.deploy.after ?? [])].sort()) {
      if (!byName.has(before)) continue;
      const found = visit(before);
      if (found) return found;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of [...byName.keys()].sort()) {
    const found = visit(name);
    // Walked along `after` (an environment, then what it waits for): reversed, it reads in deploy order.
    if (found) return found.reverse();
  }
  return undefined;
}

/** Stage of each environment (0 = no `after`): one more than its latest predecessor. Assumes no cycle and no unknown name. */
function stageOf(envs: ReadonlyArray<DeployNode>): Map<string, number> {
  const byName = new Map(envs.map((e) => [e.name, e]));
  const stage = new Map<string, number>();
  const of = (name: string): number => {
    const known = stage.get(name);
    if (known !== undefined) return known;
    const after = byName.get(name)!.deploy.after.filter((b) => byName.has(b));
    const value = after.length === 0 ? 0 : 1 + Math.max(...after.map(of));
    stage.set(name, value);
    return value;
  };
  for (const name of byName.keys()) of(name);
  return stage;
}

/** The longest chain of predecessors that ends in `name`, in deploy order. */
function longestChain(envs: ReadonlyArray<DeployNode>, name: string): string[] {
  const byName = new Map(envs.map((e) => [e.name, e]));
  const stage = stageOf(envs);
  const chain = [name];
  for (let at = name; stage.get(at)! > 0;) {
    at = [...byName.get(at)!.deploy.after].filter((b) => stage.get(b) === stage.get(at)! - 1).sort()[0];
    chain.unshift(at);
  }
  return chain;
}

/**
 * The deploy stages: stage 0 holds the environments with no `deploy.after`, stage k those whose predecessors
 * are all in earlier stages (and one in stage k-1); each stage sorted by name. Throws when the order is
 * invalid (see deployOrderProblems).
 */
export function deployStages(envs: ReadonlyArray<DeployNode>): string[][] {
  const problems = deployOrderProblems(envs);
  if (problems.length > 0) {
    throw new Error(
      `invalid deploy order:\n${problems.map((p) => `  ${p.file} (environment '${p.environment}'): ${p.path}: ${p.message}`).join('\n')}`,
    );
  }
  const stages: string[][] = [];
  for (const [name, stage] of stageOf(envs)) (stages[stage] ??= []).push(name);
  return stages.map((names) => names.sort());
}
