import { Construct } from 'constructs';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import type { IPrincipal } from './role-assignment';
import type { ResourceGroup } from './resource-group';

/** Properties of a {@link WorkloadIdentity}. */
export interface WorkloadIdentityProps {
  readonly resourceGroup: ResourceGroup;
  readonly name: string;
  /** The cluster's OIDC issuer URL. */
  readonly oidcIssuerUrl: string;
  /** Namespace of the Kubernetes service account allowed to use the identity. */
  readonly namespace: string;
  /** Name of that service account. */
  readonly serviceAccountName: string;
}

/**
 * An Azure identity for one Kubernetes service account (AKS workload identity): pods running as that
 * account get Entra ID tokens without any stored secret.
 * @see https://learn.microsoft.com/azure/aks/workload-identity-overview
 */
export class WorkloadIdentity extends Construct implements IPrincipal {
  public readonly principalId: string;
  public readonly clientId: string;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    const identity = new UserAssignedIdentity(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      location: props.resourceGroup.location,
    });
    new FederatedIdentityCredential(this, 'Federation', {
      name: `${props.namespace}-${props.serviceAccountName}`,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      parentId: identity.id,
      issuer: props.oidcIssuerUrl,
      subject: `system:serviceaccount:${props.namespace}:${props.serviceAccountName}`,
      audience: ['api://AzureADTokenExchange'],
    });
    this.principalId = identity.principalId;
    this.clientId = identity.clientId;
  }
}
