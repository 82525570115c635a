import { ContainerRegistry } from '@cdktf/provider-azurerm/lib/container-registry';
import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { AZURE_REGIONS } from '../../config';
import { AKS_PLAN_READER, identityGrants } from '../../infra/access/grants';
import { customRoleDefinitionId } from '../../infra/access/role-ids';
import { environment, ENVIRONMENT_NAMES } from '../config/fixtures';
import { only, synthPlatform } from './synth';
import { azurermProblems, azurermSchema } from '../support/azurerm-schema';

// Synthesized in beforeAll, not while jest collects the tests.
let synthesized: Record<string, ReturnType<typeof synthPlatform>>;
beforeAll(() => {
  synthesized = Object.fromEntries(ENVIRONMENT_NAMES.map((name) => [name, synthPlatform(environment(name))]));
});

describe.each(ENVIRONMENT_NAMES)('platform stack of %s', (name) => {
  const env = environment(name);
  let text: string;
  let json: ReturnType<typeof synthPlatform>['json'];
  let cluster: any;
  let userPool: any;
  beforeAll(() => {
    ({ text, json } = synthesized[name]);
    cluster = only(json, 'azurerm_kubernetes_cluster');
    userPool = only(json, 'azurerm_kubernetes_cluster_node_pool');
  });

  it('is valid against the azurerm 4.55.0 schema (no unknown, read-only or missing arguments)', () => {
    expect(azurermProblems(json)).toEqual([]);
  });

  it('configures the provider for the environment subscription, with Entra ID storage auth', () => {
    expect(text).toHaveProviderWithProperties(AzurermProvider, { subscription_id: env.subscriptionId, storage_use_azuread: true });
  });

  it("keeps state in the azurerm backend with Entra ID auth, in the environment's own container, one key per stack", () => {
    expect(json.terraform.backend.azurerm).toEqual({
      resource_group_name: env.state.resourceGroupName,
      storage_account_name: env.state.storageAccountName,
      container_name: `tfstate-${name}`,
      key: `platform-${name}.tfstate`,
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
      name: 'system',
      only_critical_addons_enabled: true,
      auto_scaling_enabled: true,
      min_count: pool.minCount,
      max_count: pool.maxCount,
      vm_size: pool.vmSize.name,
      max_pods: 110,
      os_disk_type: 'Ephemeral',
      upgrade_settings: { max_surge: '33%' },
      orchestrator_version: env.kubernetes.version,
    });
    expect(cluster.default_node_pool.zones).toEqual(pool.zones ?? (AZURE_REGIONS[env.location].zones ? ['1', '2', '3'] : undefined));
    expect(cluster.lifecycle.ignore_changes).toContain('default_node_pool[0].node_count');
  });

  it('adds a user node pool under the autoscaler, labelled for scheduling', () => {
    const pool = env.kubernetes.userPool;
    expect(text).toHaveResourceWithProperties(KubernetesClusterNodePool, {
      name: 'apps',
      mode: 'User',
      auto_scaling_enabled: true,
      min_count: pool.minCount,
      max_count: pool.maxCount,
      vm_size: pool.vmSize.name,
      node_labels: { 'photo-view.io/pool': 'apps' },
      upgrade_settings: { max_surge: '33%' },
      kubernetes_cluster_id: '${azurerm_kubernetes_cluster.Cluster_EB0386A7.id}',
    });
    expect(userPool.zones).toEqual(pool.zones ?? (AZURE_REGIONS[env.location].zones ? ['1', '2', '3'] : undefined));
    expect(userPool.lifecycle.ignore_changes).toEqual(['node_count']);
  });

  it('sets the cluster autoscaler profile from config', () => {
    const profile = env.kubernetes.autoscalerProfile;
    expect(cluster.auto_scaler_profile).toMatchObject({
      expander: profile.expander,
      scan_interval: profile.scanInterval,
      scale_down_delay_after_add: profile.scaleDownDelayAfterAdd,
      scale_down_unneeded: profile.scaleDownUnneeded,
      scale_down_utilization_threshold: String(profile.scaleDownUtilizationThreshold),
    });
  });

  it('uses Azure CNI powered by Cilium, in overlay mode, from the start (changing it later replaces the cluster)', () => {
    expect(cluster.network_profile).toMatchObject({
      network_plugin: 'azure',
      network_plugin_mode: 'overlay',
      network_data_plane: 'cilium',
      network_policy: 'cilium',
    });
  });

  it('gives every node pool a temporary name for rotation, so vm_size, zones, max_pods or OS disk changes apply later', () => {
    expect(cluster.default_node_pool.temporary_name_for_rotation).toBe('systemtmp');
    expect(userPool.temporary_name_for_rotation).toBe('appstmp');
    for (const pool of [cluster.default_node_pool, userPool]) {
      expect(pool.temporary_name_for_rotation).toMatch(/^[a-z][a-z0-9]{0,11}$/);
      expect(pool.temporary_name_for_rotation).not.toBe(pool.name);
    }
  });

  it('does not set a destination type on the Key Vault diagnostic setting (a diff on every plan), only where resource tables exist', () => {
    const settings = Object.values(json.resource.azurerm_monitor_diagnostic_setting) as Array<{
      target_resource_id: string;
      log_analytics_destination_type?: string;
    }>;
    const byTarget = (type: string) => settings.find((d) => d.target_resource_id.startsWith(`\${${type}.`));
    expect(byTarget('azurerm_key_vault')).toEqual(expect.objectContaining({ enabled_log: [{ category: 'AuditEvent' }] }));
    expect(byTarget('azurerm_key_vault')).not.toHaveProperty('log_analytics_destination_type');
    expect(byTarget('azurerm_container_registry')?.log_analytics_destination_type).toBe('Dedicated');
    expect(byTarget('azurerm_kubernetes_cluster')?.log_analytics_destination_type).toBe('Dedicated');
  });

  it('authenticates with Entra ID and Azure RBAC only', () => {
    expect(cluster).toMatchObject({
      local_account_disabled: true,
      role_based_access_control_enabled: true,
      azure_active_directory_role_based_access_control: {
        azure_rbac_enabled: true,
        admin_group_object_ids: env.kubernetes.adminGroupObjectIds,
        tenant_id: env.tenantId,
      },
    });
  });

  it('enables OIDC issuer, workload identity, Azure Policy, Key Vault CSI, image cleaner', () => {
    expect(cluster).toMatchObject({
      oidc_issuer_enabled: true,
      workload_identity_enabled: true,
      azure_policy_enabled: true,
      key_vault_secrets_provider: { secret_rotation_enabled: true },
      image_cleaner_enabled: true,
      sku_tier: env.kubernetes.skuTier,
      kubernetes_version: env.kubernetes.version,
    });
  });

  it('upgrades in one maintenance schedule: automatic channel plus NodeImage OS upgrades', () => {
    const m = env.kubernetes.maintenance;
    const window = {
      frequency: 'Weekly',
      interval: 1,
      day_of_week: m.dayOfWeek,
      start_time: m.startTime,
      duration: m.durationHours,
      utc_offset: '+00:00',
    };
    expect(cluster).toMatchObject({
      automatic_upgrade_channel: 'patch',
      node_os_upgrade_channel: 'NodeImage',
      maintenance_window_auto_upgrade: window,
      maintenance_window_node_os: window,
    });
  });

  it('wires Container Insights: oms_agent with managed identity, a data collection rule and its association', () => {
    expect(cluster.oms_agent).toEqual({
      log_analytics_workspace_id: '${azurerm_log_analytics_workspace.Logs_6819BB44.id}',
      msi_auth_for_monitoring_enabled: true,
    });
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
    expect(text).toHaveResourceWithProperties(LogAnalyticsWorkspace, {
      retention_in_days: env.monitoring.retentionInDays,
      local_authentication_enabled: false,
    });
  });

  it('creates a Key Vault in RBAC mode with audit logs', () => {
    expect(text).toHaveResourceWithProperties(KeyVault, {
      rbac_authorization_enabled: true,
      tenant_id: env.tenantId,
      purge_protection_enabled: env.keyVault.purgeProtection,
      soft_delete_retention_days: env.keyVault.softDeleteRetentionDays,
    });
    expect(text).toHaveResourceWithProperties(MonitorDiagnosticSetting, { enabled_log: [{ category: 'AuditEvent' }] });
  });

  it('federates the app identity with its service account, and grants it nothing on the whole vault (the apps stack grants each secret)', () => {
    expect(text).toHaveResourceWithProperties(FederatedIdentityCredential, {
      issuer: '${azurerm_kubernetes_cluster.Cluster_EB0386A7.oidc_issuer_url}',
      subject: 'system:serviceaccount:photo-view:photo-view',
      audience: ['api://AzureADTokenExchange'],
      parent_id: '${azurerm_user_assigned_identity.AppIdentity_404A30DF.id}',
    });
    const appIdentity = '${azurerm_user_assigned_identity.AppIdentity_404A30DF.principal_id}';
    const assignments = Object.values(json.resource.azurerm_role_assignment) as Array<{
      principal_id: string;
      role_definition_name?: string;
      scope: string;
    }>;
    expect(assignments.filter((a) => a.principal_id === appIdentity && a.role_definition_name?.startsWith('Key Vault'))).toEqual([]);
    expect(assignments.filter((a) => a.scope === '${azurerm_key_vault.KeyVault_EBBC7C6F.id}' && a.principal_id === appIdentity)).toEqual([]);
  });

  it('alerts the configured receivers on node pressure and autoscaler trouble (platform metrics)', () => {
    const receivers = env.monitoring.actionGroup.emailReceivers.map((r) => ({ name: r.name, email_address: r.email, use_common_alert_schema: true }));
    expect(text).toHaveResourceWithProperties(MonitorActionGroup, { short_name: env.monitoring.actionGroup.shortName, email_receiver: receivers });
    const alerts = Object.values(json.resource.azurerm_monitor_metric_alert) as Array<{
      action: unknown;
      criteria: Array<{ metric_name: string; metric_namespace: string; threshold: number }>;
    }>;
    const byMetric = Object.fromEntries(alerts.map((a) => [a.criteria[0].metric_name, a]));
    const a = env.monitoring.alerts;
    expect(byMetric.node_cpu_usage_percentage).toMatchObject({
      severity: a.nodeCpuPercent.severity,
      criteria: [{ threshold: a.nodeCpuPercent.threshold, aggregation: 'Average' }],
    });
    expect(byMetric.node_memory_working_set_percentage).toMatchObject({
      severity: a.nodeMemoryPercent.severity,
      criteria: [{ threshold: a.nodeMemoryPercent.threshold }],
    });
    expect(byMetric.cluster_autoscaler_unschedulable_pods_count.criteria[0].threshold).toBe(a.autoscalerUnableToScale.threshold);
    for (const alert of alerts) {
      expect(alert.action).toEqual([{ action_group_id: '${azurerm_monitor_action_group.Alerts_ActionGroup_053F7D22.id}' }]);
      // Only AKS platform metrics: the Insights.Container/pods custom metrics stopped on 31 May 2024.
      expect(alert.criteria[0].metric_namespace).toBe('Microsoft.ContainerService/managedClusters');
    }
    expect(text).not.toContain('Insights.Container');
    // (Managed Prometheus evaluates kube_pod_status_ready in PromQL rule groups; no platform metric alert uses it.)
    expect(JSON.stringify(json.resource.azurerm_monitor_metric_alert)).not.toContain('kube_pod_status_ready');
  });

  it('alerts per workload on not-ready pods and restarts, and per namespace on failed pods, from KubePodInventory, resolving on their own', () => {
    const rules = Object.fromEntries(
      (
        Object.values(json.resource.azurerm_monitor_scheduled_query_rules_alert_v2) as Array<{
          name: string;
          criteria: Array<Record<string, unknown> & { query: string }>;
        }>
      ).map((r) => [r.name.replace(/^alert-photoview-\w+-weu-/, ''), r]),
    );
    expect(Object.keys(rules).sort()).toEqual(['failed-pods', 'pod-restarts', 'pods-not-ready']);
    const a = env.monitoring.alerts;
    const expected = {
      'pods-not-ready': {
        limit: a.podsNotReady,
        measure: 'NotReadyPods',
        split: ['Namespace', 'Workload'],
        periods: 2,
        query: [
          /KubePodInventory/,
          /arg_max\(TimeGenerated, PodStatus, ContainerStatus\)/,
          /PodStatus !in \("Running", "Succeeded"\) or ContainerStatus == "waiting"/,
          /dcount\(Name\) by Namespace, Workload/,
        ],
      },
      'pod-restarts': {
        limit: a.podRestarts,
        measure: 'Restarts',
        split: ['Namespace', 'Workload'],
        periods: 1,
        query: [/KubePodInventory/, /max\(ContainerRestartCount\) - min\(ContainerRestartCount\)/, /sum\(Restarts\) by Namespace, Workload/],
      },
      'failed-pods': {
        limit: a.failedPods,
        measure: 'FailedPods',
        split: ['Namespace'],
        periods: 1,
        query: [/KubePodInventory/, /PodStatus == "Failed"/],
      },
    };
    for (const [name, e] of Object.entries(expected)) {
      const rule = rules[name];
      expect(rule).toMatchObject({
        scopes: ['${azurerm_log_analytics_workspace.Logs_6819BB44.id}'],
        severity: e.limit.severity,
        auto_mitigation_enabled: true,
        evaluation_frequency: 'PT5M',
        window_duration: 'PT15M',
        action: { action_groups: ['${azurerm_monitor_action_group.Alerts_ActionGroup_053F7D22.id}'] },
      });
      const criteria = rule.criteria[0];
      expect(criteria).toMatchObject({
        time_aggregation_method: 'Maximum',
        metric_measure_column: e.measure,
        operator: 'GreaterThanOrEqual',
        threshold: e.limit.threshold,
      });
      expect(criteria.dimension).toEqual(e.split.map((d) => ({ name: d, operator: 'Include', values: ['*'] })));
      expect(criteria.failing_periods).toEqual({ minimum_failing_periods_to_trigger_alert: e.periods, number_of_evaluation_periods: e.periods });
      for (const pattern of e.query) expect(criteria.query).toMatch(pattern);
    }
    // Deployment pods are owned by ReplicaSets named <deployment>-<hash>: the split is per Deployment.
    expect(rules['pods-not-ready'].criteria[0].query).toContain('replace_regex(ControllerName, @"-[a-z0-9]+$", "")');
  });

  it('outputs what the workloads and people need, and no kubeconfig or key', () => {
    const insights = environment(name).applicationInsights.enabled;
    expect(Object.keys(json.output).sort()).toEqual([
      'acr_login_server',
      'app_identity_client_id',
      ...(insights ? ['application_insights_connection_string'] : []),
      'cluster_name',
      'key_vault_uri',
      'log_analytics_workspace_id',
      'oidc_issuer_url',
      'resource_group_name',
    ]);
    expect(text).not.toMatch(/kube_config|kube_admin_config|client_secret|primary_shared_key|admin_password/);
  });

  it('keeps the Terraform addresses of stateful resources stable', () => {
    const address = (type: string) => `${type}.${Object.keys(json.resource[type])[0]}`;
    expect([
      address('azurerm_resource_group'),
      address('azurerm_container_registry'),
      address('azurerm_kubernetes_cluster'),
      address('azurerm_kubernetes_cluster_node_pool'),
      address('azurerm_log_analytics_workspace'),
      address('azurerm_key_vault'),
      address('azurerm_user_assigned_identity'),
    ]).toEqual([
      'azurerm_resource_group.ResourceGroup_FFF1A175',
      'azurerm_container_registry.Registry_4DB9CCA5',
      'azurerm_kubernetes_cluster.Cluster_EB0386A7',
      'azurerm_kubernetes_cluster_node_pool.Cluster_UserPool_C09A2344',
      'azurerm_log_analytics_workspace.Logs_6819BB44',
      'azurerm_key_vault.KeyVault_EBBC7C6F',
      'azurerm_user_assigned_identity.AppIdentity_404A30DF',
    ]);
  });
});

describe('differences between environments are data', () => {
  it('prod: Premium registry, zone-redundant, geo-replicated, with untagged retention; Standard AKS tier; purge protection', () => {
    const { text } = synthesized.prod;
    expect(text).toHaveResourceWithProperties(ContainerRegistry, {
      sku: 'Premium',
      zone_redundancy_enabled: true,
      retention_policy_in_days: 7,
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

  it('keeps a registry moved to Premium later without zone redundancy (it is fixed at creation; changing it replaces the registry)', () => {
    const registry = only(
      synthPlatform(environment('staging', { registry: { sku: 'Premium', zoneRedundancy: false } })).json,
      'azurerm_container_registry',
    );
    expect(registry).toMatchObject({ sku: 'Premium', zone_redundancy_enabled: false });
  });

  it('omits zones in a region without availability zones', () => {
    const { json } = synthPlatform(environment('dev', { location: 'westus' }));
    expect(only(json, 'azurerm_kubernetes_cluster').default_node_pool).not.toHaveProperty('zones');
    expect(only(json, 'azurerm_kubernetes_cluster_node_pool')).not.toHaveProperty('zones');
  });

  it('passes automaticUpgradeChannel none through as no channel (the provider then sends none)', () => {
    const cluster = only(synthPlatform(environment('dev', { kubernetes: { automaticUpgradeChannel: 'none' } })).json, 'azurerm_kubernetes_cluster');
    expect(cluster).not.toHaveProperty('automatic_upgrade_channel');
    expect(cluster.node_os_upgrade_channel).toBe('NodeImage');
    const nodeImage = only(
      synthPlatform(environment('dev', { kubernetes: { automaticUpgradeChannel: 'node-image' } })).json,
      'azurerm_kubernetes_cluster',
    );
    expect(nodeImage.automatic_upgrade_channel).toBe('node-image');
  });

  it('names the user pool rotation pool within the 12-character limit', () => {
    const { json } = synthPlatform(environment('dev', { kubernetes: { userPool: { name: 'photoviewapp' } } }));
    expect(only(json, 'azurerm_kubernetes_cluster_node_pool').temporary_name_for_rotation).toBe('photoviewtmp');
  });

  it('keeps a pinned node pool version when it is behind the control plane', () => {
    const { json } = synthPlatform(environment('dev', { kubernetes: { userPool: { orchestratorVersion: '1.35' } } }));
    expect(only(json, 'azurerm_kubernetes_cluster_node_pool').orchestrator_version).toBe('1.35');
  });
});

describe("the CI plan identity's access to the app namespace", () => {
  const REPO = 'contoso/aks-environments';
  const TOOLS = '44444444-4444-4444-4444-444444444444';
  const planAssignments = (json: ReturnType<typeof synthPlatform>['json']) =>
    Object.values(json.resource.azurerm_role_assignment).filter((a: any) => String(a.principal_id).includes('PlanIdentityAccess'));

  it('assigns the namespace grants of grants.ts, and only those, to the principal the data source reads', () => {
    const env = environment('staging', { github: { repository: REPO } });
    const { json } = synthPlatform(env);
    expect(azurermProblems(json)).toEqual([]);
    const [key, identity] = Object.entries(json.data.azurerm_user_assigned_identity as Record<string, any>).find(([k]) =>
      k.startsWith('PlanIdentityAccess_'),
    )!;
    // In the same subscription as the environment: read through the stack's own provider.
    expect(identity).toEqual({ name: 'id-photoview-staging-weu-github-plan', resource_group_name: 'rg-tfstate-weu' });
    const cluster = Object.keys(json.resource.azurerm_kubernetes_cluster)[0];
    const expected = identityGrants(env)
      .plan.filter((g) => g.scope.kind === 'appNamespace')
      .map((g) => ({
        scope: `\${azurerm_kubernetes_cluster.${cluster}.id}/namespaces/${env.app.namespace}`,
        role_definition_id: customRoleDefinitionId('custom' in g.role ? g.role.custom : '(built-in)', env),
        principal_id: `\${data.azurerm_user_assigned_identity.${key}.principal_id}`,
        principal_type: 'ServicePrincipal',
        skip_service_principal_aad_check: true,
      }));
    expect(expected.map((a) => a.role_definition_id)).toEqual([customRoleDefinitionId(AKS_PLAN_READER, env)]);
    expect(planAssignments(json)).toEqual(expected);
    expect(json.provider.azurerm).toHaveLength(1);
  });

  it('reads the plan identity through a provider for the state subscription when that is another one, registering nothing', () => {
    const env = environment('prod', { github: { repository: REPO }, state: { subscriptionId: TOOLS } });
    const { json } = synthPlatform(env);
    expect(azurermProblems(json)).toEqual([]);
    const identity = Object.entries(json.data.azurerm_user_assigned_identity as Record<string, any>).find(([k]) =>
      k.startsWith('PlanIdentityAccess_'),
    )![1];
    expect(identity.provider).toBe(`azurerm.subscription-${TOOLS}`);
    expect(json.provider.azurerm).toContainEqual({
      alias: `subscription-${TOOLS}`,
      subscription_id: TOOLS,
      resource_provider_registrations: 'none',
      features: [{}],
    });
    // The assignment is in the cluster's subscription: the default provider.
    expect(planAssignments(json).map((a: any) => a.provider)).toEqual([undefined]);
  });

  it('assigns nothing without a GitHub repository: the bootstrap creates no CI identities then', () => {
    const { json } = synthPlatform(environment('staging'));
    expect(json.data?.azurerm_user_assigned_identity).toBeUndefined();
    expect(planAssignments(json)).toEqual([]);
  });
});
