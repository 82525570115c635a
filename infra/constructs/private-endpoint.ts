import { Construct } from 'constructs';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { PrivateEndpoint as Endpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { PRIVATE_DNS_ZONES } from '../../config';
import type { ResourceGroup } from './resource-group';

/** Properties of a {@link PrivateEndpoint}. */
export interface PrivateEndpointProps {
  readonly resourceGroup: ResourceGroup;
  /** Endpoint name; its network interface and connection are named after it. */
  readonly name: string;
  /** The resource reached privately (Key Vault, registry). */
  readonly targetResourceId: string;
  /** Its private-link sub-resource: `vault` for Key Vault, `registry` for ACR. */
  readonly subresource: keyof typeof PRIVATE_DNS_ZONES;
  /** Subnet the endpoint's addresses come from. */
  readonly subnetId: string;
  /** VNet whose clients (nodes, runners) resolve the service to the private address. */
  readonly virtualNetworkId: string;
  /**
   * Peered VNets of CI runners and operators: a created zone is linked to each too, or they would
   * resolve the public address, which refuses them. @default none
   */
  readonly runnerNetworkIds?: ReadonlyArray<string>;
  /**
   * An existing private DNS zone for the records (a hub's, already linked to the VNets that resolve it).
   * @default a zone created in the resource group and linked to `virtualNetworkId`
   */
  readonly privateDnsZoneId?: string;
}

/**
 * A private endpoint with its private DNS zone, linked to the VNet, and a zone group so Azure writes
 * the A records (for the registry also one per regional data endpoint). The service's public name
 * then resolves to the private address inside the VNet; nothing else changes for clients.
 * @see https://learn.microsoft.com/azure/container-registry/container-registry-private-link
 * @see https://learn.microsoft.com/azure/key-vault/general/private-link-service
 */
export class PrivateEndpoint extends Construct {
  public readonly privateEndpointId: string;
  public readonly privateDnsZoneId: string;

  constructor(scope: Construct, id: string, props: PrivateEndpointProps) {
    super(scope, id);
    const rg = props.resourceGroup;
    const zoneId = props.privateDnsZoneId ?? this.createZone(props);
    const endpoint = new Endpoint(this, 'Resource', {
      name: props.name,
      resourceGroupName: rg.resourceGroupName,
      location: rg.location,
      subnetId: props.subnetId,
      customNetworkInterfaceName: `${props.name}-nic`,
      privateServiceConnection: {
        name: props.name,
        privateConnectionResourceId: props.targetResourceId,
        subresourceNames: [props.subresource],
        isManualConnection: false,
      },
      privateDnsZoneGroup: { name: 'default', privateDnsZoneIds: [zoneId] },
    });
    this.privateEndpointId = endpoint.id;
    this.privateDnsZoneId = zoneId;
  }

  private createZone(props: PrivateEndpointProps): string {
    const rg = props.resourceGroup;
    const zone = new PrivateDnsZone(this, 'Zone', { name: PRIVATE_DNS_ZONES[props.subresource], resourceGroupName: rg.resourceGroupName });
    const link = (id: string, name: string, virtualNetworkId: string) =>
      new PrivateDnsZoneVirtualNetworkLink(this, id, {
        name,
        resourceGroupName: rg.resourceGroupName,
        privateDnsZoneName: zone.name,
        virtualNetworkId,
        // The zone only answers for the service; VMs do not register their names in it.
        registrationEnabled: false,
      });
    link('ZoneLink', `${props.name}-link`, props.virtualNetworkId);
    // Named after the runner VNet (unique in the zone); the link to the environment's VNet keeps its address.
    for (const vnetId of props.runnerNetworkIds ?? []) {
      const vnetName = vnetId.slice(vnetId.lastIndexOf('/') + 1);
      link(`RunnerLink-${vnetName}`, `${props.name}-runner-${vnetName}`.slice(0, 80), vnetId);
    }
    return zone.id;
  }
}
