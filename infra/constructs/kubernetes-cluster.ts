import { Construct } from 'constructs';
import { KubernetesCluster as Cluster, type KubernetesClusterMaintenanceWindowAutoUpgrade } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { USER_POOL_LABEL } from '../../config';
import type { ITerraformDependable } from '../cdktf';
import { clusterAddOnArguments, type ClusterAddOns } from './cluster-add-ons';
import type { ClusterIdentityArguments } from './cluster-identities';
import { clusterNetworkArguments, type ClusterNetwork } from './cluster-network';
import { DiagnosticSettings } from './diagnostic-settings';
import type { IPrincipal } from './role-assignment';
import type { ResourceGroup } from './resource-group';

/** One node pool, always under the cluster autoscaler. */
export interface NodePoolProps {
  /** VM size, e.g. Standard_D4ds_v5. */
  readonly vmSize: string;
  /** Autoscaler lower bound. */
  readonly minCount: number;
  /** Autoscaler upper bound. */
  readonly maxCount: number;
  /** Nodes at creation; the autoscaler owns the count afterwards. @default minCount */
  readonly nodeCount?: number;
  /** Availability zones. @default no zones */
  readonly zones?: ReadonlyArray<string>;
  /** @default 110 */
  readonly maxPods?: number;
  /** @default 'Ephemeral' */
  readonly osDiskType?: 'Ephemeral' | 'Managed';
  /** @default 64 */
  readonly osDiskSizeGb?: number;
  /** Extra nodes during upgrades. @default '33%' (the AKS recommendation for production) */
  readonly maxSurge?: string;
  /** @default the control plane's version */
  readonly orchestratorVersion?: string;
}

/** When AKS may upgrade the control plane and node images. */
export interface MaintenanceSchedule {
  readonly dayOfWeek: string;
  /** HH:MM */
  readonly startTime: string;
  readonly durationHours: number;
  /** e.g. +00:00 */
  readonly utcOffset: string;
}

/** Cluster autoscaler behaviour. @see https://learn.microsoft.com/azure/aks/cluster-autoscaler#cluster-autoscaler-profile-settings */
export interface AutoscalerProfile {
  readonly expander: string;
  readonly scanInterval: string;
  readonly scaleDownDelayAfterAdd: string;
  readonly scaleDownUnneeded: string;
  readonly scaleDownUtilizationThreshold: number;
}

/** Properties of a {@link KubernetesCluster}. Defaults follow the AKS baseline reference implementation. */
export interface KubernetesClusterProps {
  readonly resourceGroup: ResourceGroup;
  readonly name: string;
  readonly nodeResourceGroupName: string;
  readonly kubernetesVersion: string;
  /** @default 'Standard' (financially backed API server SLA) */
  readonly skuTier?: 'Free' | 'Standard' | 'Premium';
  /** @default 'patch' */
  readonly automaticUpgradeChannel?: 'patch' | 'stable' | 'rapid' | 'node-image' | 'none';
  readonly tenantId: string;
  /** Entra ID groups with cluster-admin through Azure RBAC. */
  readonly adminGroupObjectIds: ReadonlyArray<string>;
  /** @default 'azure' */
  readonly networkPolicy?: 'azure' | 'calico' | 'cilium';
  /** Runs only critical add-ons (CriticalAddonsOnly taint). */
  readonly systemPool: NodePoolProps;
  /** Runs the applications. */
  readonly userPool: NodePoolProps & { readonly name: string };
  readonly autoscalerProfile: AutoscalerProfile;
  readonly maintenance: MaintenanceSchedule;
  /** Container Insights and control-plane logs go here. */
  readonly logAnalyticsWorkspaceId: string;

  // Network, identity, encryption and add-ons (issue 14; see the files these types come from).
  /** Subnets, address ranges, outbound type and API server access. */
  readonly network: ClusterNetwork;
  /** User-assigned control-plane and kubelet identities (ClusterIdentities.clusterArguments()). */
  readonly identities: ClusterIdentityArguments;
  /**
   * Encrypt temp disks and OS/data disk caches on the VM hosts of every pool. Changing it rotates
   * the pools; needs the Microsoft.Compute/EncryptionAtHost feature registered in the subscription.
   * @see https://learn.microsoft.com/azure/aks/enable-host-encryption
   */
  readonly hostEncryption: boolean;
  readonly addOns: ClusterAddOns;
  /** What must exist before the cluster is created (role assignments on subnets, NSG associations). */
  readonly dependsOn?: ITerraformDependable[];
}

/** Control-plane log categories worth their cost. @see https://learn.microsoft.com/azure/aks/monitor-aks-reference */
export const CONTROL_PLANE_LOG_CATEGORIES = ['kube-audit-admin', 'guard', 'cluster-autoscaler', 'kube-controller-manager'] as const;


function autoscaledPool(pool: NodePoolProps, version: string) {
  return {
    vmSize: pool.vmSize,
    autoScalingEnabled: true,
    minCount: pool.minCount,
    maxCount: pool.maxCount,
    nodeCount: pool.nodeCount ?? pool.minCount,
    zones: pool.zones ? [...pool.zones] : undefined,
    maxPods: pool.maxPods ?? 110,
    osDiskType: pool.osDiskType ?? 'Ephemeral',
    osDiskSizeGb: pool.osDiskSizeGb ?? 64,
    osSku: 'AzureLinux',
    orchestratorVersion: pool.orchestratorVersion ?? version,
    upgradeSettings: { maxSurge: pool.maxSurge ?? '33%' },
  };
}

function maintenanceWindow(schedule: MaintenanceSchedule): KubernetesClusterMaintenanceWindowAutoUpgrade {
  return {
    frequency: 'Weekly',
    interval: 1,
    dayOfWeek: schedule.dayOfWeek,
    startTime: schedule.startTime,
    utcOffset: schedule.utcOffset,
    duration: schedule.durationHours,
  };
}

/**
 * An AKS cluster with Entra ID-only access, workload identity, Azure CNI overlay, autoscaled system and
 * user pools, managed upgrades in one maintenance schedule, and Container Insights.
 */
export class KubernetesCluster extends Construct {
  public readonly clusterId: string;
  public readonly clusterName: string;
  public readonly oidcIssuerUrl: string;
  /** Identity the nodes pull images with. */
  public readonly kubeletIdentity: IPrincipal;
  public readonly userPoolName: string;
  /** Identity of the application routing add-on (only meaningful when it is on). */
  public readonly webAppRoutingIdentity: IPrincipal;

  constructor(scope: Construct, id: string, props: KubernetesClusterProps) {
    super(scope, id);
    const version = props.kubernetesVersion;
    const channel = props.automaticUpgradeChannel ?? 'patch';
    const networkPolicy = props.networkPolicy ?? 'azure';
    const network = clusterNetworkArguments(props.network);

    const cluster = new Cluster(this, 'Resource', {
      name: props.name,
      location: props.resourceGroup.location,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      nodeResourceGroup: props.nodeResourceGroupName,
      dnsPrefix: props.name,
      kubernetesVersion: version,
      skuTier: props.skuTier ?? 'Standard',
      ...props.identities,
      defaultNodePool: {
        name: 'system',
        onlyCriticalAddonsEnabled: true,
        temporaryNameForRotation: 'systemtmp',
        ...autoscaledPool(props.systemPool, version),
        vnetSubnetId: props.network.systemNodesSubnetId,
        hostEncryptionEnabled: props.hostEncryption,
      },
      autoScalerProfile: {
        expander: props.autoscalerProfile.expander,
        scanInterval: props.autoscalerProfile.scanInterval,
        scaleDownDelayAfterAdd: props.autoscalerProfile.scaleDownDelayAfterAdd,
        scaleDownUnneeded: props.autoscalerProfile.scaleDownUnneeded,
        scaleDownUtilizationThreshold: String(props.autoscalerProfile.scaleDownUtilizationThreshold),
        balanceSimilarNodeGroups: true,
      },
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkPolicy,
        networkDataPlane: networkPolicy === 'cilium' ? 'cilium' : 'azure',
        loadBalancerSku: 'standard',
        ...network.networkProfile,
      },
      privateClusterEnabled: network.privateClusterEnabled,
      privateDnsZoneId: network.privateDnsZoneId,
      privateClusterPublicFqdnEnabled: network.privateClusterPublicFqdnEnabled,
      apiServerAccessProfile: network.apiServerAccessProfile,
      ...clusterAddOnArguments(props.addOns),
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: {
        azureRbacEnabled: true,
        tenantId: props.tenantId,
        adminGroupObjectIds: [...props.adminGroupObjectIds],
      },
      localAccountDisabled: true,
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      azurePolicyEnabled: true,
      keyVaultSecretsProvider: { secretRotationEnabled: true, secretRotationInterval: '2m' },
      imageCleanerEnabled: true,
      imageCleanerIntervalHours: 48,
      automaticUpgradeChannel: channel === 'none' ? undefined : channel,
      // NodeImage: AKS reimages nodes with patched images in the window; replaces kured-style reboots.
      nodeOsUpgradeChannel: 'NodeImage',
      maintenanceWindowAutoUpgrade: maintenanceWindow(props.maintenance),
      maintenanceWindowNodeOs: maintenanceWindow(props.maintenance),
      omsAgent: { logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId, msiAuthForMonitoringEnabled: true },
      lifecycle: { ignoreChanges: ['default_node_pool[0].node_count'] },
      dependsOn: props.dependsOn,
    });

    const userPool = new KubernetesClusterNodePool(this, 'UserPool', {
      name: props.userPool.name,
      kubernetesClusterId: cluster.id,
      mode: 'User',
      nodeLabels: { [USER_POOL_LABEL]: props.userPool.name },
      ...autoscaledPool(props.userPool, version),
      vnetSubnetId: props.network.userNodesSubnetId,
      hostEncryptionEnabled: props.hostEncryption,
      // Pool changes that rotate nodes (host encryption, subnet) go through a temporary pool, not a replacement.
      temporaryNameForRotation: `${props.userPool.name.slice(0, 9)}tmp`,
      lifecycle: { ignoreChanges: ['node_count'] },
    });

    new DiagnosticSettings(this, 'Diagnostics', {
      targetResourceId: cluster.id,
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      logCategories: CONTROL_PLANE_LOG_CATEGORIES,
    });

    this.clusterId = cluster.id;
    this.clusterName = cluster.name;
    this.oidcIssuerUrl = cluster.oidcIssuerUrl;
    this.kubeletIdentity = { principalId: cluster.kubeletIdentity.objectId };
    this.userPoolName = userPool.name;
    this.webAppRoutingIdentity = { principalId: cluster.webAppRouting.webAppRoutingIdentity.get(0).objectId };
  }
}
