import { namingContext, resourceName } from './naming';
import type { EnvironmentConfig } from './schema';

/*
 * Facts derived from the `network` section that several layers need: the infra constructs, the
 * workloads (the internal load balancer's subnet) and the validation.
 */

/**
 * Private DNS zones of the services that get private endpoints, by private-link sub-resource.
 * @see https://learn.microsoft.com/azure/private-link/private-endpoint-dns#security
 */
export const PRIVATE_DNS_ZONES = {
  vault: 'privatelink.vaultcore.azure.net',
  registry: 'privatelink.azurecr.io',
} as const;

/** The roles of the subnets of a created VNet, in address order. */
export const SUBNET_ROLES = ['systemNodes', 'userNodes', 'apiServer', 'privateEndpoints', 'internalLoadBalancers'] as const;
export type SubnetRole = (typeof SUBNET_ROLES)[number];

/** The short word that tells a role's subnet and NSG apart in their names. */
export const SUBNET_QUALIFIERS: Readonly<Record<SubnetRole, string>> = {
  systemNodes: 'system',
  userNodes: 'user',
  apiServer: 'apiserver',
  privateEndpoints: 'pep',
  internalLoadBalancers: 'ilb',
};

/** Name of a created subnet, e.g. snet-photoview-prod-weu-ilb. */
export function subnetName(env: EnvironmentConfig, role: SubnetRole): string {
  return resourceName('subnet', namingContext(env), SUBNET_QUALIFIERS[role]);
}

/**
 * The subnet (by name, in the nodes' VNet) where the app's internal load balancer gets its IP, for the
 * `service.beta.kubernetes.io/azure-load-balancer-internal-subnet` annotation; undefined means the
 * node subnet (AKS's default).
 */
export function internalLoadBalancerSubnetName(env: EnvironmentConfig): string | undefined {
  const vnet = env.network.virtualNetwork;
  if (vnet.mode === 'create') return subnetName(env, 'internalLoadBalancers');
  if (vnet.mode === 'existing' && vnet.subnets.internalLoadBalancers) return subnetNameOf(vnet.subnets.internalLoadBalancers);
  return undefined;
}

/** Nodes a pool can have at once: its maximum plus the upgrade surge. */
export function peakNodes(pool: { readonly maxCount: number; readonly maxSurge: string }): number {
  const surge = pool.maxSurge.endsWith('%') ? Math.ceil((pool.maxCount * Number(pool.maxSurge.slice(0, -1))) / 100) : Number(pool.maxSurge);
  return pool.maxCount + surge;
}

/** The VNet part of a subnet resource ID (`.../virtualNetworks/<vnet>`), lower-cased for comparison. */
export function virtualNetworkIdOf(subnetId: string): string {
  return subnetId.replace(/\/subnets\/[^/]+$/i, '');
}

/** Name of the subnet a resource ID points to. */
export function subnetNameOf(subnetId: string): string {
  return subnetId.slice(subnetId.lastIndexOf('/') + 1);
}

/** Addresses the private endpoints take: one for Key Vault, and for the registry one plus one per region it serves. */
export function privateEndpointAddresses(env: EnvironmentConfig): number {
  return 1 + 1 + 1 + env.registry.geoReplicationLocations.length;
}
