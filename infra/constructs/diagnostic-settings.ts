import { Construct } from 'constructs';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';

/**
 * Whether each resource type these stacks send logs from has resource-specific tables, i.e. whether
 * `log_analytics_destination_type = "Dedicated"` ("logs sent to a Log Analytics workspace will go into
 * resource specific tables", azurerm 4.55 docs of azurerm_monitor_diagnostic_setting) applies. Set it where
 * the service ignores it and Azure reads back null: the provider then plans a change on every run
 * (Azure/azure-rest-api-specs#22400, with Key Vault as the example).
 * Facts from Microsoft Learn, Azure Monitor reference, "Supported logs for <type>" (Log table column):
 * @see https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/logs-index
 */
export const LOG_TABLES = {
  /** kube-audit-admin, kube-apiserver, ... go to AKSAuditAdmin, AKSAudit, AKSControlPlane. */
  'Microsoft.ContainerService/managedClusters': { resourceSpecific: true },
  /** ContainerRegistryLoginEvents and ContainerRegistryRepositoryEvents tables. */
  'Microsoft.ContainerRegistry/registries': { resourceSpecific: true },
  /** Audit goes to LAQueryLogs. */
  'Microsoft.OperationalInsights/workspaces': { resourceSpecific: true },
  /**
   * Learn now lists AZKVAuditLogs for AuditEvent, but Key Vault is the documented case of Azure reading
   * "Dedicated" back as null (a diff on every plan); AzureDiagnostics until that is shown fixed.
   */
  'Microsoft.KeyVault/vaults': { resourceSpecific: false },
  /** VMProtectionAlerts: AzureDiagnostics only. */
  'Microsoft.Network/virtualNetworks': { resourceSpecific: false },
  /** NetworkSecurityGroupEvent and NetworkSecurityGroupRuleCounter: AzureDiagnostics only. */
  'Microsoft.Network/networkSecurityGroups': { resourceSpecific: false },
  /** DDoSProtectionNotifications, DDoSMitigationFlowLogs, DDoSMitigationReports: AzureDiagnostics only. */
  'Microsoft.Network/publicIPAddresses': { resourceSpecific: false },
} as const satisfies Record<string, { readonly resourceSpecific: boolean }>;

/** A resource type {@link LOG_TABLES} knows. */
export type DiagnosticResourceType = keyof typeof LOG_TABLES;

/** The destination type for a resource type's logs; refuses a type nobody has checked. */
export function logAnalyticsDestinationType(resourceType: string): 'Dedicated' | undefined {
  if (!Object.hasOwn(LOG_TABLES, resourceType)) {
    throw new Error(
      `DiagnosticSettings: no resource-specific table fact for resource type "${resourceType}"; ` +
        `add it to LOG_TABLES in infra/constructs/diagnostic-settings.ts (known: ${Object.keys(LOG_TABLES).join(', ')})`,
    );
  }
  return LOG_TABLES[resourceType as DiagnosticResourceType].resourceSpecific ? 'Dedicated' : undefined;
}

/** Properties of {@link DiagnosticSettings}. */
export interface DiagnosticSettingsProps {
  /** Resource whose logs are sent. */
  readonly targetResourceId: string;
  /** Its ARM type: decides the destination type from {@link LOG_TABLES}. */
  readonly resourceType: DiagnosticResourceType;
  readonly logAnalyticsWorkspaceId: string;
  /** Log categories to send. @see https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/logs-index */
  readonly logCategories: ReadonlyArray<string>;
  /** Also send platform metrics. @default true */
  readonly metrics?: boolean;
}

/** Sends a resource's logs (to its resource-specific tables where it has them) and metrics to Log Analytics. */
export class DiagnosticSettings extends Construct {
  constructor(scope: Construct, id: string, props: DiagnosticSettingsProps) {
    super(scope, id);
    new MonitorDiagnosticSetting(this, 'Resource', {
      name: 'to-log-analytics',
      targetResourceId: props.targetResourceId,
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      logAnalyticsDestinationType: logAnalyticsDestinationType(props.resourceType),
      enabledLog: props.logCategories.map((category) => ({ category })),
      enabledMetric: props.metrics === false ? undefined : [{ category: 'AllMetrics' }],
    });
  }
}
