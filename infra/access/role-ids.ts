import { createHash } from 'node:crypto';
import type { EnvironmentConfig } from '../../config';

/** What names an environment's copy of a custom role: its name, its subscription and its tenant. */
export type RoleEnvironment = Pick<EnvironmentConfig, 'name' | 'subscriptionId' | 'tenantId'>;

/** The RFC 4122 URL namespace: the names hashed below are URL-like paths. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** A name-based (version 5, SHA-1) UUID, as RFC 4122 section 4.3 defines it. */
export function uuidV5(name: string, namespace = URL_NAMESPACE): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The tenant-unique name of an environment's copy of a custom role (role definition names are unique per tenant). */
export function customRoleName(role: string, env: Pick<EnvironmentConfig, 'name'>): string {
  return `${role} (${env.name})`;
}

/**
 * The GUID of an environment's copy of a custom role. The bootstrap creates it with this role_definition_id,
 * so the deploy identity's RBAC administrator condition can name it and the platform stack assigns it by ID,
 * both before it exists and without a data lookup.
 * @see https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/role_definition#role_definition_id
 */
export function customRoleGuid(role: string, env: RoleEnvironment): string {
  const tenant = env.tenantId.toLowerCase();
  const subscription = env.subscriptionId.toLowerCase();
  return uuidV5(`aks-environments:/tenants/${tenant}/subscriptions/${subscription}/roleDefinitions/${customRoleName(role, env)}`);
}

/** The role definition ID to assign an environment's copy of a custom role with, in its subscription. */
export function customRoleDefinitionId(role: string, env: RoleEnvironment, subscription = env.subscriptionId): string {
  return `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${customRoleGuid(role, env)}`;
}
