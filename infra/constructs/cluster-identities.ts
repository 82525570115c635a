import { Construct } from 'constructs';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import type { SubnetRole } from '../../config';
import type { ITerraformDependable } from '../cdktf';
import { grantRole, type IPrincipal } from './role-assignment';
import type { ResourceGroup } from './resource-group';

/** Properties of {@link ClusterIdentities}. */
export interface ClusterIdentitiesProps {
  readonly resourceGroup: ResourceGroup;
  /** Name of the control plane's identity. */
  readonly controlPlaneName: string;
  /** Name of the nodes' (kubelet's) identity. */
  readonly kubeletName: string;
  /**
   * Subnets the control plane manages, by role (node subnets, API server subnet, internal load
   * balancer subnet): it gets Network Contributor on each. Empty in the AKS-managed VNet.
   */
  readonly subnetIds: Readonly<Partial<Record<SubnetRole, string>>>;
  /**
   * A private API server's bring-your-own private DNS zone and the cluster's VNet: the control plane
   * gets Private DNS Zone Contributor on the zone (it writes the API server's record) and Network
   * Contributor on the VNet (AKS links the zone to it). @default the AKS-managed zone, no extra rights
   */
  readonly apiServerDnsZone?: { readonly zoneId: string; readonly virtualNetworkId: string };
}

/** The identity blocks of azurerm_kubernetes_cluster for {@link ClusterIdentities}. */
export interface ClusterIdentityArguments {
  readonly identity: { readonly type: 'UserAssigned'; readonly identityIds: string[] };
  readonly kubeletIdentity: { readonly clientId: string; readonly objectId: string; readonly userAssignedIdentityId: string };
}

/**
 * User-assigned identities for the AKS control plane and the kubelet, created before the cluster so
 * that their role assignments exist when AKS first uses them (a system-assigned identity only exists
 * after the cluster does, so a custom VNet would be joined before it had the right). The control plane
 * needs Managed Identity Operator on the kubelet identity to assign it to the nodes.
 * @see https://learn.microsoft.com/azure/aks/use-managed-identity#bring-your-own-managed-identity
 * @see https://learn.microsoft.com/azure/aks/configure-azure-cni#prerequisites (Network Contributor on the subnet)
 * @see https://learn.microsoft.com/azure/aks/private-clusters#custom-private-dns-zone-or-subzone-create-a-private-aks-cluster
 */
export class ClusterIdentities extends Construct {
  public readonly controlPlane: IPrincipal & { readonly identityId: string };
  public readonly kubelet: IPrincipal & { readonly identityId: string; readonly clientId: string };
  /** Role assignments the cluster must wait for. */
  public readonly dependables: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: ClusterIdentitiesProps) {
    super(scope, id);
    const identity = (cid: string, name: string) =>
      new UserAssignedIdentity(this, cid, {
        name,
        resourceGroupName: props.resourceGroup.resourceGroupName,
        location: props.resourceGroup.location,
      });
    const controlPlane = identity('ControlPlane', props.controlPlaneName);
    const kubelet = identity('Kubelet', props.kubeletName);
    this.controlPlane = { principalId: controlPlane.principalId, identityId: controlPlane.id };
    this.kubelet = { principalId: kubelet.principalId, identityId: kubelet.id, clientId: kubelet.clientId };

    this.dependables.push(grantRole(this, 'KubeletOperator', { role: 'Managed Identity Operator', on: kubelet.id, principal: this.controlPlane }));
    const granted = new Set<string>();
    for (const [role, subnetId] of Object.entries(props.subnetIds)) {
      // One subnet can serve two roles (existing subnets); a second identical assignment would fail with 409.
      if (!subnetId || granted.has(subnetId)) continue;
      granted.add(subnetId);
      this.dependables.push(
        grantRole(this, `NetworkContributor-${role}`, { role: 'Network Contributor', on: subnetId, principal: this.controlPlane }),
      );
    }
    const dnsZone = props.apiServerDnsZone;
    if (dnsZone) {
      this.dependables.push(
        grantRole(this, 'ApiServerDnsZoneContributor', { role: 'Private DNS Zone Contributor', on: dnsZone.zoneId, principal: this.controlPlane }),
        grantRole(this, 'NetworkContributor-virtualNetwork', {
          role: 'Network Contributor',
          on: dnsZone.virtualNetworkId,
          principal: this.controlPlane,
        }),
      );
    }
  }

  /** The cluster's `identity` and `kubelet_identity` arguments. */
  public clusterArguments(): ClusterIdentityArguments {
    return {
      identity: { type: 'UserAssigned', identityIds: [this.controlPlane.identityId] },
      kubeletIdentity: { clientId: this.kubelet.clientId, objectId: this.kubelet.principalId, userAssignedIdentityId: this.kubelet.identityId },
    };
  }
}
