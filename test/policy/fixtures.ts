import type { EnvironmentFacts } from '../../policy/engine';
import { kubernetesId, type InputFile } from '../../policy/inputs';
import type { KubernetesObject } from '../../policy/model';

/*
 * A small app and platform that pass every rule in a production environment. Each rule's failing
 * fixture is one change to a fresh copy (rules.test.ts).
 */
export const REGISTRY = 'crshop.azurecr.io';

export function goodKubernetes(): Record<string, any> {
  const labels = { 'app.kubernetes.io/name': 'shop' };
  return {
    namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    serviceAccount: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'shop', namespace: 'shop' }, automountServiceAccountToken: false },
    configMap: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shop-settings', namespace: 'shop' },
      data: { LOG_LEVEL: 'info', TITLE: 'Shop' },
    },
    deployment: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'shop', namespace: 'shop', labels },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'shop',
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 10001,
              runAsGroup: 10001,
              fsGroup: 10001,
              supplementalGroups: [10001],
              seccompProfile: { type: 'RuntimeDefault' },
            },
            nodeSelector: { 'shop.io/pool': 'apps' },
            topologySpreadConstraints: [
              { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } },
            ],
            containers: [
              {
                name: 'shop',
                image: `${REGISTRY}/shop:1.2.3`,
                ports: [{ containerPort: 8080 }],
                resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
                livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
                readinessProbe: { httpGet: { path: '/healthz', port: 8080 } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-secrets', key: 'DB_PASSWORD' } } }],
                envFrom: [{ configMapRef: { name: 'shop-settings' } }],
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [
              { name: 'tmp', emptyDir: {} },
              { name: 'settings', configMap: { name: 'shop-settings' } },
            ],
          },
        },
      },
    },
    autoscaler: {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'shop', namespace: 'shop' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop' }, minReplicas: 3, maxReplicas: 12 },
    },
    budget: {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'shop', namespace: 'shop' },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    },
    networkPolicy: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: 'shop' },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    },
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'shop', namespace: 'shop', annotations: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' } },
      spec: { type: 'LoadBalancer', selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
    },
  };
}

const TAGS = { environment: 'prod', workload: 'shop', costCenter: 'cc-1', 'managed-by': 'cdktf' };
const tags = () => ({ ...TAGS });
const ref = (address: string) => `\${${address}.id}`;

export function goodTerraform(): Record<string, any> {
  const pool = {
    vm_size: 'Standard_D4ds_v5',
    auto_scaling_enabled: true,
    min_count: 3,
    max_count: 6,
    max_pods: 110,
    os_disk_type: 'Ephemeral',
    host_encryption_enabled: true,
  };
  return {
    resource: {
      azurerm_kubernetes_cluster: {
        cluster: {
          name: 'aks-shop-prod',
          location: 'westeurope',
          kubernetes_version: '1.35',
          sku_tier: 'Standard',
          tags: tags(),
          default_node_pool: { name: 'system', only_critical_addons_enabled: true, ...pool },
          private_cluster_enabled: true,
          local_account_disabled: true,
          role_based_access_control_enabled: true,
          azure_active_directory_role_based_access_control: { azure_rbac_enabled: true, tenant_id: '00000000-0000-0000-0000-000000000000' },
          azure_policy_enabled: true,
          network_profile: { network_plugin: 'azure', network_plugin_mode: 'overlay', network_policy: 'cilium' },
          automatic_upgrade_channel: 'patch',
          node_os_upgrade_channel: 'NodeImage',
          key_vault_secrets_provider: { secret_rotation_enabled: true },
          oms_agent: { log_analytics_workspace_id: ref('azurerm_log_analytics_workspace.logs'), msi_auth_for_monitoring_enabled: true },
        },
      },
      azurerm_kubernetes_cluster_node_pool: {
        apps: {
          name: 'apps',
          kubernetes_cluster_id: ref('azurerm_kubernetes_cluster.cluster'),
          mode: 'User',
          node_labels: { 'shop.io/pool': 'apps' },
          tags: tags(),
          ...pool,
        },
      },
      azurerm_container_registry: {
        registry: {
          name: 'crshop',
          location: 'westeurope',
          sku: 'Premium',
          tags: tags(),
          admin_enabled: false,
          anonymous_pull_enabled: false,
          public_network_access_enabled: false,
          zone_redundancy_enabled: true,
          retention_policy_in_days: 7,
          georeplications: [{ location: 'northeurope', zone_redundancy_enabled: true }],
        },
      },
      azurerm_key_vault: {
        vault: {
          name: 'kv-shop-prod',
          location: 'westeurope',
          tags: tags(),
          rbac_authorization_enabled: true,
          purge_protection_enabled: true,
          soft_delete_retention_days: 90,
          network_acls: { default_action: 'Deny', bypass: 'AzureServices' },
        },
      },
      azurerm_log_analytics_workspace: { logs: { name: 'log-shop-prod', location: 'westeurope', tags: tags() } },
      azurerm_monitor_data_collection_rule_association: {
        insights: { name: 'ContainerInsightsExtension', target_resource_id: ref('azurerm_kubernetes_cluster.cluster') },
      },
      azurerm_monitor_diagnostic_setting: Object.fromEntries(
        [
          'azurerm_kubernetes_cluster.cluster',
          'azurerm_container_registry.registry',
          'azurerm_key_vault.vault',
          'azurerm_log_analytics_workspace.logs',
        ].map((target, i) => [
          `diagnostics${i}`,
          { name: 'to-log-analytics', target_resource_id: ref(target), log_analytics_workspace_id: ref('azurerm_log_analytics_workspace.logs') },
        ]),
      ),
    },
    output: {
      cluster_name: { value: '${azurerm_kubernetes_cluster.cluster.name}' },
      kube_config: { value: '${azurerm_kubernetes_cluster.cluster.kube_config_raw}', sensitive: true },
    },
  };
}

/**
 * Assigns the pod security restricted initiative to the fixture cluster, as
 * infra/constructs/pod-security-policy.ts does (the passing pod satisfies it).
 */
export function assignPodSecurity(terraform: Record<string, any>, effect: string, excludedNamespaces = ['kube-system', 'gatekeeper-system']): void {
  terraform.resource.azurerm_resource_policy_assignment = {
    podSecurity: {
      name: 'pod-security-restricted',
      resource_id: ref('azurerm_kubernetes_cluster.cluster'),
      policy_definition_id: '/providers/Microsoft.Authorization/policySetDefinitions/42b8ef37-b724-4e24-bbc8-7a7708edfe00',
      parameters: JSON.stringify({ effect: { value: effect }, excludedNamespaces: { value: excludedNamespaces } }),
    },
  };
}

/** The config side of the fixture environment `prod`: its registry and the secret it asks for. */
export const PROD_FACTS: EnvironmentFacts = { name: 'prod', registries: [REGISTRY], secretEnvironmentVariables: ['DB_PASSWORD'], waivers: [] };

type Waiver = EnvironmentFacts['waivers'][number];

/** prod's facts read from environments/prod.yaml, with waivers of NET004 on the line each names (by default of the shop Service, owned by team-shop until 2026-12-31). */
export function prodFactsWithWaivers(...waivers: Array<Partial<Waiver> & { line: number }>): EnvironmentFacts {
  return {
    ...PROD_FACTS,
    file: 'environments/prod.yaml',
    waivers: waivers.map(({ line, ...waiver }) => ({
      rule: 'NET004',
      object: 'Service/shop/shop',
      reason: 'public until the ingress exists',
      owner: 'team-shop',
      expires: '2026-12-31',
      environment: 'prod',
      source: { file: 'environments/prod.yaml', line },
      ...waiver,
    })),
  };
}

/** Input files of an environment, as the reader would make them from `photo-view-<env>.k8s.yaml` and `platform-<env>`. */
export function inputFiles(environment: string, kubernetes: Record<string, unknown>, terraform: Record<string, unknown>): InputFile[] {
  const objects = Object.values(kubernetes) as KubernetesObject[];
  const tf = terraform as { resource: Record<string, Record<string, Record<string, unknown>>>; output?: Record<string, Record<string, unknown>> };
  const tfFile = `cdktf.out/stacks/platform-${environment}/cdk.tf.json`;
  return [
    {
      file: `dist/shop-${environment}.k8s.yaml`,
      unit: `shop-${environment}`,
      kubernetes: objects.map((value, i) => ({
        id: kubernetesId(value),
        value,
        source: { file: `dist/shop-${environment}.k8s.yaml`, line: i * 10 + 1 },
      })),
      resources: [],
      outputs: [],
    },
    {
      file: tfFile,
      unit: `platform-${environment}`,
      kubernetes: [],
      resources: Object.entries(tf.resource).flatMap(([type, byName]) =>
        Object.entries(byName).map(([name, body]) => ({ id: `${type}.${name}`, value: { type, name, body }, source: { file: tfFile, line: 1 } })),
      ),
      outputs: Object.entries(tf.output ?? {}).map(([name, body]) => ({
        id: `output.${name}`,
        value: { name, body },
        source: { file: tfFile, line: 1 },
      })),
    },
  ];
}
