import { Construct } from 'constructs';
import type { KubernetesClusterApiServerAccessProfile } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import type { ResourceGroup } from './resource-group';

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
  /** Private DNS zone of a private API server, created by the platform ({@link ApiServerDnsZone}). @default `System` (AKS-managed) */
  readonly privateDnsZoneId?: string;
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
 * The cluster-level network arguments. Private clusters use the platform's zone when given, else the
 * AKS-managed private DNS zone (`System`), linked to the cluster's VNet; the API server's FQDN then
 * resolves only inside the linked VNets,
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
    privateDnsZoneId: isPrivate ? (network.privateDnsZoneId ?? 'System') : undefined,
    privateClusterPublicFqdnEnabled: isPrivate ? false : undefined,
    apiServerAccessProfile: Object.keys(profile).length > 0 ? profile : undefined,
  };
}

/** Properties of an {@link ApiServerDnsZone}. */
export interface ApiServerDnsZoneProps {
  readonly resourceGroup: ResourceGroup;
  /** Subzone label, unique per cluster (the cluster name). */
  readonly subzone: string;
  /** Azure region name of the cluster, e.g. `westeurope`. */
  readonly region: string;
  /** The cluster's VNet. */
  readonly virtualNetworkId: string;
  /** VNets of CI runners and operators: each gets a link, so they resolve the private FQDN. */
  readonly runnerNetworkIds: ReadonlyArray<string>;
}

/**
 * A bring-your-own private DNS zone for a private API server, linked to the cluster's VNet and every
 * runner VNet (the AKS-managed `System` zone lives in the node resource group, out of the platform's
 * reach). Its name must be `privatelink.<region>.azmk8s.io` or `<subzone>.privatelink.<region>.azmk8s.io`;
 * a subzone per cluster, because a VNet cannot be linked to two zones of the same name
 * (MicrosoftDocs/azure-aks-docs#212), and two environments in one region may share a runner VNet.
 * The control plane needs Private DNS Zone Contributor on it (ClusterIdentities).
 * @see https://learn.microsoft.com/azure/aks/private-clusters#custom-private-dns-zone-or-subzone-create-a-private-aks-cluster
 */
export class ApiServerDnsZone extends Construct {
  public readonly privateDnsZoneId: string;
  public readonly zoneName: string;

  constructor(scope: Construct, id: string, props: ApiServerDnsZoneProps) {
    super(scope, id);
    const rg = props.resourceGroup;
    this.zoneName = `${props.subzone}.privatelink.${props.region}.azmk8s.io`;
    const zone = new PrivateDnsZone(this, 'Zone', { name: this.zoneName, resourceGroupName: rg.resourceGroupName });
    const link = (lid: string, name: string, virtualNetworkId: string) =>
      new PrivateDnsZoneVirtualNetworkLink(this, lid, {
        name: name.slice(0, 80),
        resourceGroupName: rg.resourceGroupName,
        privateDnsZoneName: zone.name,
        virtualNetworkId,
        // AKS writes the API server's record; VMs do not register their names in it.
        registrationEnabled: false,
      });
    link('ClusterLink', `${props.subzone}-link`, props.virtualNetworkId);
    for (const vnetId of props.runnerNetworkIds) {
      const vnetName = vnetId.slice(vnetId.lastIndexOf('/') + 1);
      link(`RunnerLink-${vnetName}`, `${props.subzone}-runner-${vnetName}`, vnetId);
    }
    this.privateDnsZoneId = zone.id;
  }
}
