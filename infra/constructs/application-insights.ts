import { Construct } from 'constructs';
import { ApplicationInsights as Insights } from '@cdktf/provider-azurerm/lib/application-insights';
import { grantRole, type IPrincipal } from './role-assignment';
import type { ResourceGroup } from './resource-group';

/** Properties of {@link ApplicationInsights}. */
export interface ApplicationInsightsProps {
  readonly resourceGroup: ResourceGroup;
  readonly name: string;
  /** Log Analytics workspace the telemetry is stored in (next to Container Insights). */
  readonly logAnalyticsWorkspaceId: string;
  /** The identity the app sends telemetry as (its workload identity). */
  readonly publisher: IPrincipal;
}

/**
 * Workspace-based Application Insights that takes only Microsoft Entra ID-authenticated telemetry
 * (local authentication off): the instrumentation key in the connection string no longer lets anyone
 * write, so the connection string is a plain setting, not a secret. The app's workload identity gets
 * "Monitoring Metrics Publisher" on the resource, which despite its name publishes all telemetry.
 * @see https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication
 * @see https://learn.microsoft.com/azure/azure-monitor/app/create-workspace-resource
 */
export class ApplicationInsights extends Construct {
  public readonly applicationInsightsId: string;
  /** Where to send telemetry; sensitive in azurerm, though with local authentication off it grants nothing. */
  public readonly connectionString: string;

  constructor(scope: Construct, id: string, props: ApplicationInsightsProps) {
    super(scope, id);
    const insights = new Insights(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      location: props.resourceGroup.location,
      applicationType: 'web',
      workspaceId: props.logAnalyticsWorkspaceId,
      localAuthenticationDisabled: true,
    });
    grantRole(this, 'TelemetryPublisher', { role: 'Monitoring Metrics Publisher', on: insights.id, principal: props.publisher });
    this.applicationInsightsId = insights.id;
    this.connectionString = insights.connectionString;
  }
}
