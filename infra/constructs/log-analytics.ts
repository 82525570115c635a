import { Construct } from 'constructs';
import { LogAnalyticsWorkspace as Workspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import type { ResourceGroup } from './resource-group';

/** Properties of a {@link LogAnalyticsWorkspace}. */
export interface LogAnalyticsWorkspaceProps {
  readonly resourceGroup: ResourceGroup;
  readonly name: string;
  /** Days logs are kept. */
  readonly retentionInDays: number;
}

/** The workspace every log and Container Insights record of the environment goes to. */
export class LogAnalyticsWorkspace extends Construct {
  public readonly workspaceId: string;
  /** The workspace's GUID (customer ID), used by query tools. */
  public readonly workspaceCustomerId: string;

  constructor(scope: Construct, id: string, props: LogAnalyticsWorkspaceProps) {
    super(scope, id);
    const workspace = new Workspace(this, 'Resource', {
      name: props.name,
      location: props.resourceGroup.location,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      sku: 'PerGB2018',
      retentionInDays: props.retentionInDays,
      // Entra ID only: no shared workspace keys for agents or queries.
      localAuthenticationEnabled: false,
    });
    this.workspaceId = workspace.id;
    this.workspaceCustomerId = workspace.workspaceId;
  }
}
