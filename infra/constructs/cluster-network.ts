import type { KubernetesClusterApiServerAccessProfile } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';

/** Where a cluster's nodes and API server live, and how they are reached. */
export interface ClusterNetwork {
  /** Subnet of the system pool. @default the AKS-managed VNet */
  readonly systemNodesSubnetId?: string;
  /** Subnet of the user pool. @default the AKS-managed VNet */
  readonly userNodesSubnetId?: string;
  /** Overlay pod range (a /24 per node). */
  readonly podCidr: string;
  /** Kubernetes Service range, outside the VNet. */
  readonly serviceCidr: string;
  /** CoreDNS address inside serviceCidr. */
  readonly dnsServiceIp: string;
  /** @see https://learn.microsoft.com/azure/aks/egress-outboundtype */
  readonly outboundType: 'loadBalancer' | 'managedNATGateway' | 'userAssignedNATGateway' | 'userDefinedRouting';
  /** `public`, `authorizedRanges` (public, but only from `authorizedIpRanges`) or `private` (no public endpoint). */
  readonly apiServerAccess: 'public' | 'authorizedRanges' | 'private';
  readonly authorizedIpRanges: ReadonlyArray<string>;
  /** Delegated subnet the API server is projected into (API server VNet integration). @default no VNet integration */
  readonly apiServerSubnetId?: string;
}

/** The azurerm_kubernetes_cluster arguments a {@link ClusterNetwork} sets. */
export interface ClusterNetworkArguments {
  /** Merged into `network_profile` (all ForceNew: a change recreates the cluster). */
  readonly networkProfile: { podCidr: string; serviceCidr: string; dnsServiceIp: string; outboundType: string };
  readonly privateClusterEnabled: boolean;
  readonly privateDnsZoneId?: string;
  readonly privateClusterPublicFqdnEnabled?: boolean;
  readonly apiServerAccessProfile?: KubernetesClusterApiServerAccessProfile;
}

/**
 * The cluster-level network arguments. Private clusters use the AKS-managed private DNS zone
 * (`System`), linked to the cluster's VNet; the API server's FQDN then resolves only inside that VNet,
 * which is where the apps stack's kubernetes provider (host from `kube_config[0].host`) must run
 * (hashicorp/terraform-provider-azurerm#18310). VNet integration uses `subnet_id` and
 * `virtual_network_integration_enabled`, present again in azurerm 4.x
 * (hashicorp/terraform-provider-azurerm#30505, #30576; the subnet is delegated to
 * Microsoft.ContainerService/managedClusters and the control plane has Network Contributor on it, #18500).
 * @see https://learn.microsoft.com/azure/aks/private-clusters
 * @see https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges
 * @see https://learn.microsoft.com/azure/aks/api-server-vnet-integration
 */
export function clusterNetworkArguments(network: ClusterNetwork): ClusterNetworkArguments {
  const isPrivate = network.apiServerAccess === 'private';
  const profile: KubernetesClusterApiServerAccessProfile = {
    ...(network.apiServerAccess === 'authorizedRanges' ? { authorizedIpRanges: [...network.authorizedIpRanges] } : {}),
    ...(network.apiServerSubnetId ? { subnetId: network.apiServerSubnetId, virtualNetworkIntegrationEnabled: true } : {}),
  };
  return {
    networkProfile: {
      podCidr: network.podCidr,
      serviceCidr: network.serviceCidr,
      dnsServiceIp: network.dnsServiceIp,
      outboundType: network.outboundType,
    },
    privateClusterEnabled: isPrivate,
    privateDnsZoneId: isPrivate ? 'System' : undefined,
    privateClusterPublicFqdnEnabled: isPrivate ? false : undefined,
    apiServerAccessProfile: Object.keys(profile).length > 0 ? profile : undefined,
  };
}
