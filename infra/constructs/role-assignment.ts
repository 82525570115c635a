import type { Construct } from 'constructs';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';

/** An Entra ID principal that can be granted a role. */
export interface IPrincipal {
  /** Object ID of the service principal or managed identity. */
  readonly principalId: string;
}

/**
 * Grants a built-in role on a scope. Used by the intent-level `grant*` methods of the constructs.
 * @see https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
 */
export function grantRole(
  scope: Construct,
  id: string,
  props: { readonly role: string; readonly on: string; readonly principal: IPrincipal },
): RoleAssignment {
  return new RoleAssignment(scope, id, {
    scope: props.on,
    roleDefinitionName: props.role,
    principalId: props.principal.principalId,
    // Managed identities are service principals; saying so avoids a replication-delay failure on create.
    principalType: 'ServicePrincipal',
    skipServicePrincipalAadCheck: true,
  });
}
