import { Construct } from 'constructs';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { MonitorMetricAlert } from '@cdktf/provider-azurerm/lib/monitor-metric-alert';
import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import type { ResourceGroup } from './resource-group';

/** A threshold and how loud the alert is (0 = critical ... 4 = verbose). */
export interface AlertThreshold {
  readonly threshold: number;
  readonly severity: number;
}

/** Properties of {@link ClusterAlerts}. */
export interface ClusterAlertsProps {
  readonly resourceGroup: ResourceGroup;
  /** Prefix of every alert rule name. */
  readonly namePrefix: string;
  readonly actionGroupName: string;
  /** Up to 12 characters, shown in SMS and e-mail subjects. */
  readonly actionGroupShortName: string;
  readonly emailReceivers: ReadonlyArray<{ readonly name: string; readonly email: string }>;
  readonly clusterId: string;
  readonly logAnalyticsWorkspaceId: string;
  readonly nodeCpuPercent: AlertThreshold;
  readonly nodeMemoryPercent: AlertThreshold;
  readonly podsNotReady: AlertThreshold;
  readonly podRestarts: AlertThreshold;
  readonly autoscalerUnableToScale: AlertThreshold;
  readonly failedPods: AlertThreshold;
}

interface MetricRule {
  readonly id: string;
  readonly description: string;
  readonly metricNamespace: string;
  readonly metricName: string;
  readonly aggregation: string;
  readonly limit: AlertThreshold;
  readonly dimension?: { readonly name: string; readonly values: string[] };
  /** Container Insights custom metrics only exist once the agent has sent them. */
  readonly custom?: boolean;
}

const CLUSTER_METRICS = 'Microsoft.ContainerService/managedClusters';

/**
 * The action group and the alerts that matter for photo-view: node pressure, unhealthy pods, an
 * autoscaler that cannot add nodes, and failed pods (log query).
 * @see https://learn.microsoft.com/azure/aks/monitor-aks-reference#metrics
 */
export class ClusterAlerts extends Construct {
  public readonly actionGroupId: string;

  constructor(scope: Construct, id: string, props: ClusterAlertsProps) {
    super(scope, id);
    const group = new MonitorActionGroup(this, 'ActionGroup', {
      name: props.actionGroupName,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      shortName: props.actionGroupShortName,
      location: 'global',
      emailReceiver: props.emailReceivers.map((r) => ({ name: r.name, emailAddress: r.email, useCommonAlertSchema: true })),
    });
    this.actionGroupId = group.id;

    const rules: MetricRule[] = [
      { id: 'NodeCpu', description: 'Node CPU usage is high', metricNamespace: CLUSTER_METRICS, metricName: 'node_cpu_usage_percentage', aggregation: 'Average', limit: props.nodeCpuPercent },
      { id: 'NodeMemory', description: 'Node memory working set is high', metricNamespace: CLUSTER_METRICS, metricName: 'node_memory_working_set_percentage', aggregation: 'Average', limit: props.nodeMemoryPercent },
      { id: 'PodsNotReady', description: 'Pods are not ready', metricNamespace: CLUSTER_METRICS, metricName: 'kube_pod_status_ready', aggregation: 'Average', limit: props.podsNotReady, dimension: { name: 'condition', values: ['false'] } },
      { id: 'PodRestarts', description: 'Containers are restarting', metricNamespace: 'Insights.Container/pods', metricName: 'restartingContainerCount', aggregation: 'Average', limit: props.podRestarts, custom: true },
      { id: 'AutoscalerUnschedulable', description: 'Cluster autoscaler cannot schedule pending pods (unable to scale up)', metricNamespace: CLUSTER_METRICS, metricName: 'cluster_autoscaler_unschedulable_pods_count', aggregation: 'Average', limit: props.autoscalerUnableToScale },
    ];
    for (const rule of rules) {
      new MonitorMetricAlert(this, rule.id, {
        name: `${props.namePrefix}-${rule.id.replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase())}`,
        resourceGroupName: props.resourceGroup.resourceGroupName,
        scopes: [props.clusterId],
        description: rule.description,
        severity: rule.limit.severity,
        frequency: 'PT1M',
        windowSize: 'PT5M',
        criteria: [{
          metricNamespace: rule.metricNamespace,
          metricName: rule.metricName,
          aggregation: rule.aggregation,
          operator: 'GreaterThanOrEqual',
          threshold: rule.limit.threshold,
          skipMetricValidation: rule.custom,
          dimension: rule.dimension ? [{ name: rule.dimension.name, operator: 'Include', values: rule.dimension.values }] : undefined,
        }],
        action: [{ actionGroupId: group.id }],
      });
    }

    new MonitorScheduledQueryRulesAlertV2(this, 'FailedPods', {
      name: `${props.namePrefix}-failed-pods`,
      resourceGroupName: props.resourceGroup.resourceGroupName,
      location: props.resourceGroup.location,
      description: 'Pods in the Failed phase (Container Insights inventory)',
      scopes: [props.logAnalyticsWorkspaceId],
      severity: props.failedPods.severity,
      evaluationFrequency: 'PT5M',
      windowDuration: 'PT15M',
      criteria: [{
        query: 'KubePodInventory\n| where PodStatus == "Failed"\n| summarize FailedPods = dcount(Name) by Namespace',
        timeAggregationMethod: 'Maximum',
        metricMeasureColumn: 'FailedPods',
        operator: 'GreaterThanOrEqual',
        threshold: props.failedPods.threshold,
        dimension: [{ name: 'Namespace', operator: 'Include', values: ['*'] }],
        failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 1 },
      }],
      action: { actionGroups: [group.id] },
    });
  }
}
