import { BUILTIN_ROLES, builtinRole } from './builtin-roles';
import type { Attributes } from './proof';

/**
 * The Azure operations Terraform performs for each resource and data source type the stacks synthesize,
 * per phase: `read` is every refresh (plans, drift, and before each apply); create, update and delete
 * happen on apply. Control-plane operations are Azure RBAC actions, data-plane ones (Key Vault secrets,
 * Kubernetes objects through AKS Azure RBAC, state blobs) are data actions.
 */
export type Phase = 'create' | 'update' | 'delete' | 'read';
export const APPLY_PHASES: readonly Phase[] = ['create', 'update', 'delete', 'read'];
export const PLAN_PHASES: readonly Phase[] = ['read'];

export interface Operation {
  phase: Phase;
  /** Azure RBAC action or data action. */
  action: string;
  data: boolean;
  /**
   * Where it happens: a resource ID (a literal, or a Terraform reference to a resource of the stack, which
   * lives in the environment's subscription), `subscription`, `stateContainer`, or the environment's cluster:
   * `cluster` for cluster-scoped Kubernetes requests, `cluster/namespaces/<name>` for namespaced ones.
   */
  scope: string;
  /** For role assignment writes and deletes: the GUID of the role being assigned (what ABAC conditions see). */
  roleDefinitionId?: string;
}

type Resource = Attributes;
const SUB = 'subscription';
const all = (action: (phase: Phase) => string | undefined, scope = SUB, data = false): Operation[] =>
  APPLY_PHASES.flatMap((phase) => {
    const a = action(phase);
    return a ? [{ phase, action: a, data, scope }] : [];
  });

/** Write on create and update, delete on delete, read on refresh: how ARM resources map to actions. */
const crud = (armType: string, scope = SUB) => all((p) => `${armType}/${p === 'create' || p === 'update' ? 'write' : p}`, scope);
const onApply = (phases: Phase[], action: string, scope = SUB, data = false): Operation[] => phases.map((phase) => ({ phase, action, data, scope }));
const WRITE: Phase[] = ['create', 'update'];
const NET = 'Microsoft.Network';
const join = (subnetId: string | undefined) => (subnetId ? onApply(WRITE, `${NET}/virtualNetworks/subnets/join/action`, subnetId) : []);

/** ARM resource types whose operations are plain CRUD, by Terraform type. */
const ARM_TYPES: Record<string, string> = {
  azurerm_resource_group: 'Microsoft.Resources/subscriptions/resourceGroups',
  azurerm_user_assigned_identity: 'Microsoft.ManagedIdentity/userAssignedIdentities',
  azurerm_federated_identity_credential: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials',
  azurerm_container_registry: 'Microsoft.ContainerRegistry/registries',
  azurerm_log_analytics_workspace: 'Microsoft.OperationalInsights/workspaces',
  azurerm_application_insights: 'Microsoft.Insights/components',
  azurerm_monitor_action_group: 'Microsoft.Insights/actionGroups',
  azurerm_monitor_diagnostic_setting: 'Microsoft.Insights/diagnosticSettings',
  azurerm_monitor_metric_alert: 'Microsoft.Insights/metricAlerts',
  azurerm_monitor_scheduled_query_rules_alert_v2: 'Microsoft.Insights/scheduledQueryRules',
  azurerm_monitor_data_collection_endpoint: 'Microsoft.Insights/dataCollectionEndpoints',
  azurerm_monitor_data_collection_rule: 'Microsoft.Insights/dataCollectionRules',
  azurerm_monitor_data_collection_rule_association: 'Microsoft.Insights/dataCollectionRuleAssociations',
  azurerm_monitor_workspace: 'Microsoft.Monitor/accounts',
  azurerm_monitor_alert_prometheus_rule_group: 'Microsoft.AlertsManagement/prometheusRuleGroups',
  azurerm_dashboard_grafana: 'Microsoft.Dashboard/grafana',
  azurerm_virtual_network: `${NET}/virtualNetworks`,
  azurerm_subnet: `${NET}/virtualNetworks/subnets`,
  azurerm_network_security_group: `${NET}/networkSecurityGroups`,
  azurerm_nat_gateway: `${NET}/natGateways`,
  azurerm_public_ip: `${NET}/publicIPAddresses`,
  azurerm_private_dns_zone: `${NET}/privateDnsZones`,
};

/** Operations of the types that are more than CRUD. */
const SPECIAL: Record<string, (r: Resource) => Operation[]> = {
  azurerm_role_assignment: (r) => {
    // role_definition_name is looked up among the role definitions at the scope, then the GUID is what is assigned.
    const role = r.role_definition_name ? builtinRoleId(r.role_definition_name) : guidOf(r.role_definition_id);
    const scope = r.scope as string;
    return [
      ...onApply(['create'], 'Microsoft.Authorization/roleAssignments/write', scope).map((o) => ({ ...o, roleDefinitionId: role })),
      ...onApply(['delete'], 'Microsoft.Authorization/roleAssignments/delete', scope).map((o) => ({ ...o, roleDefinitionId: role })),
      ...onApply(['read'], 'Microsoft.Authorization/roleAssignments/read', scope),
      ...onApply(['create', 'read'], 'Microsoft.Authorization/roleDefinitions/read', scope),
    ];
  },
  // Contributor's NotActions exclude Microsoft.Authorization/*/Write and */Delete, policy assignments included.
  azurerm_resource_policy_assignment: (r) => crud('Microsoft.Authorization/policyAssignments', r.resource_id),
  azurerm_kubernetes_cluster: (r) => [
    ...crud('Microsoft.ContainerService/managedClusters'),
    // The provider reads the user kubeconfig on every refresh and fails without it (resourceKubernetesClusterRead:
    // "retrieving User Credentials"); the admin one only exists with local accounts on.
    ...onApply(['create', 'update', 'read'], 'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action'),
    ...(r.local_account_disabled === true
      ? []
      : onApply(['create', 'update', 'read'], 'Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action')),
    // The cluster is given its user-assigned control plane and kubelet identities.
    ...onApply(WRITE, 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action'),
    ...join(r.default_node_pool?.vnet_subnet_id),
    ...join(r.api_server_access_profile?.subnet_id),
  ],
  azurerm_kubernetes_cluster_node_pool: (r) => [...crud('Microsoft.ContainerService/managedClusters/agentPools'), ...join(r.vnet_subnet_id)],
  azurerm_key_vault: () => [
    ...crud('Microsoft.KeyVault/vaults'),
    // Create looks for a soft-deleted vault of the same name (a 403 is ignored, so not required here).
    ...onApply(['delete'], 'Microsoft.KeyVault/locations/deletedVaults/purge/action'),
    // Refresh also reads the certificate contacts through the data plane, but ignores 403 and 404
    // (resourceKeyVaultRead), so that read is not required.
  ],
  // The resource stores the value: refresh reads it (getSecret), which a plan identity should never be able to.
  azurerm_key_vault_secret: () => [
    ...onApply(['read'], 'Microsoft.KeyVault/vaults/read'),
    ...onApply(['create', 'update'], 'Microsoft.KeyVault/vaults/secrets/setSecret/action', SUB, true),
    ...onApply(['create', 'update', 'read'], 'Microsoft.KeyVault/vaults/secrets/getSecret/action', SUB, true),
    ...onApply(['delete'], 'Microsoft.KeyVault/vaults/secrets/delete', SUB, true),
  ],
  // Deleting a pricing sets the plan back to Free: a write.
  azurerm_security_center_subscription_pricing: () => all((p) => `Microsoft.Security/pricings/${p === 'read' ? 'read' : 'write'}`),
  azurerm_subnet_network_security_group_association: (r) => [
    ...crud(`${NET}/virtualNetworks/subnets`, r.subnet_id),
    ...onApply(WRITE, `${NET}/networkSecurityGroups/join/action`),
  ],
  azurerm_subnet_nat_gateway_association: (r) => [
    ...crud(`${NET}/virtualNetworks/subnets`, r.subnet_id),
    ...onApply(WRITE, `${NET}/natGateways/join/action`),
  ],
  azurerm_nat_gateway_public_ip_association: () => [...crud(`${NET}/natGateways`), ...onApply(WRITE, `${NET}/publicIPAddresses/join/action`)],
  azurerm_private_dns_zone_virtual_network_link: (r) => [
    ...crud(`${NET}/privateDnsZones/virtualNetworkLinks`),
    ...onApply(WRITE, `${NET}/virtualNetworks/join/action`, r.virtual_network_id ?? SUB),
  ],
  azurerm_private_endpoint: (r) => [...crud(`${NET}/privateEndpoints`), ...join(r.subnet_id)],
  'data.azurerm_kubernetes_cluster': () => [
    ...onApply(['read'], 'Microsoft.ContainerService/managedClusters/read'),
    // kube_config: without this the data source returns an empty one and the apps plan fails on "Invalid index".
    ...onApply(['read'], 'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action'),
  ],
  // Read by name: through an aliased provider (the plan identity, in the state's subscription) the scope is that identity.
  'data.azurerm_user_assigned_identity': (r) => {
    const subscription = providerSubscription(r);
    const id = `/subscriptions/${subscription}/resourceGroups/${r.resource_group_name}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${r.name}`;
    return onApply(['read'], 'Microsoft.ManagedIdentity/userAssignedIdentities/read', subscription ? id : SUB);
  },
  // The connection string is a property of the component: a plain GET.
  'data.azurerm_application_insights': () => onApply(['read'], 'Microsoft.Insights/components/read'),
  kubernetes_manifest: (r) => kubernetesOperations(r.manifest),
};

/** A built-in role's GUID; a custom role's name is per environment, so the stacks assign it by ID. */
function builtinRoleId(name: string): string {
  if (!BUILTIN_ROLES.some((r) => r.roleName === name)) {
    throw new Error(
      `azurerm_role_assignment names role '${name}', which is not a built-in role in infra/access/builtin-role-definitions.json; assign a custom role by role_definition_id (customRoleDefinitionId, infra/access/role-ids.ts)`,
    );
  }
  return builtinRole(name).id;
}

function guidOf(roleDefinitionId: string | undefined): string {
  const guid = roleDefinitionId?.split('/').pop();
  if (!guid) throw new Error('azurerm_role_assignment without role_definition_name or role_definition_id');
  return guid;
}

/**
 * The subscription of a resource's aliased azurerm provider, which the stacks name `subscription-<id>` (as the
 * bootstrap does); undefined for the default provider. Another alias throws: the proof would have to guess.
 */
export function providerSubscription(resource: Resource): string | undefined {
  const provider = resource.provider as string | undefined;
  if (!provider?.startsWith('azurerm.')) return undefined;
  const subscription = /^azurerm\.subscription-([0-9a-f-]{36})$/i.exec(provider)?.[1];
  if (!subscription) throw new Error(`provider '${provider}' does not name its subscription; alias azurerm providers subscription-<id>`);
  return subscription;
}

/** Plural resource names of the Kubernetes kinds the apps stack applies, by `apiVersion` group. */
const KUBERNETES_RESOURCES: Record<string, string> = {
  Namespace: 'namespaces',
  ConfigMap: 'configmaps',
  Service: 'services',
  ServiceAccount: 'serviceaccounts',
  ResourceQuota: 'resourcequotas',
  LimitRange: 'limitranges',
  Deployment: 'deployments',
  HorizontalPodAutoscaler: 'horizontalpodautoscalers',
  PodDisruptionBudget: 'poddisruptionbudgets',
  NetworkPolicy: 'networkpolicies',
  Ingress: 'ingresses',
  SecretProviderClass: 'secretproviderclasses',
  Role: 'roles',
  RoleBinding: 'rolebindings',
};

/** The one cluster-scoped kind above; the others live in a namespace. */
const CLUSTER_SCOPED = new Set(['Namespace']);

/** The environment's cluster, and one of its namespaces, as operation scopes. */
export const CLUSTER = 'cluster';
export const namespaceScope = (namespace: string): string => `${CLUSTER}/namespaces/${namespace}`;

/**
 * kubernetes_manifest applies with server-side apply (a PATCH: Azure RBAC's `write`), reads the object on
 * every refresh and deletes it on destroy. AKS names the data actions
 * Microsoft.ContainerService/managedClusters/<group>/<resource>/<read|write|delete>, without a group for the core API,
 * and checks a namespaced request at <cluster>/namespaces/<namespace>. Requests on a Namespace by name carry
 * that name as their namespace (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go), so they are checked there too.
 * Every plan and refresh also lists the cluster's CRDs to type the object (terraform-provider-kubernetes
 * manifest/provider/resource.go, lookUpGVKinCRDs), a cluster-scoped read.
 * @see https://learn.microsoft.com/azure/aks/manage-azure-rbac
 */
export function kubernetesOperations(manifest: { apiVersion: string; kind: string; metadata?: { name?: string; namespace?: string } }): Operation[] {
  const plural = KUBERNETES_RESOURCES[manifest.kind];
  if (!plural) throw new Error(`Kubernetes kind '${manifest.kind}' has no resource name in infra/access/operations.ts; add it`);
  const namespace = CLUSTER_SCOPED.has(manifest.kind) ? manifest.metadata?.name : manifest.metadata?.namespace;
  if (!namespace) throw new Error(`Kubernetes ${manifest.kind} '${manifest.metadata?.name}' has no namespace; the access proof needs it`);
  const group = manifest.apiVersion.includes('/') ? `${manifest.apiVersion.split('/')[0]}/` : '';
  const base = `Microsoft.ContainerService/managedClusters/${group}${plural}`;
  return [
    ...all((p) => `${base}/${p === 'create' || p === 'update' ? 'write' : p}`, namespaceScope(namespace), true),
    ...onApply(['read'], 'Microsoft.ContainerService/managedClusters/apiextensions.k8s.io/customresourcedefinitions/read', CLUSTER, true),
  ];
}

/** The operations of one resource (`type` is `data.<type>` for data sources); throws naming an unknown type. */
export function resourceOperations(type: string, resource: Resource): Operation[] {
  const special = SPECIAL[type];
  const armType = ARM_TYPES[type];
  if (!special && !armType)
    throw new Error(`resource type '${type}' has no operations in infra/access/operations.ts; add what Terraform calls for it`);
  const ops = special ? special(resource) : crud(armType);
  // Through an aliased provider, what would happen in the environment's subscription happens in the alias's.
  const subscription = providerSubscription(resource);
  return subscription ? ops.map((o) => (o.scope === SUB ? { ...o, scope: `/subscriptions/${subscription}` } : o)) : ops;
}

/**
 * State in the azurerm backend with Entra ID auth: every run reads the blob; apply writes it and takes a
 * lease (a blob write). Plans run with -lock=false and take no lease.
 */
export function stateOperations(phases: readonly Phase[]): Operation[] {
  const blobs = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs';
  const ops: Operation[] = [{ phase: 'read', action: `${blobs}/read`, data: true, scope: 'stateContainer' }];
  if (phases.includes('create')) ops.push({ phase: 'create', action: `${blobs}/write`, data: true, scope: 'stateContainer' });
  return ops;
}
