import { ContainerRegistry } from '@cdktf/provider-azurerm/lib/container-registry';
import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { AZURE_REGIONS } from '../../config';
import { environment, ENVIRONMENT_NAMES } from '../config/fixtures';
import { only, synthPlatform } from './synth';
import { azurermProblems, azurermSchema } from '../support/azurerm-schema';

const synthesized = Object.fromEntries(ENVIRONMENT_NAMES.map((name) => [name, synthPlatform(environment(name))]));

describe.each(ENVIRONMENT_NAMES)('platform stack of %s', (name) => {
  const { text, json } = synthesized[name];
  const env = environment(name);
  const cluster = only(json, 'azurerm_kubernetes_cluster');
  const userPool = only(json, 'azurerm_kubernetes_cluster_node_pool');

  it('is valid against the azurerm 4.55.0 schema (no unknown, read-only or missing arguments)', () => {
    expect(azurermProblems(json)).toEqual([]);
  });

  it('configures the provider for the environment subscription, with Entra ID storage auth', () => {
    expect(text).toHaveProviderWithProperties(AzurermProvider, { subscription_id: env.subscriptionId, storage_use_azuread: true });
  });

  it('keeps state in the azurerm backend with Entra ID auth, one key per stack', () => {
    expect(json.terraform.backend.azurerm).toEqual({
      resource_group_name: env.state.resourceGroupName,
      storage_account_name: env.state.storageAccountName,
      container_name: 'tfstate',
      key: `platform-${name}.tfstate`,
      subscription_id: env.subscriptionId,
      tenant_id: env.tenantId,
      use_azuread_auth: true,
    });
  });

  it('tags every taggable resource through the aspect', () => {
    const expected = { ...env.tags, environment: name, workload: 'photoview', 'managed-by': 'cdktf' };
    // Resources without a `tags` argument in the azurerm schema (role assignments, subnets, associations) cannot carry them.
    const schema = azurermSchema();
    for (const [type, resources] of Object.entries(json.resource)) {
      if (!schema[type].args.tags) continue;
      for (const resource of Object.values(resources)) expect(resource.tags).toEqual(expected);
    }
  });

  it('creates a private registry: no admin user, no anonymous pull, diagnostics on', () => {
    expect(text).toHaveResourceWithProperties(ContainerRegistry, { admin_enabled: false, anonymous_pull_enabled: false, sku: env.registry.sku });
    expect(only(json, 'azurerm_container_registry').name).toMatch(/^crphotoview[a-z]+[a-z0-9]{4}$/);
    expect(text).toHaveResourceWithProperties(MonitorDiagnosticSetting, {
      target_resource_id: '${azurerm_container_registry.Registry_4DB9CCA5.id}',
      enabled_log: [{ category: 'ContainerRegistryRepositoryEvents' }, { category: 'ContainerRegistryLoginEvents' }],
    });
  });

  it('grants AcrPull to the kubelet identity', () => {
    expect(text).toHaveResourceWithProperties(RoleAssignment, {
      role_definition_name: 'AcrPull',
      scope: '${azurerm_container_registry.Registry_4DB9CCA5.id}',
      principal_id: '${azurerm_kubernetes_cluster.Cluster_EB0386A7.kubelet_identity[0].object_id}',
    });
  });

  it('runs the system pool with critical add-ons only, under the autoscaler', () => {
    const pool = env.kubernetes.systemPool;
    expect(cluster.default_node_pool).toMatchObject({
      name: 'system', only_critical_addons_enabled: true, auto_scaling_enabled: true,
      min_count: pool.minCount, max_count: pool.maxCount, vm_size: pool.vmSize,
      max_pods: 110, os_disk_type: 'Ephemeral', upgrade_settings: { max_surge: '33%' },
      orchestrator_version: env.kubernetes.version,
    });
    expect(cluster.default_node_pool.zones).toEqual(pool.zones ?? (AZURE_REGIONS[env.location].zones ? ['1', '2', '3'] : undefined));
    expect(cluster.lifecycle.ignore_changes).toContain('default_node_pool[0].node_count');
  });

  it('adds a user node pool under the autoscaler, labelled for scheduling', () => {
    const pool = env.kubernetes.userPool;
    expect(text).toHaveResourceWithProperties(KubernetesClusterNodePool, {
      name: 'apps', mode: 'User', auto_scaling_enabled: true, min_count: pool.minCount, max_count: pool.maxCount,
      vm_size: pool.vmSize, node_labels: { 'photo-view.io/pool': 'apps' }, upgrade_settings: { max_surge: '33%' },
      kubernetes_cluster_id: '${azurerm_kubernetes_cluster.Cluster_EB0386A7.id}',
    });
    expect(userPool.zones).toEqual(pool.zones ?? (AZURE_REGIONS[env.location].zones ? ['1', '2', '3'] : undefined));
    expect(userPool.lifecycle.ignore_changes).toEqual(['node_count']);
  });

  it('sets the cluster autoscaler profile from config', () => {
    const profile = env.kubernetes.autoscalerProfile;
    expect(cluster.auto_scaler_profile).toMatchObject({
      expander: profile.expander, scan_interval: profile.scanInterval, scale_down_delay_after_add: profile.scaleDownDelayAfterAdd,
      scale_down_unneeded: profile.scaleDownUnneeded, scale_down_utilization_threshold: String(profile.scaleDownUtilizationThreshold),
    });
  });

  it('uses Azure CNI overlay with a network policy', () => {
    expect(cluster.network_profile).toMatchObject({ network_plugin: 'azure', network_plugin_mode: 'overlay', network_policy: 'azure' });
  });

  it('authenticates with Entra ID and Azure RBAC only', () => {
    expect(cluster).toMatchObject({
      local_account_disabled: true,
      role_based_access_control_enabled: true,
      azure_active_directory_role_based_access_control: { azure_rbac_enabled: true, admin_group_object_ids: env.kubernetes.adminGroupObjectIds, tenant_id: env.tenantId },
    });
  });

  it('enables OIDC issuer, workload identity, Azure Policy, Key Vault CSI, image cleaner', () => {
    expect(cluster).toMatchObject({
      oidc_issuer_enabled: true, workload_identity_enabled: true, azure_policy_enabled: true,
      key_vault_secrets_provider: { secret_rotation_enabled: true }, image_cleaner_enabled: true,
      sku_tier: env.kubernetes.skuTier, kubernetes_version: env.kubernetes.version,
    });
  });

  it('upgrades in one maintenance schedule: automatic channel plus NodeImage OS upgrades', () => {
    const m = env.kubernetes.maintenance;
    const window = { frequency: 'Weekly', interval: 1, day_of_week: m.dayOfWeek, start_time: m.startTime, duration: m.durationHours, utc_offset: '+00:00' };
    expect(cluster).toMatchObject({
      automatic_upgrade_channel: 'patch', node_os_upgrade_channel: 'NodeImage',
      maintenance_window_auto_upgrade: window, maintenance_window_node_os: window,
    });
  });

  it('wires Container Insights: oms_agent with managed identity, a data collection rule and its association', () => {
    expect(cluster.oms_agent).toEqual({ log_analytics_workspace_id: '${azurerm_log_analytics_workspace.Logs_6819BB44.id}', msi_auth_for_monitoring_enabled: true });
    expect(text).toHaveResourceWithProperties(MonitorDataCollectionRule, {
      data_flow: [{ streams: ['Microsoft-ContainerInsights-Group-Default'], destinations: ['workspace'] }],
    });
    expect(text).toHaveResourceWithProperties(MonitorDataCollectionRuleAssociation, {
      target_resource_id: '${azurerm_kubernetes_cluster.Cluster_EB0386A7.id}',
      data_collection_rule_id: '${azurerm_monitor_data_collection_rule.ContainerInsights_Rule_94B61D0B.id}',
    });
  });

  it('sends the control-plane categories to Log Analytics', () => {
    expect(text).toHaveResourceWithProperties(MonitorDiagnosticSetting, {
      target_resource_id: '${azurerm_kubernetes_cluster.Cluster_EB0386A7.id}',
      enabled_log: ['kube-audit-admin', 'guard', 'cluster-autoscaler', 'kube-controller-manager'].map((category) => ({ category })),
    });
  });

  it('keeps logs for the configured retention', () => {
    expect(text).toHaveResourceWithProperties(LogAnalyticsWorkspace, { retention_in_days: env.monitoring.retentionInDays, local_authentication_enabled: false });
  });

  it('creates a Key Vault in RBAC mode with audit logs', () => {
    expect(text).toHaveResourceWithProperties(KeyVault, {
      rbac_authorization_enabled: true, tenant_id: env.tenantId,
      purge_protection_enabled: env.keyVault.purgeProtection, soft_delete_retention_days: env.keyVault.softDeleteRetentionDays,
    });
    expect(text).toHaveResourceWithProperties(MonitorDiagnosticSetting, { enabled_log: [{ category: 'AuditEvent' }] });
  });

  it('federates the app identity with its service account and lets it read Key Vault secrets', () => {
    expect(text).toHaveResourceWithProperties(FederatedIdentityCredential, {
      issuer: '${azurerm_kubernetes_cluster.Cluster_EB0386A7.oidc_issuer_url}',
      subject: 'system:serviceaccount:photo-view:photo-view',
      audience: ['api://AzureADTokenExchange'],
      parent_id: '${azurerm_user_assigned_identity.AppIdentity_404A30DF.id}',
    });
    expect(text).toHaveResourceWithProperties(RoleAssignment, {
      role_definition_name: 'Key Vault Secrets User',
      scope: '${azurerm_key_vault.KeyVault_EBBC7C6F.id}',
      principal_id: '${azurerm_user_assigned_identity.AppIdentity_404A30DF.principal_id}',
    });
  });

  it('alerts the configured receivers on node pressure, unhealthy pods, autoscaler trouble and failed pods', () => {
    const receivers = env.monitoring.actionGroup.emailReceivers.map((r) => ({ name: r.name, email_address: r.email, use_common_alert_schema: true }));
    expect(text).toHaveResourceWithProperties(MonitorActionGroup, { short_name: env.monitoring.actionGroup.shortName, email_receiver: receivers });
    const alerts = Object.values(json.resource.azurerm_monitor_metric_alert) as any[];
    const byMetric = Object.fromEntries(alerts.map((a) => [a.criteria[0].metric_name, a]));
    const a = env.monitoring.alerts;
    expect(byMetric.node_cpu_usage_percentage).toMatchObject({ severity: a.nodeCpuPercent.severity, criteria: [{ threshold: a.nodeCpuPercent.threshold }] });
    expect(byMetric.node_memory_working_set_percentage).toMatchObject({ severity: a.nodeMemoryPercent.severity, criteria: [{ threshold: a.nodeMemoryPercent.threshold }] });
    expect(byMetric.kube_pod_status_ready.criteria[0].dimension).toEqual([{ name: 'condition', operator: 'Include', values: ['false'] }]);
    expect(byMetric.restartingContainerCount.criteria[0]).toMatchObject({ metric_namespace: 'Insights.Container/pods', threshold: a.podRestarts.threshold });
    expect(byMetric.cluster_autoscaler_unschedulable_pods_count.criteria[0].threshold).toBe(a.autoscalerUnableToScale.threshold);
    for (const alert of alerts) expect(alert.action).toEqual([{ action_group_id: '${azurerm_monitor_action_group.Alerts_ActionGroup_053F7D22.id}' }]);
    expect(alerts).toHaveLength(5);
    expect(text).toHaveResourceWithProperties(MonitorScheduledQueryRulesAlertV2, {
      scopes: ['${azurerm_log_analytics_workspace.Logs_6819BB44.id}'],
      severity: a.failedPods.severity,
      action: { action_groups: ['${azurerm_monitor_action_group.Alerts_ActionGroup_053F7D22.id}'] },
    });
    expect(only(json, 'azurerm_monitor_scheduled_query_rules_alert_v2').criteria[0].query).toContain('PodStatus == "Failed"');
  });

  it('outputs what the workloads and people need, and no kubeconfig or key', () => {
    expect(Object.keys(json.output).sort()).toEqual([
      'acr_login_server', 'app_identity_client_id', 'cluster_name', 'key_vault_uri', 'log_analytics_workspace_id', 'oidc_issuer_url', 'resource_group_name',
    ]);
    expect(text).not.toMatch(/kube_config|kube_admin_config|client_secret|primary_shared_key|admin_password/);
  });

  it('keeps the Terraform addresses of stateful resources stable', () => {
    const address = (type: string) => `${type}.${Object.keys(json.resource[type])[0]}`;
    expect([
      address('azurerm_resource_group'), address('azurerm_container_registry'), address('azurerm_kubernetes_cluster'),
      address('azurerm_kubernetes_cluster_node_pool'), address('azurerm_log_analytics_workspace'), address('azurerm_key_vault'),
      address('azurerm_user_assigned_identity'),
    ]).toEqual([
      'azurerm_resource_group.ResourceGroup_FFF1A175', 'azurerm_container_registry.Registry_4DB9CCA5', 'azurerm_kubernetes_cluster.Cluster_EB0386A7',
      'azurerm_kubernetes_cluster_node_pool.Cluster_UserPool_C09A2344', 'azurerm_log_analytics_workspace.Logs_6819BB44', 'azurerm_key_vault.KeyVault_EBBC7C6F',
      'azurerm_user_assigned_identity.AppIdentity_404A30DF',
    ]);
  });
});

describe('differences between environments are data', () => {
  it('prod: Premium registry, zone-redundant, geo-replicated, with untagged retention; Standard AKS tier; purge protection', () => {
    const { text } = synthesized.prod;
    expect(text).toHaveResourceWithProperties(ContainerRegistry, {
      sku: 'Premium', zone_redundancy_enabled: true, retention_policy_in_days: 7,
      georeplications: [{ location: 'northeurope', zone_redundancy_enabled: true }],
    });
    expect(text).toHaveResourceWithProperties(KubernetesCluster, { sku_tier: 'Standard' });
    expect(text).toHaveResourceWithProperties(KeyVault, { purge_protection_enabled: true });
  });

  it('dev: Basic registry without Premium features, Free AKS tier, no purge protection', () => {
    const registry = only(synthesized.dev.json, 'azurerm_container_registry');
    expect(registry.sku).toBe('Basic');
    expect(registry).not.toHaveProperty('georeplications');
    expect(registry).not.toHaveProperty('zone_redundancy_enabled');
    expect(registry).not.toHaveProperty('retention_policy_in_days');
    expect(only(synthesized.dev.json, 'azurerm_kubernetes_cluster').sku_tier).toBe('Free');
    expect(only(synthesized.dev.json, 'azurerm_key_vault').purge_protection_enabled).toBe(false);
  });

  it('omits zones in a region without availability zones', () => {
    const { json } = synthPlatform(environment('dev', { location: 'westus' }));
    expect(only(json, 'azurerm_kubernetes_cluster').default_node_pool).not.toHaveProperty('zones');
    expect(only(json, 'azurerm_kubernetes_cluster_node_pool')).not.toHaveProperty('zones');
  });

  it('uses Cilium as the data plane when the network policy is cilium', () => {
    const { json } = synthPlatform(environment('dev', { kubernetes: { networkPolicy: 'cilium' } }));
    expect(only(json, 'azurerm_kubernetes_cluster').network_profile).toMatchObject({ network_policy: 'cilium', network_data_plane: 'cilium' });
  });

  it('keeps a pinned node pool version when it is behind the control plane', () => {
    const { json } = synthPlatform(environment('dev', { kubernetes: { userPool: { orchestratorVersion: '1.31' } } }));
    expect(only(json, 'azurerm_kubernetes_cluster_node_pool').orchestrator_version).toBe('1.31');
  });
});
