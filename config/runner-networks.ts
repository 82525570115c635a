import { namingContext, resourceName } from './naming';
import { PRIVATE_DNS_ZONES, virtualNetworkIdOf } from './network';
import type { EnvironmentConfig } from './schema';
import type { ConfigProblem } from './validate';

export type RunnerNetworkProblem = { file: string; environment: string; value?: unknown } & ConfigProblem;

type Environment = Pick<EnvironmentConfig, 'name' | 'workload' | 'location' | 'subscriptionId' | 'network'>;

/** Where an environment's private-endpoint zones resolve: a zone its platform creates, or a central one it brings. */
type Zone = { readonly createdBy: string } | { readonly centralId: string };

/** The Key Vault and registry zones of an environment with private endpoints. */
function zonesOf(env: Environment): { name: string; zone: Zone }[] {
  if (!env.network.privateEndpoints) return [];
  const vnet = env.network.virtualNetwork;
  const central = vnet.mode === 'existing' ? vnet.privateDnsZones : undefined;
  const zone = (id: string | undefined): Zone => (id ? { centralId: id.toLowerCase() } : { createdBy: env.name });
  return [
    { name: PRIVATE_DNS_ZONES.vault, zone: zone(central?.keyVault) },
    { name: PRIVATE_DNS_ZONES.registry, zone: zone(central?.registry) },
  ];
}

/** The networks an environment links its zones to: its own VNet (existing, or the one its platform creates) and its runner networks. */
function linkedNetworks(env: Environment): { id: string; path: string }[] {
  const vnet = env.network.virtualNetwork;
  const ctx = namingContext(env);
  const own =
    vnet.mode === 'existing'
      ? [{ id: virtualNetworkIdOf(vnet.subnets.systemNodes), path: 'network.virtualNetwork.subnets.systemNodes' }]
      : vnet.mode === 'create'
        ? [
            {
              id: `/subscriptions/${env.subscriptionId}/resourceGroups/${resourceName('resourceGroup', ctx)}/providers/Microsoft.Network/virtualNetworks/${resourceName('virtualNetwork', ctx)}`,
              path: 'network.virtualNetwork',
            },
          ]
        : [];
  return [...own, ...env.network.runnerNetworks.map((id, i) => ({ id, path: `network.runnerNetworks.${i}` }))];
}

const sameZone = (a: Zone, b: Zone) =>
  'createdBy' in a ? 'createdBy' in b && a.createdBy === b.createdBy : 'centralId' in b && a.centralId === b.centralId;

/**
 * A check across environment files: Azure links a virtual network to one private DNS zone of a name
 * (MicrosoftDocs/azure-aks-docs#212), and the platform links the Key Vault and registry zones it creates to
 * the environment's VNet and every runner network. Two environments whose zones of one name differ (one
 * created by each, or a created and a central one) cannot both reach one network that way: the second link
 * fails at apply. Azure IDs are compared without case. `files` maps environment names to their files.
 */
export function runnerNetworkProblems(envs: ReadonlyArray<Environment>, files?: ReadonlyMap<string, string>): RunnerNetworkProblem[] {
  const problems: RunnerNetworkProblem[] = [];
  /** Per network and zone name: the first environment that resolves it there, and through which zone. */
  const linked = new Map<string, { environment: string; zone: Zone }>();
  for (const env of [...envs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    for (const network of linkedNetworks(env)) {
      const clashes: { name: string; environment: string }[] = [];
      for (const { name, zone } of zonesOf(env)) {
        const key = `${network.id.toLowerCase()} ${name}`;
        const first = linked.get(key);
        if (!first) linked.set(key, { environment: env.name, zone });
        else if (!sameZone(first.zone, zone) && ('createdBy' in zone || 'createdBy' in first.zone))
          clashes.push({ name, environment: first.environment });
      }
      if (clashes.length === 0) continue;
      const names = clashes.map((c) => c.name);
      problems.push({
        file: files?.get(env.name) ?? `${env.name}.yaml`,
        environment: env.name,
        path: network.path,
        value: network.id,
        message:
          `'${clashes[0].environment}' also links its ${names.join(' and ')} ${names.length > 1 ? 'zones' : 'zone'} to this network, ` +
          'and each would link its own, which Azure refuses (a network resolves one zone of a name); give each private environment ' +
          "its own runner network and VNet, or use one central zone for both (network.virtualNetwork mode 'existing' with privateDnsZones)",
      });
    }
  }
  return problems;
}
