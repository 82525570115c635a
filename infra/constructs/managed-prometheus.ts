import { Construct } from 'constructs';
import { DashboardGrafana } from '@cdktf/provider-azurerm/lib/dashboard-grafana';
import {
  MonitorAlertPrometheusRuleGroup,
  type MonitorAlertPrometheusRuleGroupRule,
} from '@cdktf/provider-azurerm/lib/monitor-alert-prometheus-rule-group';
import { MonitorDataCollectionEndpoint } from '@cdktf/provider-azurerm/lib/monitor-data-collection-endpoint';
import { MonitorDataCollectionRule } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule';
import { MonitorDataCollectionRuleAssociation } from '@cdktf/provider-azurerm/lib/monitor-data-collection-rule-association';
import { MonitorWorkspace } from '@cdktf/provider-azurerm/lib/monitor-workspace';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { ALERT_RULES, KUBERNETES_RECORDING_RULES, NODE_RECORDING_RULES, type RecordingRule, UX_RECORDING_RULES } from './prometheus-rules';
import { grantRole } from './role-assignment';
import type { ResourceGroup } from './resource-group';

/** Properties of {@link ManagedPrometheus}. */
export interface ManagedPrometheusProps {
  readonly resourceGroup: ResourceGroup;
  /** Azure Monitor workspace name. */
  readonly workspaceName: string;
  /** Data collection endpoint name. */
  readonly endpointName: string;
  /** Data collection rule name. */
  readonly ruleName: string;
  /** Prefix of the rule group names. */
  readonly ruleGroupPrefix: string;
  /** The cluster (its `monitor_metrics` add-on must be on). */
  readonly clusterId: string;
  readonly clusterName: string;
  /** Where the Prometheus alerts go. */
  readonly actionGroupId: string;
  /**
   * Azure Managed Grafana on the workspace, with Grafana Admin for these Entra ID groups.
   * @default no Grafana
   */
  readonly grafana?: { readonly name: string; readonly adminGroupObjectIds: ReadonlyArray<string> };
}

/** The stream the metrics add-on (ama-metrics) sends. */
const PROMETHEUS_STREAM = 'Microsoft-PrometheusMetrics';
/**
 * The Grafana major version; azurerm 4.55.0 accepts "10" and "11" (11 added by
 * hashicorp/terraform-provider-azurerm#29115; 12 only in later releases, #31653).
 */
export const GRAFANA_MAJOR_VERSION = '11';

/**
 * Azure Monitor managed service for Prometheus: an Azure Monitor workspace, the data collection
 * endpoint, rule and association that route the cluster's metrics add-on into it, the recommended
 * recording rules (and the portal's UX ones), and alert rules on what only Prometheus sees (HPA at its maximum, quota almost
 * full, OOM kills, nodes not ready, Deployments short of replicas). Optionally
 * Azure Managed Grafana reading the workspace.
 * @see https://learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-enable?tabs=terraform
 */
export class ManagedPrometheus extends Construct {
  public readonly workspaceId: string;
  /** Grafana's URL, when there is one. */
  public readonly grafanaEndpoint?: string;

  constructor(scope: Construct, id: string, props: ManagedPrometheusProps) {
    super(scope, id);
    const rg = props.resourceGroup;
    const where = { resourceGroupName: rg.resourceGroupName, location: rg.location };
    const workspace = new MonitorWorkspace(this, 'Workspace', { name: props.workspaceName, ...where });
    const endpoint = new MonitorDataCollectionEndpoint(this, 'Endpoint', { name: props.endpointName, kind: 'Linux', ...where });
    const rule = new MonitorDataCollectionRule(this, 'Rule', {
      name: props.ruleName,
      ...where,
      kind: 'Linux',
      dataCollectionEndpointId: endpoint.id,
      description: 'Managed Prometheus metrics of the cluster',
      destinations: { monitorAccount: [{ name: 'workspace', monitorAccountId: workspace.id }] },
      dataFlow: [{ streams: [PROMETHEUS_STREAM], destinations: ['workspace'] }],
      dataSources: { prometheusForwarder: [{ name: 'PrometheusDataSource', streams: [PROMETHEUS_STREAM] }] },
    });
    new MonitorDataCollectionRuleAssociation(this, 'RuleAssociation', {
      name: 'ama-metrics',
      targetResourceId: props.clusterId,
      dataCollectionRuleId: rule.id,
    });
    // The agent reads its configuration through the endpoint; Azure fixes this association's name.
    new MonitorDataCollectionRuleAssociation(this, 'EndpointAssociation', {
      name: 'configurationAccessEndpoint',
      targetResourceId: props.clusterId,
      dataCollectionEndpointId: endpoint.id,
    });

    const group = (gid: string, name: string, rules: MonitorAlertPrometheusRuleGroupRule[]) =>
      new MonitorAlertPrometheusRuleGroup(this, gid, {
        name: `${props.ruleGroupPrefix}-${name}`,
        ...where,
        clusterName: props.clusterName,
        ruleGroupEnabled: true,
        interval: 'PT1M',
        scopes: [workspace.id, props.clusterId],
        rule: rules,
      });
    const recording = (rules: ReadonlyArray<RecordingRule>) =>
      rules.map((r) => ({ enabled: true, record: r.record, expression: r.expression, labels: r.labels }));
    group('NodeRecordingRules', 'node-recording', recording(NODE_RECORDING_RULES));
    group('KubernetesRecordingRules', 'kubernetes-recording', recording(KUBERNETES_RECORDING_RULES));
    // Without it the portal's Insights views of the cluster stay empty.
    group('UxRecordingRules', 'ux-recording', recording(UX_RECORDING_RULES));
    group(
      'Alerts',
      'alerts',
      ALERT_RULES.map((a) => ({
        enabled: true,
        alert: a.alert,
        expression: a.expression,
        for: a.for,
        severity: a.severity,
        annotations: { description: a.description },
        action: [{ actionGroupId: props.actionGroupId }],
        alertResolution: { autoResolved: true, timeToResolve: 'PT10M' },
      })),
    );
    this.workspaceId = workspace.id;

    if (props.grafana) {
      const grafana = new DashboardGrafana(this, 'Grafana', {
        name: props.grafana.name,
        ...where,
        grafanaMajorVersion: GRAFANA_MAJOR_VERSION,
        sku: 'Standard',
        // Entra ID sign-in only; no service-account API keys.
        apiKeyEnabled: false,
        identity: { type: 'SystemAssigned' },
        azureMonitorWorkspaceIntegrations: [{ resourceId: workspace.id }],
      });
      grantRole(this, 'GrafanaReadsMetrics', {
        role: 'Monitoring Data Reader',
        on: workspace.id,
        principal: { principalId: grafana.identity.principalId },
      });
      props.grafana.adminGroupObjectIds.forEach(
        (groupId) =>
          new RoleAssignment(this, `GrafanaAdmin-${groupId}`, {
            scope: grafana.id,
            roleDefinitionName: 'Grafana Admin',
            principalId: groupId,
            principalType: 'Group',
          }),
      );
      this.grafanaEndpoint = grafana.endpoint;
    }
  }
}
