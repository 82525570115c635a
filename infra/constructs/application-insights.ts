import { Construct } from 'constructs';
import { ApplicationInsights as Insights } from '@cdktf/provider-azurerm/lib/application-insights';
import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';
import type { ResourceGroup } from './resource-group';

/** Properties of {@link ApplicationInsights}. */
export interface ApplicationInsightsProps {
  readonly resourceGroup: ResourceGroup;
  readonly name: string;
  /** Log Analytics workspace the telemetry is stored in (next to Container Insights). */
  readonly logAnalyticsWorkspaceId: string;
  /** Key Vault that receives the connection string. */
  readonly keyVaultId: string;
  /** Name of the Key Vault secret holding the connection string. */
  readonly secretName: string;
}

/**
 * Workspace-based Application Insights whose connection string is written to Key Vault, where the app
 * reads it like its other secrets (Secrets Store CSI driver), so no value passes through config,
 * manifests or CI logs. Writing the secret is a Key Vault data-plane call: the deploying identity needs
 * "Key Vault Secrets Officer" on the vault and network access to it (a runner in the VNet when the
 * vault is private). The value is in Terraform state, which is why state is Entra ID-only.
 * @see https://learn.microsoft.com/azure/azure-monitor/app/create-workspace-resource
 */
export class ApplicationInsights extends Construct {
  public readonly applicationInsightsId: string;

  constructor(scope: Construct, id: string, props: ApplicationInsightsProps) {
    super(scope, id);
    const insights = new Insights(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      location: props.resourceGroup.location,
      applicationType: 'web',
      workspaceId: props.logAnalyticsWorkspaceId,
    });
    new KeyVaultSecret(this, 'ConnectionString', {
      name: props.secretName,
      keyVaultId: props.keyVaultId,
      value: insights.connectionString,
      contentType: 'text/plain',
    });
    this.applicationInsightsId = insights.id;
  }
}
