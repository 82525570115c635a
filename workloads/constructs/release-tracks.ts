/*
 * Release strategies as data: which Deployments ("tracks") exist, with which image, who owns their
 * pod count, and whether the Service sends them traffic. Pure functions of the config (no clock), so
 * every release step can be tested as a change of config.
 */

/** How a new version reaches users. Tags may be pinned by digest (`1.4.2@sha256:...`). */
export type ReleaseStrategy =
  | { readonly strategy: 'rolling'; readonly tag: string }
  | {
      readonly strategy: 'blueGreen';
      /** Colour the main Service sends traffic to. */
      readonly active: 'blue' | 'green';
      readonly blueTag: string;
      readonly greenTag: string;
      /** Pods the idle colour keeps: the preview and instant-rollback target. */
      readonly idleReplicas: number;
    }
  | {
      readonly strategy: 'canary';
      readonly stableTag: string;
      readonly canaryTag: string;
      /** Share of pods, and so of requests, on the canary. */
      readonly canaryPercent: number;
    };

/** HorizontalPodAutoscaler bounds and targets. */
export interface Autoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly cpuUtilizationPercent: number;
  readonly memoryUtilizationPercent?: number;
}

/**
 * Who owns a Deployment's pod count. A Deployment keeps the same owner across every release step:
 * `spec.replicas` appearing on a Deployment an HPA has scaled conflicts with the HPA under server-side
 * apply, and disappearing resets it to 1 pod.
 */
export type Scale =
  /** The manifest sets `spec.replicas`. */
  | { readonly owner: 'manifest'; readonly replicas: number }
  /** An HPA sets it; the manifest never does. A pinned HPA (min = max) holds an idle track. */
  | { readonly owner: 'autoscaler'; readonly autoscaling: Autoscaling };

/** Whether the main Service sends a track traffic once this config is applied. */
export type TrafficRole = 'serving' | 'idle';

export type TrackName = 'main' | 'blue' | 'green' | 'stable' | 'canary';

/** One Deployment of the app. */
export interface Track {
  /** `main` for rolling releases, otherwise the colour or `stable`/`canary`. */
  readonly name: TrackName;
  /** Image tag, optionally `@sha256:` pinned. */
  readonly tag: string;
  readonly scale: Scale;
  readonly role: TrafficRole;
  /**
   * Ready pods a serving track must have before traffic moves on to it (its baseline: HPA minimum or
   * replicas); 0 for idle tracks.
   */
  readonly readyBeforeTraffic: number;
}

/** The tracks of a release and which track each Service selects. */
export interface ReleasePlan {
  readonly tracks: ReadonlyArray<Track>;
  /** The one track the main Service selects; undefined: it selects every track (rolling, canary). */
  readonly serviceTrack?: TrackName;
  /** Blue/green: the idle colour, reachable through the preview Service. */
  readonly previewTrack?: TrackName;
}

/** Splits `total` by a percentage, rounding the canary side to the nearest pod. */
export function canarySplit(total: number, percent: number): { canary: number; stable: number } {
  const canary = Math.round((total * percent) / 100);
  return { canary, stable: total - canary };
}

/** A track's pod count as owned: by the HPA when autoscaled (pinned to `pinned` if given), else by the manifest. */
function scaleOf(replicas: number, autoscaling: Autoscaling | undefined, pinned?: number): Scale {
  if (!autoscaling) return { owner: 'manifest', replicas: pinned ?? replicas };
  return { owner: 'autoscaler', autoscaling: pinned === undefined ? autoscaling : { ...autoscaling, minReplicas: pinned, maxReplicas: pinned } };
}

/** Pods a scale keeps at least. */
export const baselineOf = (scale: Scale) => (scale.owner === 'manifest' ? scale.replicas : scale.autoscaling.minReplicas);

function track(name: TrackName, tag: string, scale: Scale, role: TrafficRole): Track {
  return { name, tag, scale, role, readyBeforeTraffic: role === 'serving' ? baselineOf(scale) : 0 };
}

/**
 * The Deployments a release strategy needs.
 * - rolling: one track with everything;
 * - blueGreen: both colours, both with the same owner of their pod count. The active colour serves
 *   (autoscaled, if configured); the idle one is a preview and rollback target held at `idleReplicas`
 *   (by a pinned HPA when autoscaled, so a flip only changes HPA bounds, never who owns `replicas`);
 * - canary: stable and canary both serve, pods split by `canaryPercent`; only stable is autoscaled, the
 *   canary's count is always in its manifest (0 when rolled back, which makes it idle).
 */
export function planRelease(release: ReleaseStrategy, replicas: number, autoscaling: Autoscaling | undefined): ReleasePlan {
  switch (release.strategy) {
    case 'rolling':
      return { tracks: [track('main', release.tag, scaleOf(replicas, autoscaling), 'serving')] };
    case 'blueGreen': {
      const idle = release.active === 'blue' ? 'green' : 'blue';
      const tagOf = { blue: release.blueTag, green: release.greenTag };
      const roleOf = (colour: 'blue' | 'green'): TrafficRole => (colour === release.active ? 'serving' : 'idle');
      return {
        // Always blue then green, so an object's place in the output does not move on a flip.
        tracks: (['blue', 'green'] as const).map((colour) =>
          track(colour, tagOf[colour], scaleOf(replicas, autoscaling, colour === idle ? release.idleReplicas : undefined), roleOf(colour)),
        ),
        serviceTrack: release.active,
        previewTrack: idle,
      };
    }
    case 'canary': {
      // The canary has a fixed pod count, a share of the baseline (replicas, or the HPA minimum); only
      // stable is autoscaled, so scaling out lowers the canary's share rather than raising it.
      const split = canarySplit(autoscaling?.minReplicas ?? replicas, release.canaryPercent);
      const stableScale: Scale = autoscaling
        ? {
            owner: 'autoscaler',
            autoscaling: { ...autoscaling, minReplicas: Math.max(2, split.stable), maxReplicas: autoscaling.maxReplicas - split.canary },
          }
        : { owner: 'manifest', replicas: split.stable };
      return {
        tracks: [
          track('stable', release.stableTag, stableScale, 'serving'),
          track('canary', release.canaryTag, { owner: 'manifest', replicas: split.canary }, split.canary > 0 ? 'serving' : 'idle'),
        ],
      };
    }
  }
}
