import type { Construct } from 'constructs';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { Aspects, TerraformOutput, TerraformStack } from '../cdktf';
import { AZURE_REGIONS, namingContext, type EnvironmentConfig, platformStackName, projectTags, resourceName } from '../../config';
import { ClusterAlerts } from '../constructs/alerts';
import { ContainerInsights } from '../constructs/container-insights';
import { ContainerRegistry } from '../constructs/container-registry';
import { KeyVault } from '../constructs/key-vault';
import { KubernetesCluster } from '../constructs/kubernetes-cluster';
import { LogAnalyticsWorkspace } from '../constructs/log-analytics';
import { ResourceGroup } from '../constructs/resource-group';
import { TagsAspect } from '../constructs/tags';
import { WorkloadIdentity } from '../constructs/workload-identity';
import { platformAddOns } from './platform-add-ons';
import { platformNetwork } from './platform-network';
import { useStateBackend, type StateBackendMode } from './state-backend';

/** Properties of a {@link PlatformStack}. */
export interface PlatformStackProps {
  readonly environment: EnvironmentConfig;
  /** @default 'remote' */
  readonly stateBackend?: StateBackendMode;
}

/**
 * Everything one environment runs on: resource group, registry, AKS, Key Vault, the app's workload
 * identity and Azure Monitor, wired together.
 */
export class PlatformStack extends TerraformStack {
  public readonly cluster: KubernetesCluster;
  public readonly registry: ContainerRegistry;
  public readonly keyVault: KeyVault;
  public readonly appIdentity: WorkloadIdentity;
  public readonly resourceGroup: ResourceGroup;

  constructor(scope: Construct, props: PlatformStackProps) {
    const env = props.environment;
    const stackName = platformStackName(env.name);
    super(scope, stackName);
    const naming = namingContext(env);
    const name = (kind: Parameters<typeof resourceName>[0], qualifier?: string) => resourceName(kind, naming, qualifier);

    new AzurermProvider(this, 'azurerm', {
      subscriptionId: env.subscriptionId,
      storageUseAzuread: true,
      // The bootstrap stack registers what the stacks need (grants.ts requiredRegistrations), so the deploy
      // identity never needs subscription-level register rights; azurerm 4.55's default "legacy" set would
      // try to, and still lacks Microsoft.Monitor, Microsoft.AlertsManagement and Microsoft.Dashboard.
      resourceProviderRegistrations: 'none',
      features: [
        {
          keyVault: [{ purgeSoftDeleteOnDestroy: false, recoverSoftDeletedKeyVaults: true }],
          resourceGroup: [{ preventDeletionIfContainsResources: true }],
        },
      ],
    });
    useStateBackend(this, env, stackName, props.stateBackend ?? 'remote');
    Aspects.of(this).add(new TagsAspect({ ...env.tags, ...projectTags(env) }));

    const rg = new ResourceGroup(this, 'ResourceGroup', { name: name('resourceGroup'), location: env.location });
    this.resourceGroup = rg;
    const workspace = new LogAnalyticsWorkspace(this, 'Logs', {
      resourceGroup: rg,
      name: name('logAnalyticsWorkspace'),
      retentionInDays: env.monitoring.retentionInDays,
    });
    const zonesByDefault = AZURE_REGIONS[env.location].zones ? ['1', '2', '3'] : undefined;
    const k8s = env.kubernetes;
    // VNet or existing subnets, cluster identities, Key Vault/registry network access.
    const network = platformNetwork(this, env, rg, workspace.workspaceId);

    this.registry = new ContainerRegistry(this, 'Registry', {
      resourceGroup: rg,
      name: name('containerRegistry'),
      sku: env.registry.sku,
      zoneRedundancy: env.registry.zoneRedundancy ?? (env.registry.sku === 'Premium' && zonesByDefault !== undefined),
      geoReplicationLocations: env.registry.geoReplicationLocations,
      untaggedRetentionDays: env.registry.untaggedRetentionDays,
      logAnalyticsWorkspaceId: workspace.workspaceId,
      networkAccess: network.serviceAccess,
    });

    this.cluster = new KubernetesCluster(this, 'Cluster', {
      resourceGroup: rg,
      name: name('kubernetesCluster'),
      nodeResourceGroupName: name('nodeResourceGroup'),
      kubernetesVersion: k8s.version,
      skuTier: k8s.skuTier,
      automaticUpgradeChannel: k8s.automaticUpgradeChannel,
      tenantId: env.tenantId,
      adminGroupObjectIds: k8s.adminGroupObjectIds,
      networkPolicy: k8s.networkPolicy,
      systemPool: { ...k8s.systemPool, zones: k8s.systemPool.zones ?? zonesByDefault },
      userPool: { ...k8s.userPool, zones: k8s.userPool.zones ?? zonesByDefault },
      autoscalerProfile: k8s.autoscalerProfile,
      maintenance: k8s.maintenance,
      logAnalyticsWorkspaceId: workspace.workspaceId,
      network: network.cluster,
      identities: network.identities.clusterArguments(),
      hostEncryption: env.security.hostEncryption,
      addOns: {
        managedPrometheus: env.managedPrometheus.enabled,
        defenderLogAnalyticsWorkspaceId: env.security.defenderForContainers ? workspace.workspaceId : undefined,
        costAnalysis: k8s.skuTier !== 'Free',
        webAppRouting: env.ingress
          ? {
              defaultNginxController: env.app.internalLoadBalancer ? 'Internal' : 'External',
              dnsZoneIds: env.ingress.dnsZoneId ? [env.ingress.dnsZoneId] : [],
            }
          : undefined,
      },
      dependsOn: network.clusterDependsOn,
    });
    this.registry.grantPull(this.cluster.kubeletIdentity, 'KubeletAcrPull');

    new ContainerInsights(this, 'ContainerInsights', {
      resourceGroup: rg,
      name: name('dataCollectionRule', 'ci'),
      clusterId: this.cluster.clusterId,
      logAnalyticsWorkspaceId: workspace.workspaceId,
    });

    this.keyVault = new KeyVault(this, 'KeyVault', {
      resourceGroup: rg,
      name: name('keyVault'),
      tenantId: env.tenantId,
      sku: env.keyVault.sku,
      purgeProtection: env.keyVault.purgeProtection,
      softDeleteRetentionDays: env.keyVault.softDeleteRetentionDays,
      logAnalyticsWorkspaceId: workspace.workspaceId,
      networkAccess: network.serviceAccess,
    });
    network.connectPrivately({ registryId: this.registry.registryId, keyVaultId: this.keyVault.keyVaultId });

    this.appIdentity = new WorkloadIdentity(this, 'AppIdentity', {
      resourceGroup: rg,
      name: name('managedIdentity', 'app'),
      oidcIssuerUrl: this.cluster.oidcIssuerUrl,
      namespace: env.app.namespace,
      serviceAccountName: env.app.serviceAccountName,
    });
    // Its Key Vault Secrets User assignments are per secret, in the apps stack: the secrets are set after this deploy.

    const alerts = new ClusterAlerts(this, 'Alerts', {
      resourceGroup: rg,
      namePrefix: name('alert'),
      actionGroupName: name('actionGroup'),
      actionGroupShortName: env.monitoring.actionGroup.shortName,
      emailReceivers: env.monitoring.actionGroup.emailReceivers,
      clusterId: this.cluster.clusterId,
      logAnalyticsWorkspaceId: workspace.workspaceId,
      ...env.monitoring.alerts,
    });
    const addOns = platformAddOns(this, env, {
      resourceGroup: rg,
      cluster: this.cluster,
      actionGroupId: alerts.actionGroupId,
      logAnalyticsWorkspaceId: workspace.workspaceId,
      keyVault: this.keyVault,
      appIdentity: this.appIdentity,
    });

    // What the workloads and people need; never a kubeconfig or a key.
    const outputs: Record<string, [string, string]> = {
      cluster_name: [this.cluster.clusterName, 'AKS cluster name (az aks get-credentials --name)'],
      resource_group_name: [rg.resourceGroupName, 'Resource group of the environment'],
      acr_login_server: [this.registry.registryLoginServer, 'Registry login server; images are <server>/photo-view:<tag>'],
      key_vault_uri: [this.keyVault.keyVaultUri, 'Key Vault holding the app secrets'],
      app_identity_client_id: [this.appIdentity.clientId, 'Client ID of the photo-view workload identity'],
      oidc_issuer_url: [this.cluster.oidcIssuerUrl, 'Cluster OIDC issuer for federated credentials'],
      log_analytics_workspace_id: [workspace.workspaceId, 'Log Analytics workspace resource ID'],
    };
    for (const [id, [value, description]] of Object.entries(outputs)) {
      new TerraformOutput(this, id, { value, description });
    }
    if (addOns.applicationInsightsConnectionString) {
      // Sensitive in azurerm, so in Terraform too; with local authentication off it only says where to send.
      new TerraformOutput(this, 'application_insights_connection_string', {
        value: addOns.applicationInsightsConnectionString,
        description: 'Application Insights connection string, a plain app setting (ingestion needs Entra ID)',
        sensitive: true,
      });
    }
  }
}
