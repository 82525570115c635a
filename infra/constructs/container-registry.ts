import { Construct } from 'constructs';
import { ContainerRegistry as Registry } from '@cdktf/provider-azurerm/lib/container-registry';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { DiagnosticSettings } from './diagnostic-settings';
import { grantRole, type IPrincipal } from './role-assignment';
import { registryNetworkArguments, type ServiceNetworkAccess } from './service-network-access';
import type { ResourceGroup } from './resource-group';

/** Properties of a {@link ContainerRegistry}. */
export interface ContainerRegistryProps {
  readonly resourceGroup: ResourceGroup;
  /** Globally unique, 5-50 alphanumerics (see naming.ts). */
  readonly name: string;
  /** Registry SKU. Premium enables zone redundancy, geo-replication and retention. */
  readonly sku: 'Basic' | 'Standard' | 'Premium';
  /** Spread the registry over availability zones (Premium only, in a region with zones). */
  readonly zoneRedundancy: boolean;
  /** Other regions to replicate images to (Premium only); empty for none. */
  readonly geoReplicationLocations: ReadonlyArray<string>;
  /** Days untagged manifests are kept (Premium only). @default no retention policy */
  readonly untaggedRetentionDays?: number;
  /** Where registry login and repository events go. */
  readonly logAnalyticsWorkspaceId: string;
  /** Public access and firewall (Premium only when restricted; see service-network-access.ts). */
  readonly networkAccess: ServiceNetworkAccess;
}

/** Private image registry: no admin user, no anonymous pull; clusters pull with their identity. */
export class ContainerRegistry extends Construct {
  public readonly registryId: string;
  public readonly registryLoginServer: string;
  private readonly registry: Registry;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    const sku = props.sku;
    const premium = sku === 'Premium';
    // Azure would ignore or reject these below Premium; say so instead of dropping them silently.
    const premiumOnly: Array<[string, boolean]> = [
      ['zoneRedundancy', props.zoneRedundancy],
      ['geoReplicationLocations', props.geoReplicationLocations.length > 0],
      ['untaggedRetentionDays', props.untaggedRetentionDays !== undefined],
    ];
    for (const [prop, used] of premiumOnly) {
      if (used && !premium) throw new Error(`registry '${props.name}': ${prop} needs sku 'Premium' (sku is '${sku}')`);
    }
    this.registry = new Registry(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      location: props.resourceGroup.location,
      sku,
      adminEnabled: false,
      anonymousPullEnabled: false,
      zoneRedundancyEnabled: premium ? props.zoneRedundancy : undefined,
      retentionPolicyInDays: props.untaggedRetentionDays,
      georeplications: premium ? props.geoReplicationLocations.map((location) => ({ location, zoneRedundancyEnabled: true })) : undefined,
      ...registryNetworkArguments(props.networkAccess, sku, props.name),
    });
    this.registryId = this.registry.id;
    this.registryLoginServer = this.registry.loginServer;

    new DiagnosticSettings(this, 'Diagnostics', {
      targetResourceId: this.registry.id,
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      resourceType: 'Microsoft.ContainerRegistry/registries',
      logCategories: ['ContainerRegistryRepositoryEvents', 'ContainerRegistryLoginEvents'],
    });
  }

  /** Lets an identity pull images (AcrPull), e.g. the cluster's kubelet identity. */
  public grantPull(identity: IPrincipal, id = 'AcrPull'): RoleAssignment {
    return grantRole(this, id, { role: 'AcrPull', on: this.registry.id, principal: identity });
  }
}
