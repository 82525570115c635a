/*
 * Release strategies as data: which Deployments ("tracks") exist, with which image tag and how many
 * pods, and which tracks each Service sends traffic to. Pure functions, so every strategy can be
 * tested as a change of config.
 */

/** How a new version reaches users. */
export type ReleaseStrategy =
  | { readonly strategy: 'rolling'; readonly tag: string }
  | {
      readonly strategy: 'blueGreen';
      /** Colour the main Service sends traffic to. */
      readonly active: 'blue' | 'green';
      readonly blueTag: string;
      readonly greenTag: string;
      /** Seconds the idle colour keeps its pods after `switchedAt`, so a rollback is instant. */
      readonly scaleDownDelaySeconds: number;
      /** When `active` last changed; unset means the idle colour is a running preview. */
      readonly switchedAt?: string;
    }
  | {
      readonly strategy: 'canary';
      readonly stableTag: string;
      readonly canaryTag: string;
      /** Share of pods, and so of requests, on the canary. */
      readonly canaryPercent: number;
    };

/** Bounds of a HorizontalPodAutoscaler. */
export interface ScalingBounds {
  readonly minReplicas: number;
  readonly maxReplicas: number;
}

/** One Deployment of the app. */
export interface Track {
  /** `main` for rolling releases, otherwise the colour or `stable`/`canary`. */
  readonly name: 'main' | 'blue' | 'green' | 'stable' | 'canary';
  readonly tag: string;
  /** Pods when not autoscaled. */
  readonly replicas: number;
  /** Present when the track is autoscaled; its Deployment then omits `replicas`. */
  readonly autoscaling?: ScalingBounds;
  /** Whether the main Service sends it traffic. */
  readonly live: boolean;
}

/** The tracks of a release, and the preview Service's track for blue/green. */
export interface ReleasePlan {
  readonly tracks: ReadonlyArray<Track>;
  readonly previewTrack?: Track['name'];
}

/** Splits `total` by a percentage, rounding the canary side to the nearest pod. */
export function canarySplit(total: number, percent: number): { canary: number; stable: number } {
  const canary = Math.round((total * percent) / 100);
  return { canary, stable: total - canary };
}

/** Whether the idle colour still keeps its pods at `now`. */
function idleColourRuns(release: Extract<ReleaseStrategy, { strategy: 'blueGreen' }>, now: Date): boolean {
  if (!release.switchedAt) return true;
  return now.getTime() < Date.parse(release.switchedAt) + release.scaleDownDelaySeconds * 1000;
}

/**
 * The Deployments a release strategy needs.
 * - rolling: one track with everything;
 * - blueGreen: both colours; the active one is live (and autoscaled, if configured); the idle one keeps
 *   `replicas` pods as a preview and rollback target until the scale-down delay after a switch has passed;
 * - canary: stable and canary both live, pods split by `canaryPercent`; only stable is autoscaled.
 */
export function planRelease(release: ReleaseStrategy, replicas: number, autoscaling: ScalingBounds | undefined, now: Date): ReleasePlan {
  switch (release.strategy) {
    case 'rolling':
      return { tracks: [{ name: 'main', tag: release.tag, replicas, autoscaling, live: true }] };
    case 'blueGreen': {
      const idle = release.active === 'blue' ? 'green' : 'blue';
      const tagOf = { blue: release.blueTag, green: release.greenTag };
      const idleReplicas = idleColourRuns(release, now) ? (autoscaling?.minReplicas ?? replicas) : 0;
      return {
        tracks: [
          { name: release.active, tag: tagOf[release.active], replicas, autoscaling, live: true },
          { name: idle, tag: tagOf[idle], replicas: idleReplicas, live: false },
        ],
        previewTrack: idle,
      };
    }
    case 'canary': {
      // The canary has a fixed pod count, a share of the baseline (replicas, or the HPA minimum); only
      // stable is autoscaled, so scaling out lowers the canary's share rather than raising it.
      const split = canarySplit(autoscaling?.minReplicas ?? replicas, release.canaryPercent);
      return {
        tracks: [
          { name: 'stable', tag: release.stableTag, replicas: split.stable, live: true,
            autoscaling: autoscaling && { minReplicas: Math.max(2, split.stable), maxReplicas: autoscaling.maxReplicas - split.canary } },
          { name: 'canary', tag: release.canaryTag, replicas: split.canary, live: true },
        ],
      };
    }
  }
}
