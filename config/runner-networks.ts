import { PRIVATE_DNS_ZONES } from './network';
import type { EnvironmentConfig } from './schema';
import type { ConfigProblem } from './validate';

export type RunnerNetworkProblem = { file: string; environment: string; value?: unknown } & ConfigProblem;

/** The private DNS zones an environment resolves on its runner networks: the ones the platform creates and links there, and central ones it brings. */
function zonesOf(env: Pick<EnvironmentConfig, 'name' | 'network'>): { name: string; zone: string }[] {
  if (!env.network.privateEndpoints) return [];
  const vnet = env.network.virtualNetwork;
  const central = vnet.mode === 'existing' ? vnet.privateDnsZones : undefined;
  return [
    { name: PRIVATE_DNS_ZONES.vault, zone: central?.keyVault?.toLowerCase() ?? `created by ${env.name}` },
    { name: PRIVATE_DNS_ZONES.registry, zone: central?.registry?.toLowerCase() ?? `created by ${env.name}` },
  ];
}

/**
 * A check across environment files: Azure links a virtual network to one private DNS zone of a name
 * (MicrosoftDocs/azure-aks-docs#212), and the platform links the Key Vault and registry zones it creates to
 * every runner network. Two environments whose zones of one name differ (one created by each, or a created
 * and a central one) cannot share a runner network: the second link fails at apply. Per-cluster API server
 * zones have names of their own and never collide. `files` maps environment names to their files.
 */
export function runnerNetworkProblems(
  envs: ReadonlyArray<Pick<EnvironmentConfig, 'name' | 'network'>>,
  files?: ReadonlyMap<string, string>,
): RunnerNetworkProblem[] {
  const problems: RunnerNetworkProblem[] = [];
  /** Per runner network and zone name: the first environment that resolves it there, and through which zone. */
  const linked = new Map<string, { environment: string; zone: string }>();
  for (const env of [...envs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    env.network.runnerNetworks.forEach((runner, i) => {
      const clashes: { name: string; environment: string }[] = [];
      for (const { name, zone } of zonesOf(env)) {
        const key = `${runner.toLowerCase()} ${name}`;
        const first = linked.get(key);
        if (!first) linked.set(key, { environment: env.name, zone });
        else if (first.zone !== zone && [zone, first.zone].some((z) => z.startsWith('created by')))
          clashes.push({ name, environment: first.environment });
      }
      if (clashes.length === 0) return;
      const names = clashes.map((c) => c.name);
      problems.push({
        file: files?.get(env.name) ?? `${env.name}.yaml`,
        environment: env.name,
        path: `network.runnerNetworks.${i}`,
        value: runner,
        message:
          `is also a runner network of '${clashes[0].environment}', and each would link its own ${names.join(' and ')} ` +
          `${names.length > 1 ? 'zones' : 'zone'} to it, which Azure refuses (a network resolves one zone of a name); ` +
          "give each private environment its own runner network, or use one central zone for both (network.virtualNetwork mode 'existing' with privateDnsZones)",
      });
    });
  }
  return problems;
}
