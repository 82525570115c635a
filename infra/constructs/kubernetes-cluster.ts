import { Construct } from 'constructs';
import { KubernetesCluster as Cluster, type KubernetesClusterMaintenanceWindowAutoUpgrade } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { rotationPoolName, SYSTEM_POOL_NAME, USER_POOL_LABEL, type VmSize } from '../../config';
import type { ITerraformDependable } from '../cdktf';
import { clusterAddOnArguments, type ClusterAddOns } from './cluster-add-ons';
import type { ClusterIdentityArguments } from './cluster-identities';
import { clusterNetworkArguments, type ClusterNetwork } from './cluster-network';
import { DiagnosticSettings } from './diagnostic-settings';
import type { IPrincipal } from './role-assignment';
import type { ResourceGroup } from './resource-group';

/** One node pool, always under the cluster autoscaler. The config supplies every value without a `@default`. */
export interface NodePoolProps {
  /** VM size, e.g. Standard_D4ds_v5, as parsed by the config. */
  readonly vmSize: VmSize;
  /** Autoscaler lower bound. */
  readonly minCount: number;
  /** Autoscaler upper bound. */
  readonly maxCount: number;
  /** Nodes at creation; the autoscaler owns the count afterwards. @default minCount */
  readonly nodeCount?: number;
  /** Availability zones. @default no zones */
  readonly zones?: ReadonlyArray<string>;
  /** Pods per node. */
  readonly maxPods: number;
  readonly osDiskType: 'Ephemeral' | 'Managed';
  readonly osDiskSizeGb: number;
  /** Extra nodes during upgrades, e.g. '33%' (the AKS recommendation for production). */
  readonly maxSurge: string;
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
  /** 'Standard' has the financially backed API server SLA. */
  readonly skuTier: 'Free' | 'Standard' | 'Premium';
  /** Control-plane upgrades; 'none' leaves the cluster where `kubernetesVersion` puts it. */
  readonly automaticUpgradeChannel: 'patch' | 'stable' | 'rapid' | 'node-image' | 'none';
  readonly tenantId: string;
  /** Entra ID groups with cluster-admin through Azure RBAC. */
  readonly adminGroupObjectIds: ReadonlyArray<string>;
  /**
   * Network policy engine: Cilium, on Azure CNI powered by Cilium (overlay). Changing the data plane or
   * the engine later replaces the cluster, and Azure Network Policy Manager is being retired.
   * @see https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium
   */
  readonly networkPolicy: 'cilium';
  /** Runs only critical add-ons (CriticalAddonsOnly taint). */
  readonly systemPool: NodePoolProps;
  /** Runs the applications. */
  readonly userPool: NodePoolProps & { readonly name: string };
  readonly autoscalerProfile: AutoscalerProfile;
  readonly maintenance: MaintenanceSchedule;
  /** Container Insights and control-plane logs go here. */
  readonly logAnalyticsWorkspaceId: string;

  // Network, identity, encryption and add-ons (see the files these types come from).
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
const CONTROL_PLANE_LOG_CATEGORIES = ['kube-audit-admin', 'guard', 'cluster-autoscaler', 'kube-controller-manager'] as const;

function autoscaledPool(pool: NodePoolProps, name: string, version: string) {
  return {
    name,
    temporaryNameForRotation: rotationPoolName(name),
    vmSize: pool.vmSize.name,
    autoScalingEnabled: true,
    minCount: pool.minCount,
    maxCount: pool.maxCount,
    nodeCount: pool.nodeCount ?? pool.minCount,
    zones: pool.zones ? [...pool.zones] : undefined,
    maxPods: pool.maxPods,
    osDiskType: pool.osDiskType,
    osDiskSizeGb: pool.osDiskSizeGb,
    osSku: 'AzureLinux',
    orchestratorVersion: pool.orchestratorVersion ?? version,
    upgradeSettings: { maxSurge: pool.maxSurge },
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
    const channel = props.automaticUpgradeChannel;
    if (rotationPoolName(props.userPool.name) === rotationPoolName(SYSTEM_POOL_NAME)) {
      throw new Error(
        `user pool '${props.userPool.name}' would rotate through the system pool's temporary pool '${rotationPoolName(SYSTEM_POOL_NAME)}'; choose another name`,
      );
    }
    const network = clusterNetworkArguments(props.network);

    const cluster = new Cluster(this, 'Resource', {
      name: props.name,
      location: props.resourceGroup.location,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      nodeResourceGroup: props.nodeResourceGroupName,
      dnsPrefix: props.name,
      kubernetesVersion: version,
      skuTier: props.skuTier,
      ...props.identities,
      defaultNodePool: {
        onlyCriticalAddonsEnabled: true,
        ...autoscaledPool(props.systemPool, SYSTEM_POOL_NAME, version),
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
        networkDataPlane: 'cilium',
        networkPolicy: props.networkPolicy,
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
      // Left out, the provider sends the API's 'none' (azurerm kubernetes_cluster_resource.go: UpgradeChannelNone).
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
      kubernetesClusterId: cluster.id,
      mode: 'User',
      nodeLabels: { [USER_POOL_LABEL]: props.userPool.name },
      ...autoscaledPool(props.userPool, props.userPool.name, version),
      vnetSubnetId: props.network.userNodesSubnetId,
      hostEncryptionEnabled: props.hostEncryption,
      lifecycle: { ignoreChanges: ['node_count'] },
    });

    new DiagnosticSettings(this, 'Diagnostics', {
      targetResourceId: cluster.id,
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      resourceType: 'Microsoft.ContainerService/managedClusters',
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
