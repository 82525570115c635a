import type { Construct } from 'constructs';
import {
  namingContext,
  resourceName,
  subnetName,
  SUBNET_QUALIFIERS,
  SUBNET_ROLES,
  virtualNetworkIdOf,
  type EnvironmentConfig,
  type SubnetRole,
} from '../../config';
import type { ITerraformDependable } from '../cdktf';
import { ClusterIdentities } from '../constructs/cluster-identities';
import { ApiServerDnsZone, type ClusterNetwork } from '../constructs/cluster-network';
import { PrivateEndpoint } from '../constructs/private-endpoint';
import type { ResourceGroup } from '../constructs/resource-group';
import { OPEN_NETWORK_ACCESS, type ServiceNetworkAccess } from '../constructs/service-network-access';
import { VirtualNetwork } from '../constructs/virtual-network';

/** What the platform stack wires from an environment's `network` section. */
export interface PlatformNetwork {
  /** The cluster's subnets, ranges, outbound and API server access. */
  readonly cluster: ClusterNetwork;
  /** Control-plane and kubelet identities, with Network Contributor on the subnets they manage. */
  readonly identities: ClusterIdentities;
  /** What the cluster waits for: role assignments, NSG and NAT gateway associations. */
  readonly clusterDependsOn: ITerraformDependable[];
  /** Key Vault's and the registry's public access and firewall. */
  readonly serviceAccess: ServiceNetworkAccess;
  /** Private endpoints for the registry and Key Vault, when the environment has them. */
  connectPrivately(targets: { readonly registryId: string; readonly keyVaultId: string }): void;
}

/**
 * The environment's network: a created VNet (subnets, NSGs, optional NAT gateway) or existing subnets
 * by ID, the cluster identities that manage them, and Key Vault/registry network access.
 */
export function platformNetwork(scope: Construct, env: EnvironmentConfig, rg: ResourceGroup, logAnalyticsWorkspaceId: string): PlatformNetwork {
  const naming = namingContext(env);
  const { network } = env;
  const vnetConfig = network.virtualNetwork;

  let subnetIds: Partial<Record<SubnetRole, string>> = {};
  let virtualNetworkId: string | undefined;
  const dependables: ITerraformDependable[] = [];
  if (vnetConfig.mode === 'create') {
    const subnets = Object.fromEntries(
      SUBNET_ROLES.map((role) => [
        role,
        {
          name: subnetName(env, role),
          addressPrefix: vnetConfig.subnets[role],
          networkSecurityGroupName: resourceName('networkSecurityGroup', naming, SUBNET_QUALIFIERS[role]),
        },
      ]),
    ) as Record<SubnetRole, { name: string; addressPrefix: string; networkSecurityGroupName: string }>;
    const vnet = new VirtualNetwork(scope, 'Network', {
      resourceGroup: rg,
      name: resourceName('virtualNetwork', naming),
      addressSpace: vnetConfig.addressSpace,
      subnets,
      logAnalyticsWorkspaceId,
      allowPublicWebTraffic: !env.app.internalLoadBalancer,
      natGateway:
        network.outboundType === 'userAssignedNATGateway'
          ? { name: resourceName('natGateway', naming), publicIpName: resourceName('publicIp', naming, 'egress') }
          : undefined,
    });
    subnetIds = vnet.subnetIds;
    virtualNetworkId = vnet.virtualNetworkId;
    dependables.push(...vnet.dependables);
  } else if (vnetConfig.mode === 'existing') {
    subnetIds = { ...vnetConfig.subnets, internalLoadBalancers: vnetConfig.subnets.internalLoadBalancers ?? vnetConfig.subnets.userNodes };
    virtualNetworkId = virtualNetworkIdOf(vnetConfig.subnets.systemNodes);
  }

  const apiServerSubnetId = network.apiServer.vnetIntegration ? subnetIds.apiServer : undefined;
  // A private API server's zone, linked to the runner networks like the other private zones. Only with a
  // VNet the platform knows: in the AKS-managed VNet the cluster keeps the AKS-managed zone (docs/network.md).
  const apiServerDnsZone =
    network.apiServer.access === 'private' && network.runnerNetworks.length > 0 && virtualNetworkId
      ? new ApiServerDnsZone(scope, 'ApiServerDns', {
          resourceGroup: rg,
          subzone: resourceName('kubernetesCluster', naming),
          region: env.location,
          virtualNetworkId,
          runnerNetworkIds: network.runnerNetworks,
        })
      : undefined;
  const identities = new ClusterIdentities(scope, 'ClusterIdentity', {
    resourceGroup: rg,
    controlPlaneName: resourceName('managedIdentity', naming, 'aks'),
    kubeletName: resourceName('managedIdentity', naming, 'kubelet'),
    // The control plane joins nodes to their subnets, projects the API server into its subnet and
    // puts internal load balancer frontends into theirs; private endpoints are not its business.
    subnetIds: {
      systemNodes: subnetIds.systemNodes,
      userNodes: subnetIds.userNodes,
      apiServer: apiServerSubnetId,
      internalLoadBalancers: subnetIds.internalLoadBalancers,
    },
    apiServerDnsZone: apiServerDnsZone && virtualNetworkId ? { zoneId: apiServerDnsZone.privateDnsZoneId, virtualNetworkId } : undefined,
  });
  dependables.push(...identities.dependables);

  const privateOnly = network.privateEndpoints;
  return {
    cluster: {
      systemNodesSubnetId: subnetIds.systemNodes,
      userNodesSubnetId: subnetIds.userNodes,
      podCidr: network.podCidr,
      serviceCidr: network.serviceCidr,
      dnsServiceIp: network.dnsServiceIp,
      outboundType: network.outboundType,
      apiServerAccess: network.apiServer.access,
      authorizedIpRanges: network.apiServer.authorizedIpRanges,
      apiServerSubnetId,
      privateDnsZoneId: apiServerDnsZone?.privateDnsZoneId,
    },
    identities,
    clusterDependsOn: dependables,
    serviceAccess: privateOnly
      ? { publicNetworkAccess: network.publicNetworkAccess, defaultAction: 'Deny', allowedIpRanges: network.trustedIpRanges }
      : OPEN_NETWORK_ACCESS,
    connectPrivately(targets) {
      if (!network.privateEndpoints) return;
      const subnetId = subnetIds.privateEndpoints;
      const vnetId = virtualNetworkId;
      if (!subnetId || !vnetId) {
        // The config validation refuses this; a caller bypassing it gets a clear message, not a broken plan.
        throw new Error(`environment '${env.name}': private endpoints need a VNet with an endpoint subnet (network.virtualNetwork)`);
      }
      const centralZones = vnetConfig.mode === 'existing' ? vnetConfig.privateDnsZones : undefined;
      for (const [id, subresource, targetResourceId, zoneId] of [
        ['RegistryEndpoint', 'registry', targets.registryId, centralZones?.registry],
        ['KeyVaultEndpoint', 'vault', targets.keyVaultId, centralZones?.keyVault],
      ] as const) {
        new PrivateEndpoint(scope, id, {
          resourceGroup: rg,
          name: resourceName('privateEndpoint', naming, subresource === 'vault' ? 'kv' : 'cr'),
          targetResourceId,
          subresource,
          subnetId,
          virtualNetworkId: vnetId,
          runnerNetworkIds: network.runnerNetworks,
          privateDnsZoneId: zoneId,
        });
      }
    },
  };
}
