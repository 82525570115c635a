/** Optional AKS add-ons chosen per environment. */
export interface ClusterAddOns {
  /** Managed Prometheus metrics add-on (ama-metrics); needs the data collection rule association. */
  readonly managedPrometheus: boolean;
  /** Microsoft Defender for Containers sensor, reporting to this workspace. @default off */
  readonly defenderLogAnalyticsWorkspaceId?: string;
  /** AKS cost analysis (namespace/workload costs in Cost Management); Standard and Premium tiers only. */
  readonly costAnalysis: boolean;
  /**
   * Application routing add-on (managed NGINX ingress). `defaultNginxController` decides whether its
   * load balancer is `Internal` or `External`; `dnsZoneIds` are the Azure DNS zones it manages records in.
   * @default off
   */
  readonly webAppRouting?: { readonly defaultNginxController: 'Internal' | 'External'; readonly dnsZoneIds: ReadonlyArray<string> };
}

/**
 * The azurerm_kubernetes_cluster arguments of {@link ClusterAddOns}. An empty `monitor_metrics` block
 * turns the metrics add-on on; `cost_analysis_enabled` is rejected by AKS on the Free tier.
 * @see https://learn.microsoft.com/azure/azure-monitor/containers/kubernetes-monitoring-enable
 * @see https://learn.microsoft.com/azure/aks/cost-analysis
 * @see https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-enable
 * @see https://learn.microsoft.com/azure/aks/app-routing
 */
export function clusterAddOnArguments(addOns: ClusterAddOns) {
  return {
    monitorMetrics: addOns.managedPrometheus ? {} : undefined,
    microsoftDefender: addOns.defenderLogAnalyticsWorkspaceId ? { logAnalyticsWorkspaceId: addOns.defenderLogAnalyticsWorkspaceId } : undefined,
    costAnalysisEnabled: addOns.costAnalysis,
    // dns_zone_ids is required by the block; an empty list means no DNS management.
    webAppRouting: addOns.webAppRouting
      ? { defaultNginxController: addOns.webAppRouting.defaultNginxController, dnsZoneIds: [...addOns.webAppRouting.dnsZoneIds] }
      : undefined,
  };
}
