import type { EnvironmentConfig, PercentOrCount } from './schema';

/** The app namespace's ResourceQuota, derived from the app's scale and resources. */
export interface NamespaceQuota {
  /** Pods the namespace may run at once. */
  readonly pods: number;
  readonly requestsCpuMillis: number;
  readonly requestsMemoryMiB: number;
  readonly limitsCpuMillis: number;
  readonly limitsMemoryMiB: number;
}

function surgePods(replicas: number, maxSurge: PercentOrCount): number {
  return 'count' in maxSurge ? maxSurge.count : Math.ceil((replicas * maxSurge.percent) / 100);
}

/**
 * What photo-view can need at its peak, so the quota never blocks a legitimate rollout: the HPA
 * maximum (or the fixed replicas) per track, both colours at full size during a blue/green switch, the
 * canary's pods on top of stable, plus the rolling-update surge; times the container requests and
 * limits. Anything beyond that (a runaway HPA target, a stray Deployment) is refused.
 */
export function namespaceQuota(env: EnvironmentConfig): NamespaceQuota {
  const { app } = env;
  const peak = app.autoscaling?.maxReplicas ?? app.replicas;
  const release = app.release;
  const tracksAtPeak =
    release.strategy === 'blueGreen' ? 2 * peak : release.strategy === 'canary' ? peak + Math.ceil((peak * release.canaryPercent) / 100) : peak;
  const pods = tracksAtPeak + surgePods(peak, app.maxSurge);
  const r = app.resources;
  return {
    pods,
    requestsCpuMillis: pods * r.cpuRequestMillis,
    requestsMemoryMiB: pods * r.memoryRequestMiB,
    limitsCpuMillis: pods * r.cpuLimitMillis,
    limitsMemoryMiB: pods * r.memoryLimitMiB,
  };
}
