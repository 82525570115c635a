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
  /** Pods of one workload that are not ready. */
  readonly podsNotReady: AlertThreshold;
  /** Container restarts of one workload within the window. */
  readonly podRestarts: AlertThreshold;
  readonly autoscalerUnableToScale: AlertThreshold;
  /** Pods of one namespace in the Failed phase. */
  readonly failedPods: AlertThreshold;
}

interface MetricRule {
  readonly id: string;
  readonly description: string;
  readonly metricName: string;
  readonly limit: AlertThreshold;
}

/** A log alert over Container Insights tables: one alert per value of each split column. */
interface LogRule {
  readonly id: string;
  readonly description: string;
  readonly query: string;
  /** The column the query counts. */
  readonly measure: string;
  readonly splitBy: ReadonlyArray<string>;
  readonly limit: AlertThreshold;
  /** Consecutive failing evaluations before it fires, so a rollout's pending pods do not page. */
  readonly failingPeriods: number;
}

/** AKS platform metrics: collected for every cluster, no agent needed. */
const CLUSTER_METRICS = 'Microsoft.ContainerService/managedClusters';

/** The workload a pod belongs to: Deployments own pods through ReplicaSets named <deployment>-<hash>. */
const WORKLOAD = 'extend Workload = iff(ControllerKind == "ReplicaSet", replace_regex(ControllerName, @"-[a-z0-9]+$", ""), ControllerName)';

/** Container Insights' pod inventory (KubePodInventory: one row per container per pod, every minute). */
const POD_ALERT_QUERIES = {
  podsNotReady: [
    'KubePodInventory',
    '| where isnotempty(ControllerName)',
    `| ${WORKLOAD}`,
    '| summarize arg_max(TimeGenerated, PodStatus, ContainerStatus) by Namespace, Workload, Name, ContainerName',
    '| where PodStatus !in ("Running", "Succeeded") or ContainerStatus == "waiting"',
    '| summarize NotReadyPods = dcount(Name) by Namespace, Workload',
  ].join('\n'),
  podRestarts: [
    'KubePodInventory',
    '| where isnotempty(ControllerName)',
    `| ${WORKLOAD}`,
    // ContainerRestartCount is cumulative per container: its growth within the window is the restarts.
    '| summarize Restarts = max(ContainerRestartCount) - min(ContainerRestartCount) by Namespace, Workload, PodUid, ContainerName',
    '| summarize Restarts = sum(Restarts) by Namespace, Workload',
  ].join('\n'),
  failedPods: ['KubePodInventory', '| where PodStatus == "Failed"', '| summarize FailedPods = dcount(Name) by Namespace'].join('\n'),
};

const kebab = (id: string) => id.replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase());

/**
 * The action group and the alerts that matter for photo-view: node pressure and an autoscaler that
 * cannot add nodes (platform metrics), and per workload not-ready pods, restarting containers and
 * failed pods (log alerts on Container Insights' KubePodInventory). The Insights.Container/pods custom
 * metrics are not used: Azure stopped collecting them on 31 May 2024.
 * @see https://learn.microsoft.com/azure/aks/monitor-aks-reference#metrics
 * @see https://learn.microsoft.com/azure/azure-monitor/containers/container-insights-custom-metrics
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

    const metricRules: MetricRule[] = [
      { id: 'NodeCpu', description: 'Node CPU usage is high', metricName: 'node_cpu_usage_percentage', limit: props.nodeCpuPercent },
      {
        id: 'NodeMemory',
        description: 'Node memory working set is high',
        metricName: 'node_memory_working_set_percentage',
        limit: props.nodeMemoryPercent,
      },
      {
        id: 'AutoscalerUnschedulable',
        description: 'Cluster autoscaler cannot schedule pending pods (unable to scale up)',
        metricName: 'cluster_autoscaler_unschedulable_pods_count',
        limit: props.autoscalerUnableToScale,
      },
    ];
    for (const rule of metricRules) {
      new MonitorMetricAlert(this, rule.id, {
        name: `${props.namePrefix}-${kebab(rule.id)}`,
        resourceGroupName: props.resourceGroup.resourceGroupName,
        scopes: [props.clusterId],
        description: rule.description,
        severity: rule.limit.severity,
        frequency: 'PT1M',
        windowSize: 'PT5M',
        criteria: [
          {
            metricNamespace: CLUSTER_METRICS,
            metricName: rule.metricName,
            aggregation: 'Average',
            operator: 'GreaterThanOrEqual',
            threshold: rule.limit.threshold,
          },
        ],
        action: [{ actionGroupId: group.id }],
      });
    }

    const logRules: LogRule[] = [
      {
        id: 'PodsNotReady',
        description: 'Pods of a workload are not ready (pending, failed, or a container waiting, e.g. CrashLoopBackOff or ImagePullBackOff)',
        query: POD_ALERT_QUERIES.podsNotReady,
        measure: 'NotReadyPods',
        splitBy: ['Namespace', 'Workload'],
        limit: props.podsNotReady,
        failingPeriods: 2,
      },
      {
        id: 'PodRestarts',
        description: 'Containers of a workload are restarting',
        query: POD_ALERT_QUERIES.podRestarts,
        measure: 'Restarts',
        splitBy: ['Namespace', 'Workload'],
        limit: props.podRestarts,
        failingPeriods: 1,
      },
      {
        id: 'FailedPods',
        description: 'Pods in the Failed phase (Container Insights inventory)',
        query: POD_ALERT_QUERIES.failedPods,
        measure: 'FailedPods',
        splitBy: ['Namespace'],
        limit: props.failedPods,
        failingPeriods: 1,
      },
    ];
    for (const rule of logRules) {
      new MonitorScheduledQueryRulesAlertV2(this, rule.id, {
        name: `${props.namePrefix}-${kebab(rule.id)}`,
        resourceGroupName: props.resourceGroup.resourceGroupName,
        location: props.resourceGroup.location,
        description: rule.description,
        scopes: [props.logAnalyticsWorkspaceId],
        severity: rule.limit.severity,
        evaluationFrequency: 'PT5M',
        windowDuration: 'PT15M',
        // Resolves the alert once the condition clears, instead of leaving it fired.
        autoMitigationEnabled: true,
        criteria: [
          {
            query: rule.query,
            timeAggregationMethod: 'Maximum',
            metricMeasureColumn: rule.measure,
            operator: 'GreaterThanOrEqual',
            threshold: rule.limit.threshold,
            dimension: rule.splitBy.map((name) => ({ name, operator: 'Include', values: ['*'] })),
            failingPeriods: { minimumFailingPeriodsToTriggerAlert: rule.failingPeriods, numberOfEvaluationPeriods: rule.failingPeriods },
          },
        ],
        action: { actionGroups: [group.id] },
      });
    }
  }
}
