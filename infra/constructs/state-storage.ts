import { Construct } from 'constructs';
import type { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { AZURE_REGIONS } from '../../config';

/** Properties of a {@link StateStorage}. */
export interface StateStorageProps {
  /** The provider of the subscription that holds the account. */
  readonly provider: AzurermProvider;
  readonly resourceGroupName: string;
  readonly accountName: string;
  readonly location: string;
  /** One blob container per environment. */
  readonly containers: ReadonlyArray<string>;
  readonly tags: Record<string, string>;
}

/** Days a deleted or overwritten state blob, or a deleted container, can be restored. */
export const STATE_RETENTION_DAYS = 30;

/**
 * The Terraform state of every environment: a storage account reached with Entra ID only (shared keys off,
 * so no key or SAS can read it), and one private blob container per environment. Blob versioning and soft
 * delete keep every earlier state. The account refuses to be destroyed: it holds the state of everything.
 * @see https://developer.hashicorp.com/terraform/language/backend/azurerm (use_azuread_auth)
 */
export class StateStorage extends Construct {
  public readonly accountId: string;
  public readonly resourceGroupName: string;
  private readonly containerIds = new Map<string, string>();

  constructor(scope: Construct, id: string, props: StateStorageProps) {
    super(scope, id);
    const provider = props.provider;
    const group = new ResourceGroup(this, 'ResourceGroup', { provider, name: props.resourceGroupName, location: props.location, tags: props.tags });
    const account = new StorageAccount(this, 'Account', {
      provider,
      name: props.accountName,
      resourceGroupName: group.name,
      location: props.location,
      accountKind: 'StorageV2',
      accountTier: 'Standard',
      accountReplicationType: AZURE_REGIONS[props.location]?.zones ? 'ZRS' : 'LRS',
      minTlsVersion: 'TLS1_2',
      httpsTrafficOnlyEnabled: true,
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      allowNestedItemsToBePublic: false,
      crossTenantReplicationEnabled: false,
      localUserEnabled: false,
      infrastructureEncryptionEnabled: true,
      blobProperties: {
        versioningEnabled: true,
        deleteRetentionPolicy: { days: STATE_RETENTION_DAYS },
        containerDeleteRetentionPolicy: { days: STATE_RETENTION_DAYS },
      },
      tags: props.tags,
      lifecycle: { preventDestroy: true },
    });
    this.accountId = account.id;
    this.resourceGroupName = group.name;
    for (const name of props.containers) {
      // storage_account_id: created through Azure Resource Manager, which needs no data-plane access.
      const container = new StorageContainer(this, `Container-${name}`, {
        provider,
        name,
        storageAccountId: account.id,
        containerAccessType: 'private',
      });
      this.containerIds.set(name, container.id);
    }
  }

  /** Resource ID of an environment's container, the scope of its blob data roles. */
  public containerScope(name: string): string {
    if (!this.containerIds.has(name)) throw new Error(`state container '${name}' is not in this account`);
    return `${this.accountId}/blobServices/default/containers/${name}`;
  }
}
