import { Construct } from 'constructs';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';

/** Properties of {@link DiagnosticSettings}. */
export interface DiagnosticSettingsProps {
  /** Resource whose logs are sent. */
  readonly targetResourceId: string;
  readonly logAnalyticsWorkspaceId: string;
  /** Log categories to send. @see https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/logs-index */
  readonly logCategories: ReadonlyArray<string>;
  /** Also send platform metrics. @default true */
  readonly metrics?: boolean;
  /**
   * Write to the resource type's own tables (`log_analytics_destination_type = "Dedicated"`) instead of
   * AzureDiagnostics. Only for types that have them: Key Vault does not, and the provider then shows a
   * diff on every plan.
   */
  readonly resourceSpecificTables: boolean;
}

/** Sends a resource's logs (resource-specific tables) and metrics to Log Analytics. */
export class DiagnosticSettings extends Construct {
  constructor(scope: Construct, id: string, props: DiagnosticSettingsProps) {
    super(scope, id);
    new MonitorDiagnosticSetting(this, 'Resource', {
      name: 'to-log-analytics',
      targetResourceId: props.targetResourceId,
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      logAnalyticsDestinationType: props.resourceSpecificTables ? 'Dedicated' : undefined,
      enabledLog: props.logCategories.map((category) => ({ category })),
      enabledMetric: props.metrics === false ? undefined : [{ category: 'AllMetrics' }],
    });
  }
}
