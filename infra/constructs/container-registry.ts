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
  /**
   * Registry SKU. Premium enables zone redundancy, geo-replication and retention.
   * @default 'Standard'
   */
  readonly sku?: 'Basic' | 'Standard' | 'Premium';
  /** Replicate zone-redundantly (Premium only). @default true when Premium and the region has zones */
  readonly zoneRedundancy?: boolean;
  /** Other regions to replicate images to (Premium only). @default none */
  readonly geoReplicationLocations?: ReadonlyArray<string>;
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
    const sku = props.sku ?? 'Standard';
    const premium = sku === 'Premium';
    this.registry = new Registry(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      location: props.resourceGroup.location,
      sku,
      adminEnabled: false,
      anonymousPullEnabled: false,
      zoneRedundancyEnabled: premium ? (props.zoneRedundancy ?? true) : undefined,
      retentionPolicyInDays: premium ? props.untaggedRetentionDays : undefined,
      georeplications: premium
        ? (props.geoReplicationLocations ?? []).map((location) => ({ location, zoneRedundancyEnabled: true }))
        : undefined,
      ...registryNetworkArguments(props.networkAccess, sku),
    });
    this.registryId = this.registry.id;
    this.registryLoginServer = this.registry.loginServer;

    new DiagnosticSettings(this, 'Diagnostics', {
      targetResourceId: this.registry.id,
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      logCategories: ['ContainerRegistryRepositoryEvents', 'ContainerRegistryLoginEvents'],
    });
  }

  /** Lets an identity pull images (AcrPull), e.g. the cluster's kubelet identity. */
  public grantPull(identity: IPrincipal, id = 'AcrPull'): RoleAssignment {
    return grantRole(this, id, { role: 'AcrPull', on: this.registry.id, principal: identity });
  }
}
