import { UX_RECORDING_RULES } from '../../infra/constructs/prometheus-rules';
import { environment } from '../config/fixtures';
import { synthPlatform } from './synth';

type Json = ReturnType<typeof synthPlatform>['json'];
const groups = (json: Json): any[] => Object.values(json.resource.azurerm_monitor_alert_prometheus_rule_group ?? {});
const ref = (json: Json, type: string, attribute = 'id') => `\${${type}.${Object.keys(json.resource[type])[0]}.${attribute}}`;

/** The Linux UX group of the portal's Insights views, in the order the AKS Verified Module defines it. */
const UX_RECORDS = [
  'ux:pod_cpu_usage:sum_irate',
  'ux:controller_cpu_usage:sum_irate',
  'ux:pod_workingset_memory:sum',
  'ux:controller_workingset_memory:sum',
  'ux:pod_rss_memory:sum',
  'ux:controller_rss_memory:sum',
  'ux:pod_container_count:sum',
  'ux:controller_container_count:sum',
  'ux:pod_container_restarts:max',
  'ux:controller_container_restarts:max',
  'ux:pod_resource_limit:sum',
  'ux:controller_resource_limit:sum',
  'ux:controller_pod_phase_count:sum',
  'ux:cluster_pod_phase_count:sum',
  'ux:node_cpu_usage:sum_irate',
  'ux:node_memory_usage:sum',
  'ux:node_network_receive_drop_total:sum_irate',
  'ux:node_network_transmit_drop_total:sum_irate',
];

describe('UX recording rules of managed Prometheus', () => {
  it('are a rule group on the workspace and the cluster, every minute, when managedPrometheus.enabled', () => {
    const { json } = synthPlatform(environment('dev', { managedPrometheus: { enabled: true } }));
    const ux = groups(json).filter((g) => g.name === 'alert-photoview-dev-weu-prom-ux-recording');
    expect(ux).toHaveLength(1);
    expect(ux[0]).toMatchObject({
      cluster_name: ref(json, 'azurerm_kubernetes_cluster', 'name'),
      interval: 'PT1M',
      rule_group_enabled: true,
      scopes: [ref(json, 'azurerm_monitor_workspace'), ref(json, 'azurerm_kubernetes_cluster')],
    });
    expect(ux[0].rule.map((r: any) => r.record)).toEqual(UX_RECORDS);
    expect(ux[0].rule.every((r: any) => r.enabled === true && !('alert' in r))).toBe(true);
    expect(ux[0].rule.map((r: any) => r.expression)).toEqual(UX_RECORDING_RULES.map((r) => r.expression));
  });

  it('keep the verbatim PromQL (tabs and new lines) of the source, so a portal-made group plans no change', () => {
    const podCpu = UX_RECORDING_RULES.find((r) => r.record === 'ux:pod_cpu_usage:sum_irate')!;
    expect(podCpu.expression).toBe(
      '(sum by (namespace, pod, cluster, microsoft_resourceid) (\n\tirate(container_cpu_usage_seconds_total{container != "", pod != "", job = "cadvisor"}[5m])\n)) * on (pod, namespace, cluster, microsoft_resourceid) group_left (node, created_by_name, created_by_kind)\n(max by (node, created_by_name, created_by_kind, pod, namespace, cluster, microsoft_resourceid) (kube_pod_info{pod != "", job = "kube-state-metrics"}))',
    );
    // Each controller-level series sums its pod-level one, recorded earlier in the same group.
    const records = UX_RECORDING_RULES.map((r) => r.record);
    for (const [i, rule] of UX_RECORDING_RULES.entries()) {
      const used = records.filter((r) => rule.expression.includes(r));
      for (const r of used) expect(records.indexOf(r)).toBeLessThan(i);
    }
  });

  it('are absent without managed Prometheus', () => {
    const { json } = synthPlatform(environment('dev', { managedPrometheus: { enabled: false } }));
    expect(groups(json).filter((g) => g.name.endsWith('-ux-recording'))).toEqual([]);
  });
});
