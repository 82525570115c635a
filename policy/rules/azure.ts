import { kubernetesVersionStatus } from '../../config/kubernetes-versions';
import type { EnvironmentInput, PolicyObject, Rule, TerraformResource, Violation } from '../model';
import { AKS, AKS_POOL, block, blocks, nodePools, refersTo, resourcesOfType } from '../terraform';

/*
 * Azure platform rules over Terraform JSON (azurerm 4.x argument names). Rules marked "(prod)" apply to
 * production environments only; AKS001 is an error in production and a warning elsewhere.
 */
const ACR_DOCS = 'https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/container_registry';
const KV_DOCS = 'https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/key_vault';

const ACR = 'azurerm_container_registry';
const KEY_VAULT = 'azurerm_key_vault';

type Json = Record<string, unknown>;
const on = (object: PolicyObject<unknown>, message: string, severity?: Violation['severity']): Violation => ({ object, message, severity });

/** One violation per resource of a type whose body fails a test. */
function perResource(type: string, problem: (body: Json, env: EnvironmentInput, resource: PolicyObject<TerraformResource>) => string | undefined) {
  return (env: EnvironmentInput): Violation[] =>
    resourcesOfType(env, type).flatMap((r) => {
      const message = problem(r.value.body, env, r);
      return message ? [on(r, message)] : [];
    });
}
const prodOnly = (check: (env: EnvironmentInput) => Violation[]) => (env: EnvironmentInput) => (env.production ? check(env) : []);

/** Resource types that support diagnostic settings, with the categories worth sending. */
export const DIAGNOSABLE_TYPES = [
  AKS,
  ACR,
  KEY_VAULT,
  'azurerm_log_analytics_workspace',
  'azurerm_storage_account',
  'azurerm_public_ip',
  'azurerm_application_gateway',
  'azurerm_firewall',
  'azurerm_network_security_group',
  'azurerm_virtual_network',
  'azurerm_postgresql_flexible_server',
  'azurerm_mssql_server',
  'azurerm_cosmosdb_account',
  'azurerm_eventhub_namespace',
  'azurerm_servicebus_namespace',
  'azurerm_redis_cache',
  'azurerm_linux_web_app',
];

/** Tags every taggable resource carries: for cost reports, ownership and policy assignments. */
export const REQUIRED_TAGS = ['environment', 'workload', 'costCenter', 'managed-by'];

/** Output names and values that carry secrets. */
const SECRET_OUTPUT =
  /(password|secret|token|connection_string|kube_(admin_)?config|client_certificate|client_key|private_key|access_key|primary_key|secondary_key|sas\b)/i;

/** Pods per node AKS uses when max_pods is unset. @see https://learn.microsoft.com/azure/aks/azure-cni-overview */
function defaultMaxPods(cluster: PolicyObject<TerraformResource> | undefined): number {
  const profile = block(cluster?.value.body, 'network_profile');
  if (profile.network_plugin === 'azure' && profile.network_plugin_mode !== 'overlay') return 30;
  return profile.network_plugin === 'azure' ? 250 : 110;
}

export const AZURE_RULES: Rule[] = [
  {
    id: 'AKS001',
    layer: 'azure',
    severity: 'error',
    title: 'API server: private cluster or authorized IP ranges',
    why: 'A public API server with no IP restriction can be attacked from anywhere; Entra ID alone is one layer.',
    fix: 'Set private_cluster_enabled (with private networking) or api_server_access_profile.authorized_ip_ranges. Error in production, warning elsewhere.',
    docs: 'https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges',
    equivalents: { checkov: 'CKV_AZURE_6, CKV_AZURE_115' },
    check: (env) =>
      resourcesOfType(env, AKS).flatMap((r) => {
        const ranges = block(r.value.body, 'api_server_access_profile').authorized_ip_ranges;
        const restricted = r.value.body.private_cluster_enabled === true || (Array.isArray(ranges) && ranges.length > 0);
        return restricted ? [] : [on(r, 'the API server is public with no authorized IP ranges', env.production ? 'error' : 'warning')];
      }),
  },
  {
    id: 'AKS002',
    layer: 'azure',
    severity: 'error',
    title: 'Local accounts disabled',
    why: 'Local accounts give a static cluster-admin credential that bypasses Entra ID, Conditional Access and audit.',
    fix: 'Set local_account_disabled = true.',
    docs: 'https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad',
    equivalents: { checkov: 'CKV_AZURE_141' },
    check: perResource(AKS, (b) => (b.local_account_disabled === true ? undefined : 'local_account_disabled is not true')),
  },
  {
    id: 'AKS003',
    layer: 'azure',
    severity: 'error',
    title: 'Entra ID with Azure RBAC',
    why: 'Azure RBAC for Kubernetes authorization keeps access in Entra ID groups, with PIM and one audit trail.',
    fix: 'Set azure_active_directory_role_based_access_control { azure_rbac_enabled = true } and keep role_based_access_control_enabled.',
    docs: 'https://learn.microsoft.com/azure/aks/manage-azure-rbac',
    equivalents: { checkov: 'CKV_AZURE_5' },
    check: perResource(AKS, (b) =>
      block(b, 'azure_active_directory_role_based_access_control').azure_rbac_enabled === true && b.role_based_access_control_enabled !== false
        ? undefined
        : 'Entra ID integration with azure_rbac_enabled = true is missing',
    ),
  },
  {
    id: 'AKS004',
    layer: 'azure',
    severity: 'error',
    title: 'Azure Policy add-on',
    why: 'The add-on enforces organisation policies (Gatekeeper) inside the cluster and reports compliance.',
    fix: 'Set azure_policy_enabled = true.',
    docs: 'https://learn.microsoft.com/azure/aks/use-azure-policy',
    equivalents: { checkov: 'CKV_AZURE_116' },
    check: perResource(AKS, (b) => (b.azure_policy_enabled === true ? undefined : 'azure_policy_enabled is not true')),
  },
  {
    id: 'AKS005',
    layer: 'azure',
    severity: 'error',
    title: 'Network policy engine',
    why: 'Without a network policy engine, NetworkPolicy objects are accepted and silently not enforced.',
    fix: 'Set network_profile.network_policy to azure, calico or cilium.',
    docs: 'https://learn.microsoft.com/azure/aks/use-network-policies',
    equivalents: { checkov: 'CKV_AZURE_7' },
    check: perResource(AKS, (b) =>
      ['azure', 'calico', 'cilium'].includes(String(block(b, 'network_profile').network_policy))
        ? undefined
        : `network_profile.network_policy is ${JSON.stringify(block(b, 'network_profile').network_policy) ?? 'unset'}`,
    ),
  },
  {
    id: 'AKS006',
    layer: 'azure',
    severity: 'error',
    title: 'Host encryption on every node pool',
    why: 'Encryption at host encrypts temp disks, caches and ephemeral OS disks, which platform-managed disk encryption does not cover.',
    fix: 'Set host_encryption_enabled = true on default_node_pool and every node pool (the subscription needs the EncryptionAtHost feature).',
    docs: 'https://learn.microsoft.com/azure/aks/enable-host-encryption',
    equivalents: { checkov: 'CKV_AZURE_227' },
    check: (env) =>
      nodePools(env)
        .filter((p) => p.body.host_encryption_enabled !== true)
        .map((p) => on(p.object, `${p.label}: host_encryption_enabled is not true`)),
  },
  {
    id: 'AKS007',
    layer: 'azure',
    severity: 'error',
    title: 'Ephemeral OS disks',
    why: 'Ephemeral OS disks live on the VM host: faster node start and reimage, no managed-disk cost, no OS data left behind.',
    fix: 'Set os_disk_type = "Ephemeral" and a VM size whose cache or temp disk fits os_disk_size_gb.',
    docs: 'https://learn.microsoft.com/azure/aks/concepts-storage#ephemeral-os-disk',
    equivalents: { checkov: 'CKV_AZURE_226' },
    check: (env) =>
      nodePools(env)
        .filter((p) => p.body.os_disk_type !== 'Ephemeral')
        .map((p) => on(p.object, `${p.label}: os_disk_type is ${JSON.stringify(p.body.os_disk_type ?? 'Managed (default)')}`)),
  },
  {
    id: 'AKS008',
    layer: 'azure',
    severity: 'error',
    title: 'Automatic upgrade channel and node OS channel',
    why: 'Clusters without upgrade channels fall out of support and miss node security patches.',
    fix: 'Set automatic_upgrade_channel (patch or stable) and node_os_upgrade_channel (NodeImage or SecurityPatch), with maintenance windows.',
    docs: 'https://learn.microsoft.com/azure/aks/auto-upgrade-cluster',
    equivalents: { checkov: 'CKV_AZURE_171' },
    check: perResource(AKS, (b) => {
      const problems = [
        b.automatic_upgrade_channel === undefined || b.automatic_upgrade_channel === 'none'
          ? `automatic_upgrade_channel is ${JSON.stringify(b.automatic_upgrade_channel ?? 'unset')}`
          : '',
        ['None', 'Unmanaged'].includes(String(b.node_os_upgrade_channel)) ? `node_os_upgrade_channel is '${b.node_os_upgrade_channel}'` : '',
      ].filter(Boolean);
      return problems.length > 0 ? problems.join('; ') : undefined;
    }),
  },
  {
    id: 'AKS009',
    layer: 'azure',
    severity: 'error',
    title: 'Key Vault CSI driver with secret rotation',
    why: 'Secrets come from Key Vault, not from Kubernetes Secrets in manifests; rotation picks up changed values without a redeploy.',
    fix: 'Set key_vault_secrets_provider { secret_rotation_enabled = true }.',
    docs: 'https://learn.microsoft.com/azure/aks/csi-secrets-store-driver',
    equivalents: { checkov: 'CKV_AZURE_172' },
    check: perResource(AKS, (b) =>
      block(b, 'key_vault_secrets_provider').secret_rotation_enabled === true
        ? undefined
        : 'key_vault_secrets_provider with secret_rotation_enabled = true is missing',
    ),
  },
  {
    id: 'AKS010',
    layer: 'azure',
    severity: 'error',
    title: 'Paid tier in production',
    why: 'The Free tier has no API server SLA and is not meant for production.',
    fix: 'Set sku_tier = "Standard" (or "Premium").',
    docs: 'https://learn.microsoft.com/azure/aks/free-standard-pricing-tiers',
    equivalents: { checkov: 'CKV_AZURE_170' },
    check: prodOnly(
      perResource(AKS, (b) =>
        ['Standard', 'Premium'].includes(String(b.sku_tier)) ? undefined : `sku_tier is ${JSON.stringify(b.sku_tier ?? 'Free (default)')}`,
      ),
    ),
  },
  {
    id: 'AKS011',
    layer: 'azure',
    severity: 'error',
    title: 'At least 50 pods per node',
    why: 'Few pods per node strands CPU and memory: nodes fill with daemon-set pods before the app fits.',
    fix: 'Set max_pods >= 50 on every pool (110 is the default here; Azure CNI overlay allows 250).',
    docs: 'https://learn.microsoft.com/azure/aks/azure-cni-overlay#maximum-pods-per-node',
    equivalents: { checkov: 'CKV_AZURE_168' },
    check: (env) =>
      nodePools(env).flatMap((p) => {
        const maxPods = typeof p.body.max_pods === 'number' ? p.body.max_pods : defaultMaxPods(p.cluster);
        return maxPods >= 50
          ? []
          : [on(p.object, `${p.label}: max_pods is ${maxPods}${p.body.max_pods === undefined ? ' (the default for its network plugin)' : ''}`)];
      }),
  },
  {
    id: 'AKS012',
    layer: 'azure',
    severity: 'error',
    title: 'Container Insights wired to Log Analytics',
    why: 'Without Container Insights there are no container logs, pod inventory or node metrics to alert on.',
    fix: 'Set oms_agent { log_analytics_workspace_id, msi_auth_for_monitoring_enabled = true } and associate a ContainerInsights data collection rule with the cluster.',
    docs: 'https://learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-enable',
    equivalents: { checkov: 'CKV_AZURE_4' },
    check: (env) =>
      resourcesOfType(env, AKS).flatMap((r) => {
        const agent = block(r.value.body, 'oms_agent');
        if (!agent.log_analytics_workspace_id) return [on(r, 'oms_agent with a log_analytics_workspace_id is missing')];
        const associated = resourcesOfType(env, 'azurerm_monitor_data_collection_rule_association').some((a) =>
          refersTo(a.value.body.target_resource_id, r.id),
        );
        return agent.msi_auth_for_monitoring_enabled === true && !associated
          ? [on(r, 'managed-identity monitoring is on but no data collection rule is associated with the cluster, so no data flows')]
          : [];
      }),
  },
  {
    id: 'AKS013',
    layer: 'azure',
    severity: 'error',
    title: 'Every node pool autoscaled',
    why: 'A fixed-size pool cannot absorb load or a zone outage, and pays for idle nodes.',
    fix: 'Set auto_scaling_enabled = true with min_count and max_count on every pool.',
    docs: 'https://learn.microsoft.com/azure/aks/cluster-autoscaler',
    equivalents: {},
    check: (env) =>
      nodePools(env)
        .filter((p) => p.body.auto_scaling_enabled !== true || p.body.min_count === undefined || p.body.max_count === undefined)
        .map((p) => on(p.object, `${p.label}: not autoscaled (auto_scaling_enabled with min_count and max_count)`)),
  },
  {
    id: 'AKS014',
    layer: 'azure',
    severity: 'error',
    title: 'Kubernetes version supported by AKS on the date validated',
    why: 'AKS cannot create or scale a cluster or pool at a minor version past its end of support (only Premium with Long-Term Support keeps one), and stops patching it.',
    fix: 'Raise kubernetes.version (and any orchestratorVersion) to a minor version in config/kubernetes-versions.ts that is still supported. Judged only by npm run validate, on --today (default: the clock); synth only warns.',
    docs: 'https://learn.microsoft.com/azure/aks/supported-kubernetes-versions#aks-kubernetes-release-calendar',
    equivalents: {},
    check: (env) => {
      const today = env.today;
      if (!today) return [];
      const date = new Date(`${today}T00:00:00Z`);
      const versions = [
        ...resourcesOfType(env, AKS).map((r) => ({ object: r, label: 'kubernetes_version', version: r.value.body.kubernetes_version })),
        ...nodePools(env).map((p) => ({ object: p.object, label: `${p.label} orchestrator_version`, version: p.body.orchestrator_version })),
      ];
      return versions.flatMap(({ object, label, version }) => {
        if (typeof version !== 'string' || version.includes('${')) return [];
        const status = kubernetesVersionStatus(version, date);
        if (status.problem) return [on(object, `${label} ${version}: ${status.problem}`)];
        return status.warning ? [on(object, `${label} ${version}: ${status.warning}`, 'warning')] : [];
      });
    },
  },
  {
    id: 'ACR001',
    layer: 'azure',
    severity: 'error',
    title: 'Registry: no admin user, no anonymous pull',
    why: 'The admin user is a shared password with push rights; anonymous pull publishes every image.',
    fix: 'Leave admin_enabled and anonymous_pull_enabled false; grant AcrPull to identities.',
    docs: ACR_DOCS,
    equivalents: { checkov: 'CKV_AZURE_137, CKV_AZURE_138' },
    check: perResource(ACR, (b) => {
      const enabled = ['admin_enabled', 'anonymous_pull_enabled'].filter((k) => b[k] === true);
      return enabled.length > 0 ? `${enabled.join(' and ')} ${enabled.length > 1 ? 'are' : 'is'} true` : undefined;
    }),
  },
  {
    id: 'ACR002',
    layer: 'azure',
    severity: 'error',
    title: 'Registry: no public network access in production',
    why: 'A registry reachable from the internet is one leaked credential away from a supply-chain attack.',
    fix: 'Set public_network_access_enabled = false with a private endpoint, or network_rule_set { default_action = "Deny" } (Premium).',
    docs: 'https://learn.microsoft.com/azure/container-registry/container-registry-private-link',
    equivalents: { checkov: 'CKV_AZURE_139' },
    check: prodOnly(
      perResource(ACR, (b) =>
        b.public_network_access_enabled === false || block(b, 'network_rule_set').default_action === 'Deny'
          ? undefined
          : 'public network access is on with no network rules',
      ),
    ),
  },
  {
    id: 'ACR003',
    layer: 'azure',
    severity: 'warning',
    title: 'Registry: untagged manifests expire',
    why: 'Untagged manifests pile up with every push to a moving tag, costing storage and keeping vulnerable images pullable by digest.',
    fix: 'Set retention_policy_in_days (Premium), or run an acr purge task on other SKUs.',
    docs: 'https://learn.microsoft.com/azure/container-registry/container-registry-retention-policy',
    equivalents: { checkov: 'CKV_AZURE_167' },
    check: perResource(ACR, (b) =>
      typeof b.retention_policy_in_days === 'number' && b.retention_policy_in_days > 0
        ? undefined
        : `no untagged-manifest retention (sku ${b.sku ?? '?'}${b.sku === 'Premium' ? '' : '; retention needs Premium'})`,
    ),
  },
  {
    id: 'ACR004',
    layer: 'azure',
    severity: 'error',
    title: 'Registry: zone redundancy in production',
    why: 'A zonal registry outage stops every image pull, so no pod can start or move.',
    fix: 'Set zone_redundancy_enabled = true (Premium) and the same on every georeplications block.',
    docs: 'https://learn.microsoft.com/azure/container-registry/zone-redundancy',
    equivalents: { checkov: 'CKV_AZURE_233' },
    check: prodOnly(
      perResource(ACR, (b) => {
        if (b.zone_redundancy_enabled !== true) return 'zone_redundancy_enabled is not true';
        const zonal = blocks(b, 'georeplications')
          .filter((g) => g.zone_redundancy_enabled !== true)
          .map((g) => g.location);
        return zonal.length > 0 ? `replicas in ${zonal.join(', ')} are not zone-redundant` : undefined;
      }),
    ),
  },
  {
    id: 'KV001',
    layer: 'azure',
    severity: 'error',
    title: 'Key Vault: Azure RBAC',
    why: 'Access policies are vault-wide and outside Entra ID governance; RBAC is per secret, auditable and PIM-able.',
    fix: 'Set rbac_authorization_enabled = true.',
    docs: KV_DOCS,
    equivalents: {},
    check: perResource(KEY_VAULT, (b) =>
      b.rbac_authorization_enabled === true || b.enable_rbac_authorization === true ? undefined : 'rbac_authorization_enabled is not true',
    ),
  },
  {
    id: 'KV002',
    layer: 'azure',
    severity: 'error',
    title: 'Key Vault: soft delete and purge protection in production',
    why: 'Without purge protection a deleted vault (and every secret) can be destroyed for good, by mistake or by an attacker.',
    fix: 'Set purge_protection_enabled = true and soft_delete_retention_days >= 7 (90 is the default).',
    docs: 'https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview',
    equivalents: { checkov: 'CKV_AZURE_42, CKV_AZURE_110' },
    check: prodOnly(
      perResource(KEY_VAULT, (b) => {
        if (b.purge_protection_enabled !== true) return 'purge_protection_enabled is not true';
        return typeof b.soft_delete_retention_days === 'number' && b.soft_delete_retention_days < 7
          ? `soft_delete_retention_days is ${b.soft_delete_retention_days}`
          : undefined;
      }),
    ),
  },
  {
    id: 'KV003',
    layer: 'azure',
    severity: 'error',
    title: 'Key Vault: network default deny or private endpoint in production',
    why: 'A vault open to every network relies on credentials alone to protect every secret.',
    fix: 'Set network_acls { default_action = "Deny", bypass = "AzureServices" }, or public_network_access_enabled = false with a private endpoint.',
    docs: 'https://learn.microsoft.com/azure/key-vault/general/network-security',
    equivalents: { checkov: 'CKV_AZURE_109, CKV2_AZURE_32' },
    check: prodOnly((env) =>
      resourcesOfType(env, KEY_VAULT).flatMap((r) => {
        const b = r.value.body;
        const privateEndpoint = resourcesOfType(env, 'azurerm_private_endpoint').some((pe) =>
          blocks(pe.value.body, 'private_service_connection').some((c) => refersTo(c.private_connection_resource_id, r.id)),
        );
        const closed = block(b, 'network_acls').default_action === 'Deny' || (b.public_network_access_enabled === false && privateEndpoint);
        return closed ? [] : [on(r, 'reachable from every network (no network_acls default_action = "Deny", no private endpoint)')];
      }),
    ),
  },
  {
    id: 'AZ001',
    layer: 'azure',
    severity: 'error',
    title: 'Diagnostic settings on every resource that supports them',
    why: 'Audit and control-plane logs exist only if they are sent somewhere; after an incident it is too late to turn them on.',
    fix: 'Add an azurerm_monitor_diagnostic_setting with target_resource_id = <resource>.id to Log Analytics.',
    docs: 'https://learn.microsoft.com/azure/azure-monitor/essentials/diagnostic-settings',
    equivalents: {},
    check: (env) => {
      const settings = resourcesOfType(env, 'azurerm_monitor_diagnostic_setting');
      return env.resources
        .filter((r) => DIAGNOSABLE_TYPES.includes(r.value.type) && !settings.some((s) => refersTo(s.value.body.target_resource_id, r.id)))
        .map((r) => on(r, 'no diagnostic setting targets it'));
    },
  },
  {
    id: 'AZ002',
    layer: 'azure',
    severity: 'error',
    title: 'Required tags',
    why: `Cost reports, ownership and policy assignments read the tags ${REQUIRED_TAGS.join(', ')}.`,
    fix: 'Set the missing tags (the platform stack adds environment, workload and managed-by; costCenter comes from the environment file).',
    docs: 'https://learn.microsoft.com/azure/cloud-adoption-framework/ready/azure-best-practices/resource-tagging',
    equivalents: {},
    check: (env) =>
      env.resources
        .filter((r) => !r.value.type.startsWith('data.')) // data sources read, they create nothing to tag
        .filter((r) => 'location' in r.value.body || 'tags' in r.value.body || r.value.type === AKS_POOL)
        .flatMap((r) => {
          const tags = (r.value.body.tags ?? {}) as Record<string, unknown>;
          const missing = REQUIRED_TAGS.filter((t) => typeof tags[t] !== 'string' || tags[t] === '');
          return missing.length > 0 ? [on(r, `missing tag${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`)] : [];
        }),
  },
  {
    id: 'AZ003',
    layer: 'azure',
    severity: 'error',
    title: 'Secret-looking outputs are sensitive',
    why: 'Outputs that are not sensitive are printed by plan and apply and stored readable in logs.',
    fix: 'Set sensitive = true on the output, or do not output the value.',
    docs: 'https://developer.hashicorp.com/terraform/language/values/outputs#sensitive-suppressing-values-in-cli-output',
    equivalents: {},
    check: (env) =>
      env.outputs
        .filter((o) => o.value.body.sensitive !== true && (SECRET_OUTPUT.test(o.value.name) || SECRET_OUTPUT.test(String(o.value.body.value ?? ''))))
        .map((o) => on(o, `output '${o.value.name}' looks secret but is not sensitive`)),
  },
];
