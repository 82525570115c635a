import { ConfigError, stateContainerName, type EnvironmentConfig, type FileProblem } from '../../config';

/*
 * What the bootstrap stack builds, worked out from every environment file and checked across them: the
 * state accounts (each in one subscription, one container per environment), the subscriptions involved,
 * and the one tenant. An inconsistency is a ConfigError naming each file, field and value.
 */

/** One state storage account and the environments whose state it holds. */
export interface StateAccountLayout {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly subscriptionId: string;
  readonly location: string;
  readonly environments: ReadonlyArray<EnvironmentConfig & { readonly github: NonNullable<EnvironmentConfig['github']> }>;
}

export interface BootstrapLayout {
  readonly tenantId: string;
  readonly accounts: ReadonlyArray<StateAccountLayout>;
  /** Every subscription the stack touches (environments' and state accounts'), sorted. */
  readonly subscriptions: ReadonlyArray<string>;
  /** Risks worth saying at synth, not errors. */
  readonly warnings: ReadonlyArray<string>;
}

/** The state account's settings as an environment resolves them (subscription and region default to the environment's). */
function stateOf(env: EnvironmentConfig) {
  return {
    resourceGroupName: env.state.resourceGroupName,
    subscriptionId: env.state.subscriptionId ?? env.subscriptionId,
    location: env.state.location ?? env.location,
  };
}

const DEFAULTS: Record<string, string> = {
  subscriptionId: "default: the environment's subscriptionId",
  location: "default: the environment's location",
};

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The layout of the bootstrap stack for these environments, or a ConfigError listing every problem.
 * `files` maps environment names to their files, for messages (default `environments/<name>.yaml`).
 */
export function bootstrapLayout(environments: ReadonlyArray<EnvironmentConfig>, files: ReadonlyMap<string, string> = new Map()): BootstrapLayout {
  const envs = [...environments].sort(byName);
  const fileOf = (env: EnvironmentConfig) => files.get(env.name) ?? `environments/${env.name}.yaml`;
  const problems: FileProblem[] = [];
  const problem = (env: EnvironmentConfig, path: string, value: unknown, message: string) =>
    problems.push({ file: fileOf(env), environment: env.name, path, value, message });

  if (envs.length === 0)
    throw new ConfigError([{ file: '(none)', environment: '(none)', path: '', message: 'the bootstrap stack needs at least one environment file' }]);

  for (const env of envs) {
    if (!env.github) {
      problem(
        env,
        'github.repository',
        undefined,
        'is required by the bootstrap stack: the owner/repo whose workflows deploy this environment, e.g. contoso/aks-environments',
      );
    }
  }

  // One tenant: custom roles and the identities' principals live in one directory.
  const tenantId = envs[0].tenantId;
  for (const env of envs.filter((e) => e.tenantId !== tenantId)) {
    problem(env, 'tenantId', env.tenantId, `differs from ${fileOf(envs[0])} (${tenantId}); the bootstrap stack serves one Entra ID tenant`);
  }

  const accounts: StateAccountLayout[] = [];
  const names = [...new Set(envs.map((e) => e.state.storageAccountName))].sort();
  for (const name of names) {
    const members = envs.filter((e) => e.state.storageAccountName === name);
    const first = stateOf(members[0]);
    for (const field of ['resourceGroupName', 'subscriptionId', 'location'] as const) {
      const values = new Set(members.map((e) => stateOf(e)[field]));
      if (values.size === 1) continue;
      const each = members.map((e) => {
        const explicit = field === 'resourceGroupName' || e.state[field] !== undefined;
        return `${fileOf(e)} has ${stateOf(e)[field]}${explicit ? '' : ` (${DEFAULTS[field]})`}`;
      });
      for (const env of members) {
        problem(
          env,
          `state.${field}`,
          stateOf(env)[field],
          `environments naming state account '${name}' must agree on its ${field}: ${each.join(', ')}; set state.${field} to the same value in each`,
        );
      }
    }
    // Two environments writing one container would share (and overwrite) each other's state.
    const containers = new Map<string, EnvironmentConfig[]>();
    for (const env of members) containers.set(stateContainerName(env), [...(containers.get(stateContainerName(env)) ?? []), env]);
    for (const [container, sharing] of containers) {
      if (sharing.length < 2) continue;
      for (const env of sharing) {
        problem(
          env,
          'state.containerName',
          container,
          `is also the state container of ${sharing
            .filter((e) => e !== env)
            .map(fileOf)
            .join(', ')} in account '${name}'; each environment needs its own`,
        );
      }
    }
    accounts.push({ name, ...first, environments: members as StateAccountLayout['environments'] });
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const stateSubscriptions = new Set(accounts.map((a) => a.subscriptionId));
  const warnings = envs
    .filter((e) => stateSubscriptions.has(e.subscriptionId))
    .map(
      (e) =>
        `warning: ${fileOf(e)} (environment '${e.name}'): the state account and the GitHub identities are in its subscription ${e.subscriptionId}; ` +
        `subscription-wide rights of its deploy identity reach them (other environments' state and federated credentials). ` +
        `A subscription of its own for the state (state.subscriptionId) avoids that.`,
    );
  const subscriptions = [...new Set([...envs.map((e) => e.subscriptionId), ...stateSubscriptions])].sort();
  return { tenantId, accounts, subscriptions, warnings };
}
