import { Construct } from 'constructs';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { DataAzurermUserAssignedIdentity } from '@cdktf/provider-azurerm/lib/data-azurerm-user-assigned-identity';
import { assignInNamespace, type NamespaceRole } from './namespace-access';

/**
 * What a plan reads in the app namespace. kubernetes_manifest reads every object it manages, the Namespace
 * included: the API server authorizes GET /api/v1/namespaces/<name> with namespace <name>
 * (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go), so AKS checks that read at <cluster>/namespaces/<name>
 * too. `*` because custom resources (SecretProviderClass) have no data action of their own
 * (learn.microsoft.com/azure/aks/manage-azure-rbac). Shaped like the custom roles of infra/access/grants.ts.
 */
export const PLAN_READER_ROLE = {
  name: 'AKS plan reader',
  description: 'Read Kubernetes objects through AKS Azure RBAC, except Secrets',
  actions: [] as string[],
  notActions: [] as string[],
  dataActions: ['Microsoft.ContainerService/managedClusters/*/read'],
  notDataActions: ['Microsoft.ContainerService/managedClusters/secrets/read'],
};

/** Properties of {@link PlanIdentityAccess}. */
export interface PlanIdentityAccessProps {
  readonly clusterId: string;
  /** The app namespace: the only one the identity may read. */
  readonly namespace: string;
  /** The plan identity, which the bootstrap stack creates (infra/access/grants.ts githubIdentity). */
  readonly identity: { readonly name: string; readonly resourceGroupName: string; readonly subscriptionId: string };
  /** The environment's subscription (the stack's default provider). */
  readonly subscriptionId: string;
  /** The roles to assign on the namespace, each with a label for its Terraform address. */
  readonly roles: ReadonlyArray<{ readonly label: string; readonly role: NamespaceRole }>;
}

/**
 * The CI plan identity's roles in the app namespace. The bootstrap cannot assign them (the cluster does not
 * exist yet), so the platform stack does, right after the cluster; it reads the identity's principal ID
 * through a provider for the state's subscription when that is another one (registering nothing, like the others).
 */
export class PlanIdentityAccess extends Construct {
  constructor(scope: Construct, id: string, props: PlanIdentityAccessProps) {
    super(scope, id);
    const elsewhere = props.identity.subscriptionId.toLowerCase() !== props.subscriptionId.toLowerCase();
    const provider = elsewhere
      ? new AzurermProvider(this, 'StateSubscription', {
          // Named like the bootstrap's providers: the access proof reads the subscription from the alias.
          alias: `subscription-${props.identity.subscriptionId}`,
          subscriptionId: props.identity.subscriptionId,
          resourceProviderRegistrations: 'none',
          features: [{}],
        })
      : undefined;
    const identity = new DataAzurermUserAssignedIdentity(this, 'Identity', {
      provider,
      name: props.identity.name,
      resourceGroupName: props.identity.resourceGroupName,
    });
    for (const { label, role } of props.roles) {
      assignInNamespace(this, `Role-${label}`, {
        clusterId: props.clusterId,
        namespace: props.namespace,
        role,
        principalId: identity.principalId,
        principalType: 'ServicePrincipal',
      });
    }
  }
}
