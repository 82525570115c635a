import { Construct } from 'constructs';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { customRoleDefinitionId, customRoleName, type RoleEnvironment } from '../access/role-ids';
import writer from './data/aks-rbac-writer.json';

/** Properties of {@link NamespaceAccess}. */
export interface NamespaceAccessProps {
  readonly clusterId: string;
  /** The only namespace the group gets rights in. */
  readonly namespace: string;
  /** Object ID of the team's Entra ID group. */
  readonly groupObjectId: string;
  /** `read`: view objects (no Secrets); `write`: also create, change and delete them (no Secrets, no Roles, no quota). */
  readonly access: 'read' | 'write';
  /**
   * The environment: `write` assigns its copy of {@link APP_TEAM_WRITER_ROLE}, which the bootstrap stack
   * defines (infra/access/grants.ts CUSTOM_ROLES), by its deterministic ID (infra/access/role-ids.ts).
   */
  readonly environment: RoleEnvironment;
}

/**
 * Built-in Azure RBAC roles for Kubernetes: `read` assigns the Reader; the Writer is only the base of
 * {@link APP_TEAM_WRITER_ROLE}. @see https://learn.microsoft.com/azure/aks/manage-azure-rbac
 */
export const NAMESPACE_ROLES = { read: 'Azure Kubernetes Service RBAC Reader', write: 'Azure Kubernetes Service RBAC Writer' } as const;

const SECRETS = 'Microsoft.ContainerService/managedClusters/secrets/';
const SERVICE_ACCOUNTS = 'Microsoft.ContainerService/managedClusters/serviceaccounts/';

/**
 * The built-in Writer (copied in data/aks-rbac-writer.json, with its source) without Secrets and with
 * ServiceAccounts read-only. Microsoft describes the Writer as able to read Secrets and "run Pods as any
 * ServiceAccount in the namespace, so it can be used to gain the API access levels of any ServiceAccount";
 * without Secrets there are no ServiceAccount token Secrets to read, and without ServiceAccount write no
 * new account, token request or impersonation. Shaped like the custom roles of infra/access/grants.ts.
 */
export const APP_TEAM_WRITER_ROLE = {
  name: 'AKS namespace writer without Secrets',
  description: `${NAMESPACE_ROLES.write} without Secrets and with ServiceAccounts read-only`,
  actions: [...writer.actions],
  notActions: [...writer.notActions],
  dataActions: writer.dataActions.flatMap((a) => (a.startsWith(SECRETS) ? [] : a === `${SERVICE_ACCOUNTS}*` ? [`${SERVICE_ACCOUNTS}read`] : [a])),
  notDataActions: [...writer.notDataActions],
};

/** The tenant-unique name of an environment's copy (role definition names are unique per tenant). */
export const appTeamWriterRoleName = (environment: string): string => customRoleName(APP_TEAM_WRITER_ROLE.name, { name: environment });

/** A role assignment's role: a built-in role by name, or a custom role by its ID. */
export type NamespaceRole = { roleDefinitionName: string } | { roleDefinitionId: string };

/**
 * Assigns a Kubernetes role on one namespace of a cluster (`<cluster>/namespaces/<name>`): Azure RBAC for
 * Kubernetes then allows it there only, not in other namespaces or on cluster-scoped objects.
 * @see https://learn.microsoft.com/azure/aks/manage-azure-rbac
 */
export function assignInNamespace(
  scope: Construct,
  id: string,
  props: { clusterId: string; namespace: string; role: NamespaceRole; principalId: string; principalType: 'Group' | 'ServicePrincipal' },
): RoleAssignment {
  const servicePrincipal = props.principalType === 'ServicePrincipal';
  return new RoleAssignment(scope, id, {
    scope: `${props.clusterId}/namespaces/${props.namespace}`,
    ...props.role,
    principalId: props.principalId,
    principalType: props.principalType,
    // A managed identity is a service principal; skipping the Entra ID lookup avoids a replication-delay failure.
    ...(servicePrincipal ? { skipServicePrincipalAadCheck: true } : {}),
  });
}

/**
 * An app team's access to one namespace through Azure RBAC for Kubernetes: the Kubernetes role is
 * assigned at the namespace scope (`<cluster>/namespaces/<name>`), so the group has no rights in other
 * namespaces or on cluster-scoped objects. "Cluster User" lets its members fetch a (token-only)
 * kubeconfig; it grants nothing inside the cluster.
 */
export class NamespaceAccess extends Construct {
  constructor(scope: Construct, id: string, props: NamespaceAccessProps) {
    super(scope, id);
    const role: NamespaceRole =
      props.access === 'write'
        ? { roleDefinitionId: customRoleDefinitionId(APP_TEAM_WRITER_ROLE.name, props.environment) }
        : { roleDefinitionName: NAMESPACE_ROLES.read };
    const group = { principalId: props.groupObjectId, principalType: 'Group' } as const;
    assignInNamespace(this, 'KubernetesRole', { clusterId: props.clusterId, namespace: props.namespace, role, ...group });
    new RoleAssignment(this, 'ClusterUser', {
      scope: props.clusterId,
      roleDefinitionName: 'Azure Kubernetes Service Cluster User Role',
      ...group,
    });
  }
}
