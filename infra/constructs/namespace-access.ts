import { Construct } from 'constructs';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';

/** Properties of {@link NamespaceAccess}. */
export interface NamespaceAccessProps {
  readonly clusterId: string;
  /** The only namespace the group gets rights in. */
  readonly namespace: string;
  /** Object ID of the team's Entra ID group. */
  readonly groupObjectId: string;
  /** `read`: view objects (no Secrets); `write`: also create, change and delete them (no Roles, no quota). */
  readonly access: 'read' | 'write';
}

/** Built-in Azure RBAC roles for Kubernetes, by access level. @see https://learn.microsoft.com/azure/aks/manage-azure-rbac */
export const NAMESPACE_ROLES = { read: 'Azure Kubernetes Service RBAC Reader', write: 'Azure Kubernetes Service RBAC Writer' } as const;

/**
 * An app team's access to one namespace through Azure RBAC for Kubernetes: the Kubernetes role is
 * assigned at the namespace scope (`<cluster>/namespaces/<name>`), so the group has no rights in other
 * namespaces or on cluster-scoped objects. "Cluster User" lets its members fetch a (token-only)
 * kubeconfig; it grants nothing inside the cluster.
 */
export class NamespaceAccess extends Construct {
  constructor(scope: Construct, id: string, props: NamespaceAccessProps) {
    super(scope, id);
    const assign = (rid: string, role: string, on: string) =>
      new RoleAssignment(this, rid, {
        scope: on,
        roleDefinitionName: role,
        principalId: props.groupObjectId,
        principalType: 'Group',
      });
    assign('KubernetesRole', NAMESPACE_ROLES[props.access], `${props.clusterId}/namespaces/${props.namespace}`);
    assign('ClusterUser', 'Azure Kubernetes Service Cluster User Role', props.clusterId);
  }
}
