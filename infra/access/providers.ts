/**
 * The resource provider namespaces each Terraform resource and data source type the stacks can synthesize
 * needs registered in the subscription. azurerm 4.55 registers only its "legacy" set by itself
 * (internal/resourceproviders/required.go), which lacks Microsoft.Monitor, Microsoft.AlertsManagement and
 * Microsoft.Dashboard; the bootstrap registers these namespaces before the first deploy.
 * @see https://learn.microsoft.com/azure/azure-resource-manager/management/azure-services-resource-providers
 */
const NETWORK = ['Microsoft.Network'];
const INSIGHTS = ['Microsoft.Insights'];
export const RESOURCE_PROVIDERS: Readonly<Record<string, readonly string[]>> = {
  azurerm_resource_group: ['Microsoft.Resources'],
  azurerm_user_assigned_identity: ['Microsoft.ManagedIdentity'],
  azurerm_federated_identity_credential: ['Microsoft.ManagedIdentity'],
  azurerm_role_assignment: ['Microsoft.Authorization'],
  // The cluster's Azure Policy add-on reports compliance through Microsoft.PolicyInsights.
  // @see https://learn.microsoft.com/azure/governance/policy/concepts/policy-for-kubernetes#install-azure-policy-add-on-for-aks
  azurerm_resource_policy_assignment: ['Microsoft.Authorization', 'Microsoft.PolicyInsights'],
  azurerm_container_registry: ['Microsoft.ContainerRegistry'],
  azurerm_key_vault: ['Microsoft.KeyVault'],
  azurerm_key_vault_secret: ['Microsoft.KeyVault'],
  azurerm_kubernetes_cluster: ['Microsoft.ContainerService', 'Microsoft.Compute', 'Microsoft.PolicyInsights'],
  azurerm_kubernetes_cluster_node_pool: ['Microsoft.ContainerService', 'Microsoft.Compute'],
  azurerm_log_analytics_workspace: ['Microsoft.OperationalInsights'],
  azurerm_application_insights: INSIGHTS,
  azurerm_monitor_action_group: INSIGHTS,
  azurerm_monitor_diagnostic_setting: INSIGHTS,
  azurerm_monitor_metric_alert: INSIGHTS,
  azurerm_monitor_scheduled_query_rules_alert_v2: INSIGHTS,
  azurerm_monitor_data_collection_endpoint: INSIGHTS,
  azurerm_monitor_data_collection_rule: INSIGHTS,
  azurerm_monitor_data_collection_rule_association: INSIGHTS,
  azurerm_monitor_workspace: ['Microsoft.Monitor'],
  azurerm_monitor_alert_prometheus_rule_group: ['Microsoft.AlertsManagement'],
  azurerm_dashboard_grafana: ['Microsoft.Dashboard'],
  azurerm_security_center_subscription_pricing: ['Microsoft.Security'],
  azurerm_virtual_network: NETWORK,
  azurerm_subnet: NETWORK,
  azurerm_network_security_group: NETWORK,
  azurerm_subnet_network_security_group_association: NETWORK,
  azurerm_nat_gateway: NETWORK,
  azurerm_nat_gateway_public_ip_association: NETWORK,
  azurerm_public_ip: NETWORK,
  azurerm_subnet_nat_gateway_association: NETWORK,
  azurerm_private_dns_zone: NETWORK,
  azurerm_private_dns_zone_virtual_network_link: NETWORK,
  azurerm_private_endpoint: NETWORK,
  'data.azurerm_kubernetes_cluster': ['Microsoft.ContainerService'],
  'data.azurerm_user_assigned_identity': ['Microsoft.ManagedIdentity'],
  'data.azurerm_application_insights': INSIGHTS,
  kubernetes_manifest: [], // the cluster's API, not Azure Resource Manager
};

/** The namespaces a resource type needs; throws naming a type this table does not know. */
export function providersOf(type: string): readonly string[] {
  const namespaces = RESOURCE_PROVIDERS[type];
  if (!namespaces)
    throw new Error(`resource type '${type}' has no resource provider entry in infra/access/providers.ts; add it (and its operations)`);
  return namespaces;
}

/** Every namespace the stacks can need, sorted. */
export function providerNamespaces(): string[] {
  return [...new Set(Object.values(RESOURCE_PROVIDERS).flat())].sort();
}
