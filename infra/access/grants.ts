import { namingContext, resourceName, type EnvironmentConfig } from '../../config';
import { builtinRole } from './builtin-roles';
import { APP_TEAM_WRITER_ROLE } from '../constructs/namespace-access';
import { PLAN_READER_ROLE } from '../constructs/plan-identity-access';
import { PLATFORM_ASSIGNED_ROLES } from './assigned-roles';
import { providerNamespaces } from './providers';
import { customRoleGuid, type RoleEnvironment } from './role-ids';

export { customRoleName } from './role-ids';

/**
 * What each identity that runs an environment's stacks may do: the one source that the bootstrap stack
 * (infra/stacks/bootstrap-stack.ts) assigns and the offline permission proof (infra/access/proof.ts) checks.
 */

/** Who runs a stack: `deploy` applies; `plan` plans (pull requests, the deploy's plan job, drift). */
export type IdentityKind = 'deploy' | 'plan';

/** Where a grant applies. Resolved to an Azure resource ID by the bootstrap stack (appNamespace: by the platform stack). */
export type GrantScope =
  | { kind: 'subscription' } // the environment's subscription
  | { kind: 'stateContainer' } // the environment's blob container in the state account
  | { kind: 'stateAccount' } // the state storage account
  | { kind: 'resource'; id: string } // a resource the environment file names outside its subscription (DNS zone, existing VNet)
  | { kind: 'planIdentity' } // the environment's plan identity, which the bootstrap creates (githubIdentity)
  // The app namespace in the environment's cluster (<cluster id>/namespaces/<app.namespace>). The cluster does not
  // exist when the bootstrap runs, so the platform stack assigns these grants (PlanIdentityAccess), not the bootstrap.
  | { kind: 'appNamespace' };

/** A role: built-in by its exact Azure roleName, or one of CUSTOM_ROLES by name. */
export type RoleRef = { builtIn: string } | { custom: string };

export interface Grant {
  role: RoleRef;
  scope: GrantScope;
  /** ABAC condition (version 2.0), e.g. the role GUIDs an RBAC administrator may assign. */
  condition?: string;
  /** One line: why the identity needs it (shown in docs and errors). */
  why: string;
}

export interface CustomRoleDefinition {
  name: string;
  description: string;
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

/** Names of the custom roles, for RoleRef. */
export const POLICY_ASSIGNMENT_WRITER = 'Policy assignment writer';
export const AKS_PLAN_READER = PLAN_READER_ROLE.name;
export const AKS_CRD_READER = 'AKS CRD reader';
export const SUBNET_JOINER = 'Subnet joiner';
export const VNET_JOINER = 'Virtual network joiner';

/**
 * Custom roles the grants refer to or the platform stack assigns (assigned-roles.ts). Role definition names
 * are unique per tenant: the bootstrap stack defines each environment's copy, named with customRoleName and
 * with the GUID of customRoleGuid (role-ids.ts), assignable in that environment's subscription and where
 * its grants use it.
 */
export const CUSTOM_ROLES: CustomRoleDefinition[] = [
  {
    // Contributor's NotActions exclude Microsoft.Authorization/*/Write, so it cannot assign policies; this is
    // the narrow alternative to Resource Policy Contributor (which may also write definitions and exemptions).
    name: POLICY_ASSIGNMENT_WRITER,
    description: 'Create, change and delete policy assignments (no definitions, no exemptions)',
    actions: [
      'Microsoft.Authorization/policyAssignments/read',
      'Microsoft.Authorization/policyAssignments/write',
      'Microsoft.Authorization/policyAssignments/delete',
    ],
    notActions: [],
    dataActions: [],
    notDataActions: [],
  },
  // The platform stack assigns it to the plan identity on the app namespace (PlanIdentityAccess).
  PLAN_READER_ROLE,
  {
    // kubernetes_manifest types every object from the cluster's CRDs: plan and refresh list them all, a
    // cluster-scoped call (TFTypeFromOpenAPI -> lookUpGVKinCRDs in hashicorp/terraform-provider-kubernetes
    // manifest/provider/resource.go). Discovery and OpenAPI need nothing: Kubernetes' system:discovery role is
    // bound to every authenticated user (kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles),
    // and AKS's authorization webhook allows those paths by default (kubeguard/guard azure.allow-nonres-discovery-path-access).
    name: AKS_CRD_READER,
    description: 'Read CustomResourceDefinitions (schemas, no objects) through AKS Azure RBAC',
    actions: [],
    notActions: [],
    dataActions: ['Microsoft.ContainerService/managedClusters/apiextensions.k8s.io/customresourcedefinitions/read'],
    notDataActions: [],
  },
  {
    // AKS and private endpoints join subnets of an existing VNet; Network Contributor there would also let
    // the deploy identity change the hub's routes and peerings.
    name: SUBNET_JOINER,
    description: 'Join existing subnets (AKS nodes, API server, private endpoints) and read their VNet',
    actions: [
      'Microsoft.Network/virtualNetworks/read',
      'Microsoft.Network/virtualNetworks/subnets/read',
      'Microsoft.Network/virtualNetworks/subnets/join/action',
    ],
    notActions: [],
    dataActions: [],
    notDataActions: [],
  },
  {
    // Linking a private DNS zone to a runner VNet in another subscription needs join on that VNet only
    // (operations.ts, azurerm_private_dns_zone_virtual_network_link); the narrowest built-in role with it,
    // Network Contributor, could also change the VNet's routes and peerings.
    name: VNET_JOINER,
    description: 'Link private DNS zones to an existing virtual network (join it), nothing else',
    actions: ['Microsoft.Network/virtualNetworks/join/action'],
    notActions: [],
    dataActions: [],
    notDataActions: [],
  },
  // The platform stack assigns it to the app team (NamespaceAccess) for isolation.appTeam.access=write.
  APP_TEAM_WRITER_ROLE,
];

/** A custom role by name; throws naming it when it is not in CUSTOM_ROLES. */
export function customRole(name: string): CustomRoleDefinition {
  const role = CUSTOM_ROLES.find((r) => r.name === name);
  if (!role) throw new Error(`custom role '${name}' is not in CUSTOM_ROLES (infra/access/grants.ts)`);
  return role;
}

/**
 * The ABAC condition that lets an RBAC administrator create and delete assignments of these roles only.
 * The format of Azure's "Constrain roles" example; infra/access/permissions.ts evaluates exactly this format.
 * @see https://learn.microsoft.com/azure/role-based-access-control/delegate-role-assignments-examples#example-constrain-roles
 */
export function assignOnlyCondition(roleIds: readonly string[]): string {
  const ids = [...new Set(roleIds.map((id) => id.toLowerCase()))].sort().join(', ');
  const clause = (action: 'write' | 'delete', source: 'Request' | 'Resource') =>
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/${action}'})) OR (@${source}[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ids}}))`;
  return `${clause('write', 'Request')} AND ${clause('delete', 'Resource')}`;
}

/** Whether a name is one of CUSTOM_ROLES (otherwise it is a built-in role's). */
const isCustom = (name: string) => CUSTOM_ROLES.some((r) => r.name === name);

/** The custom roles the platform stack assigns: the bootstrap defines them though no grant refers to them. */
export function platformCustomRoles(): string[] {
  return PLATFORM_ASSIGNED_ROLES.filter(isCustom);
}

/**
 * The role GUIDs the platform stack assigns (infra/access/assigned-roles.ts), for the RBAC administrator's
 * condition: a custom role's is its environment's copy's, which the bootstrap creates with that GUID.
 */
export function assignableRoleIds(env: RoleEnvironment): string[] {
  return PLATFORM_ASSIGNED_ROLES.map((name) => (isCustom(name) ? customRoleGuid(name, env) : builtinRole(name).id));
}

/** The subscription of a resource ID. */
export function subscriptionOf(id: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase();
}

/**
 * Resources the environment file names that the platform stack assigns roles on or joins, outside its
 * subscription: the DNS zone, the existing VNet's subnets, and the runner VNets its private DNS zones link to.
 */
export function externalResources(env: EnvironmentConfig): { dnsZones: string[]; virtualNetworks: string[]; runnerNetworks: string[] } {
  const outside = (id: string) => subscriptionOf(id) !== env.subscriptionId.toLowerCase();
  const vnet = env.network.virtualNetwork;
  const subnets = vnet.mode === 'existing' ? Object.values(vnet.subnets).filter((s): s is string => typeof s === 'string') : [];
  const virtualNetworks = [...new Set(subnets.filter(outside).map((s) => s.replace(/\/subnets\/[^/]+$/i, '')))].sort();
  const zone = env.ingress?.dnsZoneId;
  const runnerNetworks = [...new Set(env.network.runnerNetworks.filter(outside))].sort();
  return { dnsZones: zone && outside(zone) ? [zone] : [], virtualNetworks, runnerNetworks };
}

/** Where the bootstrap creates an environment's GitHub identity: in the state's resource group and subscription. */
export function githubIdentity(
  env: EnvironmentConfig,
  kind: IdentityKind,
): { name: string; resourceGroupName: string; subscriptionId: string; id: string } {
  const name = resourceName('managedIdentity', namingContext(env), `github-${kind}`);
  const resourceGroupName = env.state.resourceGroupName;
  const subscriptionId = env.state.subscriptionId ?? env.subscriptionId;
  const id = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
  return { name, resourceGroupName, subscriptionId, id };
}

/** The grants of an environment's deploy identity (applies both stacks) and plan identity (plans them). */
export function identityGrants(env: EnvironmentConfig): Record<IdentityKind, Grant[]> {
  const subscription: GrantScope = { kind: 'subscription' };
  const condition = assignOnlyCondition(assignableRoleIds(env));
  const rbacAdmin = 'Role Based Access Control Administrator';
  const external = externalResources(env);
  const deploy: Grant[] = [
    { role: { builtIn: 'Contributor' }, scope: subscription, why: 'create and change the platform resources' },
    {
      role: { builtIn: rbacAdmin },
      scope: subscription,
      condition,
      why: 'assign the roles the platform stack grants (its identities, the app team, Grafana admins), and no other role',
    },
    { role: { custom: POLICY_ASSIGNMENT_WRITER }, scope: subscription, why: 'assign the pod security initiative to the cluster' },
    {
      role: { builtIn: 'Azure Kubernetes Service RBAC Cluster Admin' },
      scope: subscription,
      why: 'apply the photo-view objects, the Namespace included',
    },
    { role: { builtIn: 'Key Vault Reader' }, scope: subscription, why: 'the pre-flight lists secret names (never values)' },
    { role: { builtIn: 'Storage Blob Data Contributor' }, scope: { kind: 'stateContainer' }, why: 'read, write and lock its own state' },
  ];
  const plan: Grant[] = [
    { role: { builtIn: 'Reader' }, scope: subscription, why: 'refresh the platform resources and their role and policy assignments' },
    {
      role: { builtIn: 'Azure Kubernetes Service Cluster User Role' },
      scope: subscription,
      why: "the apps stack reads the cluster's kube_config (listClusterUserCredential); without it azurerm returns an empty one",
    },
    {
      role: { custom: AKS_CRD_READER },
      scope: subscription,
      why: 'kubernetes_manifest lists the CustomResourceDefinitions to type every object (schemas only)',
    },
    {
      role: { custom: AKS_PLAN_READER },
      scope: { kind: 'appNamespace' },
      why: 'kubernetes_manifest reads the live photo-view objects, the Namespace included; no Secret, no other namespace',
    },
    {
      role: { builtIn: 'Storage Blob Data Reader' },
      scope: { kind: 'stateContainer' },
      why: "read its environment's state only (plans run with -lock=false)",
    },
  ];
  // The platform stack reads the plan identity's principal ID (PlanIdentityAccess); Contributor and Reader on
  // the environment's subscription cover it only when the state lives there.
  if (githubIdentity(env, 'plan').subscriptionId.toLowerCase() !== env.subscriptionId.toLowerCase()) {
    const why = "read the plan identity's principal ID, to which the platform stack assigns the namespace role";
    deploy.push({ role: { builtIn: 'Reader' }, scope: { kind: 'planIdentity' }, why });
    plan.push({ role: { builtIn: 'Reader' }, scope: { kind: 'planIdentity' }, why });
  }
  for (const id of external.dnsZones) {
    deploy.push({
      role: { builtIn: rbacAdmin },
      scope: { kind: 'resource', id },
      condition,
      why: "let the app routing add-on write the ingress host's DNS records",
    });
    plan.push({ role: { builtIn: 'Reader' }, scope: { kind: 'resource', id }, why: "refresh the add-on's role assignment on the DNS zone" });
  }
  for (const id of external.virtualNetworks) {
    deploy.push(
      {
        role: { custom: SUBNET_JOINER },
        scope: { kind: 'resource', id },
        why: 'put the nodes, API server and private endpoints in the existing subnets',
      },
      {
        role: { builtIn: rbacAdmin },
        scope: { kind: 'resource', id },
        condition,
        why: "give the cluster's identity Network Contributor on its subnets",
      },
    );
    plan.push({ role: { builtIn: 'Reader' }, scope: { kind: 'resource', id }, why: 'refresh the role assignments on the existing subnets' });
  }
  // Refreshing a link reads only the link, in the zone: the plan identity needs nothing on the runner VNet.
  for (const id of external.runnerNetworks) {
    deploy.push({ role: { custom: VNET_JOINER }, scope: { kind: 'resource', id }, why: 'link the private DNS zones to the runner VNet' });
  }
  return { deploy, plan };
}

/** AKS host encryption is a subscription feature that must be registered before a pool can use it. */
const ENCRYPTION_AT_HOST = { namespace: 'Microsoft.Compute', name: 'EncryptionAtHost' };

/**
 * Resource providers and features an environment's stacks need registered before its first deploy: the
 * providers of every resource type the stacks can synthesize (infra/access/providers.ts; the proof checks
 * the synthesized stacks against it), and host encryption when the environment uses it.
 * @see https://learn.microsoft.com/azure/aks/enable-host-encryption#prerequisites-for-host-based-encryption
 */
export function requiredRegistrations(env: EnvironmentConfig): { providers: string[]; features: { namespace: string; name: string }[] } {
  return { providers: providerNamespaces(), features: env.security.hostEncryption ? [ENCRYPTION_AT_HOST] : [] };
}
