/*
 * The recording rules AKS enables with managed Prometheus (the "Node" and "Kubernetes" recording rule
 * groups of the onboarding templates, from the kubernetes-mixin), and alert rules on what only
 * Prometheus sees. Recorded series feed the Azure Monitor and Grafana dashboards.
 * @see https://learn.microsoft.com/azure/azure-monitor/containers/prometheus-metrics-scrape-default#recording-rules
 * @see https://github.com/Azure/prometheus-collector/blob/main/AddonTerraformTemplate/main.tf
 */

/** One recording rule: the series it records and the PromQL that computes it. */
export interface RecordingRule {
  readonly record: string;
  readonly expression: string;
  readonly labels?: Readonly<Record<string, string>>;
}

const NODE = 'job="node"';
const KSM = 'job="kube-state-metrics"';
const ACTIVE = 'max by (namespace, pod, cluster) ((kube_pod_status_phase{phase=~"Pending|Running"} == 1))';
const NODE_OF_POD = 'on (namespace, pod) group_left(node) topk by (namespace, pod) (1, max by (namespace, pod, node) (kube_pod_info{node!=""}))';

export const NODE_RECORDING_RULES: ReadonlyArray<RecordingRule> = [
  { record: 'instance:node_num_cpu:sum', expression: `count without (cpu, mode) (node_cpu_seconds_total{${NODE},mode="idle"})` },
  {
    record: 'instance:node_cpu_utilisation:rate5m',
    expression: `1 - avg without (cpu) (sum without (mode) (rate(node_cpu_seconds_total{${NODE}, mode=~"idle|iowait|steal"}[5m])))`,
  },
  { record: 'instance:node_load1_per_cpu:ratio', expression: `(node_load1{${NODE}} / instance:node_num_cpu:sum{${NODE}})` },
  {
    record: 'instance:node_memory_utilisation:ratio',
    expression: `1 - ((node_memory_MemAvailable_bytes{${NODE}} or (node_memory_Buffers_bytes{${NODE}} + node_memory_Cached_bytes{${NODE}} + node_memory_MemFree_bytes{${NODE}} + node_memory_Slab_bytes{${NODE}})) / node_memory_MemTotal_bytes{${NODE}})`,
  },
  { record: 'instance:node_vmstat_pgmajfault:rate5m', expression: `rate(node_vmstat_pgmajfault{${NODE}}[5m])` },
  { record: 'instance_device:node_disk_io_time_seconds:rate5m', expression: `rate(node_disk_io_time_seconds_total{${NODE}, device!=""}[5m])` },
  {
    record: 'instance_device:node_disk_io_time_weighted_seconds:rate5m',
    expression: `rate(node_disk_io_time_weighted_seconds_total{${NODE}, device!=""}[5m])`,
  },
  ...(['receive_bytes', 'transmit_bytes', 'receive_drop', 'transmit_drop'] as const).map((m) => ({
    record: `instance:node_network_${m}_excluding_lo:rate5m`,
    expression: `sum without (device) (rate(node_network_${m}_total{${NODE}, device!="lo"}[5m]))`,
  })),
];

const perPod = (metric: string) => ({
  record: `node_namespace_pod_container:${metric}`,
  expression: `${metric}{job="cadvisor", image!=""} * ${NODE_OF_POD}`,
});
const resourceRules = (kind: 'requests' | 'limits', resource: 'cpu' | 'memory'): RecordingRule[] => [
  {
    record: `cluster:namespace:pod_${resource}:active:kube_pod_container_resource_${kind}`,
    expression: `kube_pod_container_resource_${kind}{resource="${resource}",${KSM}} * on (namespace, pod, cluster) group_left() ${ACTIVE}`,
  },
  {
    record: `namespace_${resource}:kube_pod_container_resource_${kind}:sum`,
    expression: `sum by (namespace, cluster) (sum by (namespace, pod, cluster) (max by (namespace, pod, container, cluster) (kube_pod_container_resource_${kind}{resource="${resource}",${KSM}}) * on (namespace, pod, cluster) group_left() ${ACTIVE}))`,
  },
];
const owner = (kind: string, workloadType: string, viaReplicaSet = false): RecordingRule => ({
  record: 'namespace_workload_pod:kube_pod_owner:relabel',
  expression: viaReplicaSet
    ? `max by (cluster, namespace, workload, pod) (label_replace(label_replace(kube_pod_owner{${KSM}, owner_kind="ReplicaSet"}, "replicaset", "$1", "owner_name", "(.*)") * on (replicaset, namespace) group_left(owner_name) topk by (replicaset, namespace) (1, max by (replicaset, namespace, owner_name) (kube_replicaset_owner{${KSM}})), "workload", "$1", "owner_name", "(.*)"))`
    : `max by (cluster, namespace, workload, pod) (label_replace(kube_pod_owner{${KSM}, owner_kind="${kind}"}, "workload", "$1", "owner_name", "(.*)"))`,
  labels: { workload_type: workloadType },
});

export const KUBERNETES_RECORDING_RULES: ReadonlyArray<RecordingRule> = [
  {
    record: 'node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate',
    expression: `sum by (cluster, namespace, pod, container) (irate(container_cpu_usage_seconds_total{job="cadvisor", image!=""}[5m])) * on (cluster, namespace, pod) group_left(node) topk by (cluster, namespace, pod) (1, max by (cluster, namespace, pod, node) (kube_pod_info{node!=""}))`,
  },
  ...['container_memory_working_set_bytes', 'container_memory_rss', 'container_memory_cache', 'container_memory_swap'].map(perPod),
  ...resourceRules('requests', 'memory'),
  ...resourceRules('requests', 'cpu'),
  ...resourceRules('limits', 'memory'),
  ...resourceRules('limits', 'cpu'),
  owner('ReplicaSet', 'deployment', true),
  owner('DaemonSet', 'daemonset'),
  owner('StatefulSet', 'statefulset'),
  owner('Job', 'job'),
  {
    record: ':node_memory_MemAvailable_bytes:sum',
    expression: `sum(node_memory_MemAvailable_bytes{${NODE}} or (node_memory_Buffers_bytes{${NODE}} + node_memory_Cached_bytes{${NODE}} + node_memory_MemFree_bytes{${NODE}} + node_memory_Slab_bytes{${NODE}})) by (cluster)`,
  },
  {
    record: 'cluster:node_cpu:ratio_rate5m',
    expression: `sum(rate(node_cpu_seconds_total{${NODE},mode!="idle",mode!="iowait",mode!="steal"}[5m])) by (cluster) / count(sum(node_cpu_seconds_total{${NODE}}) by (cluster, instance, cpu)) by (cluster)`,
  },
];

/**
 * The "UX" recording rules behind the portal's Insights views of the cluster (Monitor > Containers),
 * as the portal creates them with managed Prometheus; copied verbatim (whitespace included, so a plan
 * matches a portal-made group) from the Linux "UXRecordingRulesRuleGroup" of the Azure Verified Module
 * Azure/terraform-azurerm-avm-ptn-aks-production, monitoring.prometheus.rules.tf at commit
 * 5f6b1b27ce81228d97825711b0f0d92921ac10b8 (the same rules as Azure/prometheus-collector
 * AddonBicepTemplate/FullAzureMonitorMetricsProfile.bicep). The Windows group is left out: every node pool
 * here is Linux.
 */
export const UX_RECORDING_RULES: ReadonlyArray<RecordingRule> = [
  {
    record: 'ux:pod_cpu_usage:sum_irate',
    expression:
      '(sum by (namespace, pod, cluster, microsoft_resourceid) (\n\tirate(container_cpu_usage_seconds_total{container != "", pod != "", job = "cadvisor"}[5m])\n)) * on (pod, namespace, cluster, microsoft_resourceid) group_left (node, created_by_name, created_by_kind)\n(max by (node, created_by_name, created_by_kind, pod, namespace, cluster, microsoft_resourceid) (kube_pod_info{pod != "", job = "kube-state-metrics"}))',
  },
  {
    record: 'ux:controller_cpu_usage:sum_irate',
    expression: 'sum by (namespace, node, cluster, created_by_name, created_by_kind, microsoft_resourceid) (\nux:pod_cpu_usage:sum_irate\n)\n',
  },
  {
    record: 'ux:pod_workingset_memory:sum',
    expression:
      '(\n\t    sum by (namespace, pod, cluster, microsoft_resourceid) (\n\t\tcontainer_memory_working_set_bytes{container != "", pod != "", job = "cadvisor"}\n\t    )\n\t) * on (pod, namespace, cluster, microsoft_resourceid) group_left (node, created_by_name, created_by_kind)\n(max by (node, created_by_name, created_by_kind, pod, namespace, cluster, microsoft_resourceid) (kube_pod_info{pod != "", job = "kube-state-metrics"}))',
  },
  {
    record: 'ux:controller_workingset_memory:sum',
    expression: 'sum by (namespace, node, cluster, created_by_name, created_by_kind, microsoft_resourceid) (\nux:pod_workingset_memory:sum\n)',
  },
  {
    record: 'ux:pod_rss_memory:sum',
    expression:
      '(\n\t    sum by (namespace, pod, cluster, microsoft_resourceid) (\n\t\tcontainer_memory_rss{container != "", pod != "", job = "cadvisor"}\n\t    )\n\t) * on (pod, namespace, cluster, microsoft_resourceid) group_left (node, created_by_name, created_by_kind)\n(max by (node, created_by_name, created_by_kind, pod, namespace, cluster, microsoft_resourceid) (kube_pod_info{pod != "", job = "kube-state-metrics"}))',
  },
  {
    record: 'ux:controller_rss_memory:sum',
    expression: 'sum by (namespace, node, cluster, created_by_name, created_by_kind, microsoft_resourceid) (\nux:pod_rss_memory:sum\n)',
  },
  {
    record: 'ux:pod_container_count:sum',
    expression:
      'sum by (node, created_by_name, created_by_kind, namespace, cluster, pod, microsoft_resourceid) (\n(\n(\nsum by (container, pod, namespace, cluster, microsoft_resourceid) (kube_pod_container_info{container != "", pod != "", container_id != "", job = "kube-state-metrics"})\nor sum by (container, pod, namespace, cluster, microsoft_resourceid) (kube_pod_init_container_info{container != "", pod != "", container_id != "", job = "kube-state-metrics"})\n)\n* on (pod, namespace, cluster, microsoft_resourceid) group_left (node, created_by_name, created_by_kind)\n(\nmax by (node, created_by_name, created_by_kind, pod, namespace, cluster, microsoft_resourceid) (\n\tkube_pod_info{pod != "", job = "kube-state-metrics"}\n)\n)\n)\n\n)',
  },
  {
    record: 'ux:controller_container_count:sum',
    expression: 'sum by (node, created_by_name, created_by_kind, namespace, cluster, microsoft_resourceid) (\nux:pod_container_count:sum\n)',
  },
  {
    record: 'ux:pod_container_restarts:max',
    expression:
      'max by (node, created_by_name, created_by_kind, namespace, cluster, pod, microsoft_resourceid) (\n(\n(\nmax by (container, pod, namespace, cluster, microsoft_resourceid) (kube_pod_container_status_restarts_total{container != "", pod != "", job = "kube-state-metrics"})\nor sum by (container, pod, namespace, cluster, microsoft_resourceid) (kube_pod_init_status_restarts_total{container != "", pod != "", job = "kube-state-metrics"})\n)\n* on (pod, namespace, cluster, microsoft_resourceid) group_left (node, created_by_name, created_by_kind)\n(\nmax by (node, created_by_name, created_by_kind, pod, namespace, cluster, microsoft_resourceid) (\n\tkube_pod_info{pod != "", job = "kube-state-metrics"}\n)\n)\n)\n\n)',
  },
  {
    record: 'ux:controller_container_restarts:max',
    expression: 'max by (node, created_by_name, created_by_kind, namespace, cluster, microsoft_resourceid) (\nux:pod_container_restarts:max\n)',
  },
  {
    record: 'ux:pod_resource_limit:sum',
    expression:
      '(sum by (cluster, pod, namespace, resource, microsoft_resourceid) (\n(\n\tmax by (cluster, microsoft_resourceid, pod, container, namespace, resource)\n\t (kube_pod_container_resource_limits{container != "", pod != "", job = "kube-state-metrics"})\n)\n)unless (count by (pod, namespace, cluster, resource, microsoft_resourceid)\n\t(kube_pod_container_resource_limits{container != "", pod != "", job = "kube-state-metrics"})\n!= on (pod, namespace, cluster, microsoft_resourceid) group_left()\n sum by (pod, namespace, cluster, microsoft_resourceid)\n (kube_pod_container_info{container != "", pod != "", job = "kube-state-metrics"}) \n)\n\n)* on (namespace, pod, cluster, microsoft_resourceid) group_left (node, created_by_kind, created_by_name)\n(\n\tkube_pod_info{pod != "", job = "kube-state-metrics"}\n)',
  },
  {
    record: 'ux:controller_resource_limit:sum',
    expression: 'sum by (cluster, namespace, created_by_name, created_by_kind, node, resource, microsoft_resourceid) (\nux:pod_resource_limit:sum\n)',
  },
  {
    record: 'ux:controller_pod_phase_count:sum',
    expression:
      'sum by (cluster, phase, node, created_by_kind, created_by_name, namespace, microsoft_resourceid) ( (\n(kube_pod_status_phase{job="kube-state-metrics",pod!=""})\n or (label_replace((count(kube_pod_deletion_timestamp{job="kube-state-metrics",pod!=""}) by (namespace, pod, cluster, microsoft_resourceid) * count(kube_pod_status_reason{reason="NodeLost", job="kube-state-metrics"} == 0) by (namespace, pod, cluster, microsoft_resourceid)), "phase", "terminating", "", ""))) * on (pod, namespace, cluster, microsoft_resourceid) group_left (node, created_by_name, created_by_kind)\n(\nmax by (node, created_by_name, created_by_kind, pod, namespace, cluster, microsoft_resourceid) (\nkube_pod_info{job="kube-state-metrics",pod!=""}\n)\n)\n)',
  },
  {
    record: 'ux:cluster_pod_phase_count:sum',
    expression: 'sum by (cluster, phase, node, namespace, microsoft_resourceid) (\nux:controller_pod_phase_count:sum\n)',
  },
  {
    record: 'ux:node_cpu_usage:sum_irate',
    expression: 'sum by (instance, cluster, microsoft_resourceid) (\n(1 - irate(node_cpu_seconds_total{job="node", mode="idle"}[5m]))\n)',
  },
  {
    record: 'ux:node_memory_usage:sum',
    expression:
      'sum by (instance, cluster, microsoft_resourceid) ((\nnode_memory_MemTotal_bytes{job = "node"}\n- node_memory_MemFree_bytes{job = "node"} \n- node_memory_cached_bytes{job = "node"}\n- node_memory_buffers_bytes{job = "node"}\n))',
  },
  {
    record: 'ux:node_network_receive_drop_total:sum_irate',
    expression: 'sum by (instance, cluster, microsoft_resourceid) (irate(node_network_receive_drop_total{job="node", device!="lo"}[5m]))',
  },
  {
    record: 'ux:node_network_transmit_drop_total:sum_irate',
    expression: 'sum by (instance, cluster, microsoft_resourceid) (irate(node_network_transmit_drop_total{job="node", device!="lo"}[5m]))',
  },
];

/** One alert rule: PromQL that returns series while the condition holds for `for`. */
export interface AlertRule {
  readonly alert: string;
  readonly expression: string;
  /** ISO 8601 duration the condition must hold. */
  readonly for: string;
  /** 0 = critical ... 4 = verbose. */
  readonly severity: number;
  readonly description: string;
}

/**
 * Alerts only Prometheus series can raise; node CPU and memory, pods not ready, restarts and failed
 * pods are already alerted on by ClusterAlerts (platform metrics and Container Insights), so they are
 * not repeated here (one condition, one page). From AKS's recommended Prometheus alert rules, whose
 * metrics the add-on's minimal ingestion profile keeps.
 * @see https://learn.microsoft.com/azure/azure-monitor/containers/prometheus-metrics-scrape-configuration-minimal
 */
export const ALERT_RULES: ReadonlyArray<AlertRule> = [
  {
    alert: 'KubeHpaMaxedOut',
    expression: `kube_horizontalpodautoscaler_status_current_replicas{${KSM}} == kube_horizontalpodautoscaler_spec_max_replicas{${KSM}}`,
    for: 'PT15M',
    severity: 3,
    description:
      'HPA {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has run at its maximum replicas for 15 minutes: raise app.autoscaling.maxReplicas (and the quota follows).',
  },
  {
    alert: 'KubeQuotaAlmostFull',
    expression: `kube_resourcequota{${KSM}, type="used"} / ignoring(instance, job, type) (kube_resourcequota{${KSM}, type="hard"} > 0) > 0.9`,
    for: 'PT15M',
    severity: 3,
    description: 'Namespace {{ $labels.namespace }} uses more than 90% of its {{ $labels.resource }} quota.',
  },
  {
    alert: 'KubeContainerOOMKilled',
    expression: `(kube_pod_container_status_restarts_total{${KSM}} - kube_pod_container_status_restarts_total{${KSM}} offset 10m >= 1) and ignoring (reason) min_over_time(kube_pod_container_status_last_terminated_reason{${KSM}, reason="OOMKilled"}[10m]) == 1`,
    for: 'PT0M',
    severity: 3,
    description: 'Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} was OOM-killed: its memory limit is too low.',
  },
  {
    alert: 'KubeNodeNotReady',
    expression: `kube_node_status_condition{${KSM}, condition="Ready", status="true"} == 0`,
    for: 'PT15M',
    severity: 2,
    description: 'Node {{ $labels.node }} has not been Ready for 15 minutes.',
  },
  {
    alert: 'KubeDeploymentReplicasMismatch',
    expression: `(kube_deployment_spec_replicas{${KSM}} > kube_deployment_status_replicas_available{${KSM}}) and (changes(kube_deployment_status_replicas_updated{${KSM}}[10m]) == 0)`,
    for: 'PT15M',
    severity: 3,
    description: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has had fewer available replicas than wanted for 15 minutes.',
  },
];
