import { Construct } from 'constructs';
import type { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import type { ITerraformDependable } from '../cdktf';
import { AZURE_TOKEN_AUDIENCE, GITHUB_OIDC_ISSUER, type FederatedSubject } from '../../config/github';

/** Properties of a {@link GitHubIdentity}. */
export interface GitHubIdentityProps {
  readonly provider: AzurermProvider;
  readonly name: string;
  readonly resourceGroupName: string;
  readonly location: string;
  /** Exact token subjects allowed to sign in (config/github.ts). */
  readonly subjects: ReadonlyArray<FederatedSubject>;
  readonly tags: Record<string, string>;
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A user-assigned managed identity that GitHub Actions jobs sign in as with a federated token: no client
 * secret or certificate exists. Only the listed subjects are trusted.
 */
export class GitHubIdentity extends Construct {
  /** The identity's resource ID (a reference: what is assigned on it waits for it). */
  public readonly identityId: string;
  public readonly principalId: string;
  public readonly clientId: string;

  constructor(scope: Construct, id: string, props: GitHubIdentityProps) {
    super(scope, id);
    const identity = new UserAssignedIdentity(this, 'Identity', {
      provider: props.provider,
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tags: props.tags,
      dependsOn: props.dependsOn,
    });
    // Azure refuses concurrent federated credential writes on one identity, so each waits for the previous one.
    // @see https://learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations#concurrent-updates-arent-supported-user-assigned-managed-identities
    let previous: FederatedIdentityCredential | undefined;
    for (const subject of props.subjects) {
      previous = new FederatedIdentityCredential(this, `Credential-${subject.name}`, {
        provider: props.provider,
        name: subject.name,
        resourceGroupName: props.resourceGroupName,
        parentId: identity.id,
        issuer: GITHUB_OIDC_ISSUER,
        audience: [AZURE_TOKEN_AUDIENCE],
        subject: subject.subject,
        dependsOn: previous ? [previous] : undefined,
      });
    }
    this.identityId = identity.id;
    this.principalId = identity.principalId;
    this.clientId = identity.clientId;
  }
}
