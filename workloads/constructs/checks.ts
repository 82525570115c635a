import { parseImageVersion, type PercentOrCount } from '../../config';
import { canarySplit, type ReleaseStrategy, type Track } from './release-tracks';
import { selects } from './labels';

/*
 * Synth-time checks of a web app: each returns the problems it finds as sentences naming the field,
 * the value and what is allowed. The WebApp construct registers them as construct validations, so
 * `app.synth()` fails before anything is written.
 */

/** Image tags that cannot be rolled back to, are not tags at all, or carry a malformed digest. */
export function imageTagProblems(tracks: ReadonlyArray<Track>): string[] {
  return tracks.flatMap((t) => {
    const parsed = parseImageVersion(t.tag);
    return typeof parsed === 'string' ? [`track '${t.name}': ${parsed}`] : [];
  });
}

/**
 * A canary percentage that rounds to no pods tests nothing; one that takes all pods is not a canary.
 * An explicit 0% is allowed: it is how a canary is rolled back.
 */
export function canaryProblems(release: ReleaseStrategy, baseline: number): string[] {
  if (release.strategy !== 'canary' || release.canaryPercent === 0) return [];
  const split = canarySplit(baseline, release.canaryPercent);
  if (split.canary === 0)
    return [
      `canaryPercent ${release.canaryPercent}% of ${baseline} replicas gives the canary 0 pods; raise it to at least ${Math.ceil(50 / baseline)}%, or set 0 to roll the canary back`,
    ];
  if (split.stable === 0)
    return [
      `canaryPercent ${release.canaryPercent}% of ${baseline} replicas gives stable 0 pods; lower it, or promote the canary by making its tag the stable tag`,
    ];
  return [];
}

/** HPA bounds must leave room to scale and keep two pods for availability (a pinned, idle track is exempt). */
export function autoscalingProblems(tracks: ReadonlyArray<Track>): string[] {
  return tracks.flatMap((t) => {
    if (t.scale.owner !== 'autoscaler' || t.role === 'idle') return [];
    const a = t.scale.autoscaling;
    if (a.minReplicas > a.maxReplicas) return [`HPA of track '${t.name}': minReplicas (${a.minReplicas}) must be <= maxReplicas (${a.maxReplicas})`];
    if (a.minReplicas < 2) return [`HPA of track '${t.name}': minReplicas (${a.minReplicas}) must be >= 2`];
    return [];
  });
}

/** A budget that allows no disruption blocks every node drain (upgrades, autoscaler scale-down). */
export function disruptionBudgetProblems(maxUnavailable: PercentOrCount): string[] {
  const shown = 'percent' in maxUnavailable ? `${maxUnavailable.percent}%` : String(maxUnavailable.count);
  const blocks = ('percent' in maxUnavailable ? maxUnavailable.percent : maxUnavailable.count) === 0;
  return blocks ? [`PodDisruptionBudget maxUnavailable (${shown}) would block every node drain; allow at least 1 pod or 1%`] : [];
}

/** Total CPU and memory of the user pool at its maximum size. */
export interface PoolCapacity {
  readonly maxNodes: number;
  readonly cpuMillisPerNode: number;
  readonly memoryMiBPerNode: number;
  /** e.g. "user pool 'apps' (3 x Standard_D4ds_v5)" */
  readonly description: string;
}

/** The most pods the app can ask for must fit the pool at its maximum size. */
export function capacityProblems(
  tracks: ReadonlyArray<Track>,
  requests: { cpuMillis: number; memoryMiB: number },
  pool: PoolCapacity | undefined,
): string[] {
  if (!pool) return [];
  const pods = tracks.reduce((sum, t) => sum + (t.scale.owner === 'autoscaler' ? t.scale.autoscaling.maxReplicas : t.scale.replicas), 0);
  const perNodeByCpu = Math.floor(pool.cpuMillisPerNode / requests.cpuMillis);
  const perNodeByMemory = Math.floor(pool.memoryMiBPerNode / requests.memoryMiB);
  const fits = Math.min(perNodeByCpu, perNodeByMemory) * pool.maxNodes;
  if (pods <= fits) return [];
  return [
    `${pods} pods x (${requests.cpuMillis}m CPU, ${requests.memoryMiB}Mi memory) do not fit into ${pool.description}: ` +
      `at most ${fits} fit (${pool.cpuMillisPerNode}m CPU and ${pool.memoryMiBPerNode}Mi allocatable per node); raise maxCount, use a larger VM size, or lower replicas or requests`,
  ];
}

/** What a Service should select: the tracks it must send traffic to, and nothing else. */
export interface ServiceExpectation {
  readonly service: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly expectedTracks: ReadonlyArray<string>;
}

/** Each Service selects exactly the Deployments it is meant to: no empty selector, never the wrong colour. */
export function selectorProblems(
  services: ReadonlyArray<ServiceExpectation>,
  deployments: ReadonlyArray<{ track: string; podLabels: Readonly<Record<string, string>> }>,
): string[] {
  return services.flatMap((s) => {
    const matched = deployments
      .filter((d) => selects(s.selector, d.podLabels))
      .map((d) => d.track)
      .sort();
    const expected = [...s.expectedTracks].sort();
    if (matched.length === 0) return [`Service '${s.service}' selector ${JSON.stringify(s.selector)} matches no Deployment`];
    if (matched.join() !== expected.join())
      return [`Service '${s.service}' selects track(s) ${matched.join(', ')} but must select ${expected.join(', ')}`];
    return [];
  });
}
