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

/** Pods a rolling update of `replicas` may add (Kubernetes rounds a percentage up) or take down (rounded down). */
function surgePods(replicas: number, maxSurge: PercentOrCount): number {
  return 'count' in maxSurge ? maxSurge.count : Math.ceil((replicas * maxSurge.percent) / 100);
}
function unavailablePods(replicas: number, maxUnavailable: PercentOrCount, maxSurge: PercentOrCount): number {
  const pods = 'count' in maxUnavailable ? maxUnavailable.count : Math.floor((replicas * maxUnavailable.percent) / 100);
  // When both round to 0, Kubernetes takes one pod down at a time (deployment util ResolveFenceposts).
  return pods === 0 && surgePods(replicas, maxSurge) === 0 ? 1 : pods;
}

/**
 * What photo-view can need at its peak, so the quota does not stop a legitimate rollout: per track (one
 * for rolling, both colours at full size for blue/green, stable and canary for canary), its HPA maximum
 * (or fixed replicas), plus, because every track may roll at once (a change to the pod template of all),
 * its rolling-update surge and its maxUnavailable: pods being replaced keep counting against `pods` until
 * they are gone (the quota's pod evaluator counts a terminating pod until its grace period ends,
 * kubernetes pkg/quota/v1/evaluator/core/pods.go), while the Deployment controller already creates their
 * replacements. Times the container requests and limits. Anything beyond (a runaway HPA target, a stray
 * Deployment) is refused. Pods of several steps still terminating at once can briefly exceed it: the
 * ReplicaSet controller then retries the create a few seconds later.
 */
export function namespaceQuota(env: EnvironmentConfig): NamespaceQuota {
  const { app } = env;
  const peak = app.autoscaling?.maxReplicas ?? app.replicas;
  const release = app.release;
  const tracks =
    release.strategy === 'blueGreen'
      ? [peak, peak]
      : release.strategy === 'canary'
        ? [peak, Math.ceil((peak * release.canaryPercent) / 100)]
        : [peak];
  const pods = tracks.reduce((sum, size) => sum + size + surgePods(size, app.maxSurge) + unavailablePods(size, app.maxUnavailable, app.maxSurge), 0);
  const r = app.resources;
  return {
    pods,
    requestsCpuMillis: pods * r.cpuRequestMillis,
    requestsMemoryMiB: pods * r.memoryRequestMiB,
    limitsCpuMillis: pods * r.cpuLimitMillis,
    limitsMemoryMiB: pods * r.memoryLimitMiB,
  };
}
