import { Construct } from 'constructs';
import { KeyVault as Vault } from '@cdktf/provider-azurerm/lib/key-vault';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { DiagnosticSettings } from './diagnostic-settings';
import { grantRole, type IPrincipal } from './role-assignment';
import { keyVaultNetworkArguments, type ServiceNetworkAccess } from './service-network-access';
import type { ResourceGroup } from './resource-group';

/** Properties of a {@link KeyVault}. */
export interface KeyVaultProps {
  readonly resourceGroup: ResourceGroup;
  /** Globally unique, 3-24 characters (see naming.ts). */
  readonly name: string;
  readonly tenantId: string;
  readonly sku: 'standard' | 'premium';
  /** Deleted vaults and secrets cannot be purged before the retention ends. Cannot be turned off again. */
  readonly purgeProtection: boolean;
  /** Days a deleted vault or secret can be recovered (7-90; cannot be changed after creation). */
  readonly softDeleteRetentionDays: number;
  readonly logAnalyticsWorkspaceId: string;
  /** Public access and firewall (see service-network-access.ts). */
  readonly networkAccess: ServiceNetworkAccess;
}

/** Holds the app's secrets; access is Azure RBAC only (no access policies). */
export class KeyVault extends Construct {
  public readonly keyVaultId: string;
  public readonly keyVaultUri: string;
  public readonly keyVaultName: string;

  constructor(scope: Construct, id: string, props: KeyVaultProps) {
    super(scope, id);
    const vault = new Vault(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      location: props.resourceGroup.location,
      tenantId: props.tenantId,
      skuName: props.sku,
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: props.purgeProtection,
      softDeleteRetentionDays: props.softDeleteRetentionDays,
      ...keyVaultNetworkArguments(props.networkAccess),
    });
    this.keyVaultId = vault.id;
    this.keyVaultUri = vault.vaultUri;
    this.keyVaultName = props.name;

    new DiagnosticSettings(this, 'Diagnostics', {
      targetResourceId: vault.id,
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      resourceType: 'Microsoft.KeyVault/vaults',
      logCategories: ['AuditEvent'],
    });
  }

  /** Lets an identity read every secret value in the vault ("Key Vault Secrets User"). */
  public grantSecretsRead(identity: IPrincipal, id = 'SecretsUser'): RoleAssignment {
    return grantRole(this, id, { role: 'Key Vault Secrets User', on: this.keyVaultId, principal: identity });
  }
}

/** The resource ID of a vault from its derived names, for stacks that do not create it. */
export function keyVaultResourceId(subscriptionId: string, resourceGroupName: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.KeyVault/vaults/${name}`;
}

/**
 * Lets an identity read one secret's value ("Key Vault Secrets User" at the secret's scope, `<vault id>/secrets/<name>`),
 * not the rest of the vault. Operators set the secrets after the platform deploy; the deploy's pre-flight
 * (scripts/preflight.mjs) checks each exists before the apps stack assigns on it.
 * @see https://learn.microsoft.com/azure/key-vault/general/rbac-guide#secret-scope-role-assignment
 */
export function grantSecretRead(
  scope: Construct,
  id: string,
  props: { readonly keyVaultId: string; readonly secretName: string; readonly principal: IPrincipal },
): RoleAssignment {
  return grantRole(scope, id, { role: 'Key Vault Secrets User', on: `${props.keyVaultId}/secrets/${props.secretName}`, principal: props.principal });
}
