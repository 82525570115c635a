import { KUBERNETES_RECORDING_RULES, NODE_RECORDING_RULES } from '../../infra/constructs/prometheus-rules';
import { environment, ENVIRONMENT_NAMES } from '../config/fixtures';
import { azurermProblems } from '../support/azurerm-schema';
import { only, synthPlatform } from './synth';
import { customRoleDefinitionId } from '../../infra/access/role-ids';
import { APP_TEAM_WRITER_ROLE } from '../../infra/constructs/namespace-access';

type Json = ReturnType<typeof synthPlatform>['json'];
const all = (json: Json, type: string): any[] => Object.values(json.resource[type] ?? {});
const ref = (json: Json, type: string, attribute = 'id') => `\${${type}.${Object.keys(json.resource[type])[0]}.${attribute}}`;

const synthesized = Object.fromEntries(ENVIRONMENT_NAMES.map((name) => [name, synthPlatform(environment(name))]));

describe.each(ENVIRONMENT_NAMES)('add-ons of %s', (name) => {
  const { json } = synthesized[name];
  const env = environment(name);
  const cluster = only(json, 'azurerm_kubernetes_cluster');

  it('sends Prometheus metrics to an Azure Monitor workspace through a DCE, DCR and association', () => {
    expect(env.managedPrometheus.enabled).toBe(true);
    expect(cluster.monitor_metrics).toEqual({});
    expect(only(json, 'azurerm_monitor_workspace').name).toBe(`amw-photoview-${name}-weu`);
    const rule = all(json, 'azurerm_monitor_data_collection_rule').find((r) => r.name === `dcr-photoview-${name}-weu-prom`);
    expect(rule).toMatchObject({
      kind: 'Linux',
      data_collection_endpoint_id: ref(json, 'azurerm_monitor_data_collection_endpoint'),
      destinations: { monitor_account: [{ name: 'workspace', monitor_account_id: ref(json, 'azurerm_monitor_workspace') }] },
      data_flow: [{ streams: ['Microsoft-PrometheusMetrics'], destinations: ['workspace'] }],
      data_sources: { prometheus_forwarder: [{ name: 'PrometheusDataSource', streams: ['Microsoft-PrometheusMetrics'] }] },
    });
    const associations = all(json, 'azurerm_monitor_data_collection_rule_association').filter(
      (a) => a.name === 'ama-metrics' || a.name === 'configurationAccessEndpoint',
    );
    expect(associations.map((a) => a.target_resource_id)).toEqual([ref(json, 'azurerm_kubernetes_cluster'), ref(json, 'azurerm_kubernetes_cluster')]);
    expect(associations.find((a) => a.name === 'configurationAccessEndpoint').data_collection_endpoint_id).toBe(
      ref(json, 'azurerm_monitor_data_collection_endpoint'),
    );
  });

  it('records the recommended node and Kubernetes series, scoped to the workspace and the cluster', () => {
    const groups = Object.fromEntries(
      all(json, 'azurerm_monitor_alert_prometheus_rule_group').map((g) => [g.name.replace(/^alert-photoview-\w+-weu-prom-/, ''), g]),
    );
    expect(Object.keys(groups).sort()).toEqual(['alerts', 'kubernetes-recording', 'node-recording', 'ux-recording']);
    for (const group of Object.values<any>(groups)) {
      expect(group).toMatchObject({ cluster_name: ref(json, 'azurerm_kubernetes_cluster', 'name'), interval: 'PT1M', rule_group_enabled: true });
      expect(group.scopes).toEqual([ref(json, 'azurerm_monitor_workspace'), ref(json, 'azurerm_kubernetes_cluster')]);
    }
    expect(groups['node-recording'].rule.map((r: any) => r.record)).toEqual(NODE_RECORDING_RULES.map((r) => r.record));
    expect(groups['kubernetes-recording'].rule.map((r: any) => r.record)).toContain('namespace_cpu:kube_pod_container_resource_requests:sum');
    expect(groups['kubernetes-recording'].rule).toHaveLength(KUBERNETES_RECORDING_RULES.length);
  });

  it('alerts on what only Prometheus sees (no second page for a condition ClusterAlerts covers), to the action group', () => {
    const group = all(json, 'azurerm_monitor_alert_prometheus_rule_group').find((g) => g.name.endsWith('-alerts'));
    expect(group.rule.map((r: any) => r.alert)).toEqual([
      'KubeHpaMaxedOut',
      'KubeQuotaAlmostFull',
      'KubeContainerOOMKilled',
      'KubeNodeNotReady',
      'KubeDeploymentReplicasMismatch',
    ]);
    const byName = Object.fromEntries(group.rule.map((r: any) => [r.alert, r]));
    expect(byName.KubeQuotaAlmostFull).toMatchObject({ for: 'PT15M', severity: 3 });
    expect(byName.KubeQuotaAlmostFull.expression).toContain('> 0.9');
    for (const rule of group.rule) {
      expect(rule.action).toEqual([{ action_group_id: ref(json, 'azurerm_monitor_action_group') }]);
      expect(rule.alert_resolution).toEqual({ auto_resolved: true, time_to_resolve: 'PT10M' });
      expect(rule.annotations.description).toBeTruthy();
    }
  });

  it('assigns the pod security restricted initiative to the cluster, system namespaces excluded', () => {
    const assignment = only(json, 'azurerm_resource_policy_assignment');
    expect(assignment).toMatchObject({
      resource_id: ref(json, 'azurerm_kubernetes_cluster'),
      policy_definition_id: '/providers/Microsoft.Authorization/policySetDefinitions/42b8ef37-b724-4e24-bbc8-7a7708edfe00',
    });
    const parameters = JSON.parse(assignment.parameters);
    expect(parameters.effect.value).toBe(env.security.podSecurityPolicy);
    expect(parameters.excludedNamespaces.value).toEqual(expect.arrayContaining(['kube-system', 'gatekeeper-system']));
    expect(parameters.excludedNamespaces.value).not.toContain(env.app.namespace);
  });

  it('leaves Defender for Containers off unless opted in', () => {
    expect(cluster).not.toHaveProperty('microsoft_defender');
    expect(json.resource.azurerm_security_center_subscription_pricing).toBeUndefined();
  });
});

describe('add-on choices per environment', () => {
  it('audits pod security in dev and denies it in staging and prod', () => {
    const effect = (name: string) => JSON.parse(only(synthesized[name].json, 'azurerm_resource_policy_assignment').parameters).effect.value;
    expect([effect('dev'), effect('staging'), effect('prod')]).toEqual(['audit', 'deny', 'deny']);
  });

  it('Defender for Containers opted in: the sensor on the cluster and the subscription plan', () => {
    const { json } = synthPlatform(environment('prod', { security: { defenderForContainers: true } }));
    expect(only(json, 'azurerm_kubernetes_cluster').microsoft_defender).toEqual({
      log_analytics_workspace_id: ref(json, 'azurerm_log_analytics_workspace'),
    });
    expect(only(json, 'azurerm_security_center_subscription_pricing')).toEqual({ tier: 'Standard', resource_type: 'Containers' });
    expect(azurermProblems(json)).toEqual([]);
  });

  it('Grafana opted in: linked to the workspace, reading metrics, admin groups as Grafana Admin', () => {
    const { json } = synthPlatform(environment('prod', { managedPrometheus: { grafana: true } }));
    const grafana = only(json, 'azurerm_dashboard_grafana');
    expect(grafana).toMatchObject({
      name: 'amg-photoview-prod-weu',
      grafana_major_version: '11',
      api_key_enabled: false,
      identity: { type: 'SystemAssigned' },
      azure_monitor_workspace_integrations: [{ resource_id: ref(json, 'azurerm_monitor_workspace') }],
    });
    const roles = all(json, 'azurerm_role_assignment');
    expect(roles).toContainEqual(
      expect.objectContaining({
        role_definition_name: 'Monitoring Data Reader',
        scope: ref(json, 'azurerm_monitor_workspace'),
        principal_id: ref(json, 'azurerm_dashboard_grafana', 'identity[0].principal_id'),
      }),
    );
    expect(roles.filter((r) => r.role_definition_name === 'Grafana Admin')).toEqual([
      {
        scope: ref(json, 'azurerm_dashboard_grafana'),
        role_definition_name: 'Grafana Admin',
        principal_id: 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa',
        principal_type: 'Group',
      },
    ]);
    expect(azurermProblems(json)).toEqual([]);
  });

  it('Prometheus off: no add-on, workspace or rules', () => {
    const { json } = synthPlatform(environment('dev', { managedPrometheus: { enabled: false } }));
    expect(only(json, 'azurerm_kubernetes_cluster')).not.toHaveProperty('monitor_metrics');
    expect(json.resource.azurerm_monitor_workspace).toBeUndefined();
    expect(json.resource.azurerm_monitor_alert_prometheus_rule_group).toBeUndefined();
  });

  it('pod security off: no assignment', () => {
    const { json } = synthPlatform(environment('dev', { security: { podSecurityPolicy: 'off' } }));
    expect(json.resource.azurerm_resource_policy_assignment).toBeUndefined();
  });
});

describe('app team access and Application Insights', () => {
  it.each(ENVIRONMENT_NAMES)('%s: the app team group gets its Kubernetes role on the app namespace only, plus Cluster User', (name) => {
    const { json } = synthesized[name];
    const env = environment(name);
    const team = env.isolation.appTeam!;
    const roles = all(json, 'azurerm_role_assignment').filter((r) => r.principal_id === team.groupObjectId);
    expect(roles).toHaveLength(2);
    expect(roles).toEqual(
      expect.arrayContaining([
        {
          scope: `${ref(json, 'azurerm_kubernetes_cluster')}/namespaces/photo-view`,
          // write: the environment's custom writer role (no Secrets), by its deterministic ID.
          ...(team.access === 'write'
            ? { role_definition_id: customRoleDefinitionId(APP_TEAM_WRITER_ROLE.name, env) }
            : { role_definition_name: 'Azure Kubernetes Service RBAC Reader' }),
          principal_id: team.groupObjectId,
          principal_type: 'Group',
        },
        {
          scope: ref(json, 'azurerm_kubernetes_cluster'),
          role_definition_name: 'Azure Kubernetes Service Cluster User Role',
          principal_id: team.groupObjectId,
          principal_type: 'Group',
        },
      ]),
    );
  });

  it('prod: workspace-based Application Insights taking Entra ID telemetry only, published by the app identity; nothing in Key Vault', () => {
    const { json } = synthesized.prod;
    expect(only(json, 'azurerm_application_insights')).toMatchObject({
      name: 'appi-photoview-prod-weu',
      application_type: 'web',
      workspace_id: ref(json, 'azurerm_log_analytics_workspace'),
      local_authentication_disabled: true,
    });
    // Monitoring Metrics Publisher on the resource: what Entra ID ingestion needs (despite the name, all telemetry).
    expect(all(json, 'azurerm_role_assignment').filter((r) => r.role_definition_name === 'Monitoring Metrics Publisher')).toEqual([
      expect.objectContaining({
        scope: ref(json, 'azurerm_application_insights'),
        principal_id: ref(json, 'azurerm_user_assigned_identity', 'principal_id'),
      }),
    ]);
    expect(json.resource.azurerm_key_vault_secret).toBeUndefined();
    expect(json.output.application_insights_connection_string).toMatchObject({
      value: ref(json, 'azurerm_application_insights', 'connection_string'),
      sensitive: true,
    });
    expect(environment('prod').app.secretNames).not.toContain('APPLICATIONINSIGHTS_CONNECTION_STRING');
  });

  it('dev: no Application Insights and no secret written', () => {
    expect(synthesized.dev.json.resource.azurerm_application_insights).toBeUndefined();
    expect(synthesized.dev.json.resource.azurerm_key_vault_secret).toBeUndefined();
  });
});

describe('application routing add-on for the ingress', () => {
  const zone = '/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/example.com';

  it('turns the add-on on with an internal controller, lets it read the certificate and write the DNS zone', () => {
    const { json } = synthPlatform(environment('prod', { ingress: { host: 'photos.example.com', certificateName: 'photos', dnsZoneId: zone } }));
    expect(only(json, 'azurerm_kubernetes_cluster').web_app_routing).toEqual({ default_nginx_controller: 'Internal', dns_zone_ids: [zone] });
    const identity = ref(json, 'azurerm_kubernetes_cluster', 'web_app_routing[0].web_app_routing_identity[0].object_id');
    const roles = all(json, 'azurerm_role_assignment').filter((r) => r.principal_id === identity);
    expect(roles.map((r) => [r.role_definition_name, r.scope]).sort()).toEqual([
      ['DNS Zone Contributor', zone],
      ['Key Vault Secrets User', ref(json, 'azurerm_key_vault')],
    ]);
    expect(azurermProblems(json)).toEqual([]);
  });

  it('an external controller for a public app, no DNS zone and no DNS role without a zone', () => {
    const { json } = synthPlatform(environment('dev', { ingress: { host: 'photos-dev.example.com', certificateName: 'photos' } }));
    expect(only(json, 'azurerm_kubernetes_cluster').web_app_routing).toEqual({ default_nginx_controller: 'External', dns_zone_ids: [] });
    expect(all(json, 'azurerm_role_assignment').filter((r) => /DNS Zone/.test(r.role_definition_name))).toEqual([]);
  });

  it('off by default', () => {
    expect(only(synthesized.prod.json, 'azurerm_kubernetes_cluster')).not.toHaveProperty('web_app_routing');
  });
});

describe('workspace audit', () => {
  it.each(ENVIRONMENT_NAMES)('%s: the workspace keeps its own query audit (LAQueryLogs)', (name) => {
    const { json } = synthesized[name];
    const setting = all(json, 'azurerm_monitor_diagnostic_setting').find(
      (s) => s.target_resource_id === ref(json, 'azurerm_log_analytics_workspace'),
    );
    expect(setting).toMatchObject({
      log_analytics_workspace_id: ref(json, 'azurerm_log_analytics_workspace'),
      log_analytics_destination_type: 'Dedicated',
      enabled_log: [{ category: 'Audit' }],
    });
  });
});
