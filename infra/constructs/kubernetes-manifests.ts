import { Construct } from 'constructs';
import type { Chart } from 'cdk8s';
import { Manifest, type ManifestWait } from '@cdktf/provider-kubernetes/lib/manifest';
import type { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import type { ITerraformDependable } from '../cdktf';
import { READY_BEFORE_TRAFFIC_ANNOTATION, TRAFFIC_ANNOTATION } from '../../workloads/charts/photo-view';

/** Properties of {@link KubernetesManifests}. */
export interface KubernetesManifestsProps {
  /** The cdk8s chart whose objects Terraform applies. Its checks run here too. */
  readonly chart: Chart;
  readonly provider: KubernetesProvider;
  /** How long to wait for each Deployment's rollout, and for traffic readiness, before the apply fails. */
  readonly rolloutTimeoutMinutes: number;
  /** What the pods need before they start, e.g. their identity's grants on the secrets they mount: every Deployment waits for it. */
  readonly podsDependOn?: ITerraformDependable[];
}

/** The fields of a chart object the apply order reads. */
interface ObjectJson {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly annotations?: Record<string, string> };
}

/**
 * Apply order by role, not just by kind. Each tier waits for every earlier one:
 * 0. the namespace; 1. configuration the pods read;
 * 2-4. tracks that serve traffic once applied: their HPA first (so a colour going live is scaled to its
 *      minimum), the Deployment (rolled out), then the PDB, which waits until enough pods are ready;
 * 5. the Services, which move traffic;
 * 6. tracks that lose (or never had) traffic: scaled down or re-pinned only after the Services moved away.
 */
const TIERS = { namespace: 0, configuration: 1, servingAutoscaler: 2, servingDeployment: 3, servingBudget: 4, services: 5, idle: 6 } as const;
type Tier = (typeof TIERS)[keyof typeof TIERS];

const TRACK_KINDS: Record<string, Tier> = {
  HorizontalPodAutoscaler: TIERS.servingAutoscaler,
  Deployment: TIERS.servingDeployment,
  PodDisruptionBudget: TIERS.servingBudget,
};

/** The tier of one object. */
export function applyTier(object: ObjectJson): Tier {
  if (object.kind === 'Namespace') return TIERS.namespace;
  if (object.kind === 'Service') return TIERS.services;
  const trackTier = TRACK_KINDS[object.kind];
  if (trackTier === undefined) return TIERS.configuration;
  return object.metadata.annotations?.[TRAFFIC_ANNOTATION] === 'idle' ? TIERS.idle : trackTier;
}

/**
 * Kinds whose removed objects are deleted only after the objects that depended on them were updated:
 * an old content-hashed ConfigMap outlives the rollout that stops reading it (a failed rollout keeps it,
 * so the old pods can still restart), and a Deployment removed by a strategy change keeps serving until
 * the Service has moved to its successor. Terraform orders the destroy of a `create_before_destroy`
 * resource after its dependents' updates; without it the destroy comes first. Not for other kinds: a
 * replacement of the same object (e.g. a new apiVersion) would apply, then delete, the one object.
 */
const DELETE_AFTER_DEPENDENTS = new Set(['ConfigMap', 'Deployment']);

/** An RE2 pattern matching the decimal integers >= n, for the provider's field waiter. */
export function atLeastPattern(n: number): string {
  const digits = String(n);
  const alternatives = [`[1-9]\\d{${digits.length},}`, digits];
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[i]);
    if (d === 9) continue;
    const rest = digits.length - i - 1;
    alternatives.push(`${digits.slice(0, i)}[${d + 1}-9]${rest > 0 ? `\\d{${rest}}` : ''}`);
  }
  return n === 0 ? '^\\d+$' : `^(${alternatives.join('|')})$`;
}

/** cdktf's encoding of a reference inside a string, e.g. `${TfToken[TOKEN.12]}`. */
const ENCODED_TOKEN = /(\$\{TfToken\[[^\]]+\]\})/;

/** Terraform reads `${` and `%{` in strings as templates; manifest text must stay literal. References are left alone. */
export function escapeTemplates(value: unknown): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{')) return value; // most strings: no template, no reference
    return value
      .split(ENCODED_TOKEN)
      .map((part, i) => (i % 2 === 1 ? part : part.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{')))
      .join('');
  }
  if (Array.isArray(value)) return value.map(escapeTemplates);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeTemplates(v)]));
  return value;
}

/** What `cdktf deploy` waits for after applying an object. */
function waitFor(object: ObjectJson, tier: Tier): ManifestWait | undefined {
  if (object.kind === 'Deployment') return { rollout: true };
  const readyPods = object.metadata.annotations?.[READY_BEFORE_TRAFFIC_ANNOTATION];
  // A serving track's PDB counts its ready pods; the Services wait for it (the HPA scales a colour
  // going live up to its minimum only after its bounds changed, which a rollout wait does not see).
  // On the Deployment itself this is not possible: with `rollout` set the provider ignores `fields`
  // (terraform-provider-kubernetes manifest/provider/waiter.go, NewResourceWaiter). Fields are read from
  // the object with its status (apply.go: TFTypeFromOpenAPI(..., true)); an absent one keeps waiting.
  if (tier === TIERS.servingBudget && readyPods !== undefined) return { fields: { 'status.currentHealthy': atLeastPattern(Number(readyPods)) } };
  return undefined;
}

/**
 * The bridge between the two CDKs: every object of a cdk8s chart becomes a `kubernetes_manifest`
 * resource (server-side apply), so `cdktf deploy` applies the same objects `npm run synth` writes to
 * dist/, in the order of {@link TIERS}.
 */
export class KubernetesManifests extends Construct {
  /** Terraform resources by `<Kind>/<name>`. */
  public readonly resources: Readonly<Record<string, Manifest>>;

  constructor(scope: Construct, id: string, props: KubernetesManifestsProps) {
    super(scope, id);
    const timeout = `${props.rolloutTimeoutMinutes}m`;
    const objects = (props.chart.toJson() as ObjectJson[]).map((object) => ({ object, tier: applyTier(object) }));
    const tiers: ITerraformDependable[][] = [];
    const resources: Record<string, Manifest> = {};

    for (const { object, tier } of [...objects].sort((a, b) => a.tier - b.tier)) {
      const earlier = [...tiers.slice(0, tier).flat(), ...(object.kind === 'Deployment' ? (props.podsDependOn ?? []) : [])];
      const wait = waitFor(object, tier);
      const resource = new Manifest(this, `${object.kind}-${object.metadata.name}`, {
        provider: props.provider,
        manifest: escapeTemplates(object) as Record<string, unknown>,
        fieldManager: { name: 'aks-environments', forceConflicts: false },
        wait,
        timeouts: wait ? { create: timeout, update: timeout } : undefined,
        dependsOn: earlier.length > 0 ? earlier : undefined,
        lifecycle: DELETE_AFTER_DEPENDENTS.has(object.kind) ? { createBeforeDestroy: true } : undefined,
      });
      (tiers[tier] ??= []).push(resource);
      resources[`${object.kind}/${object.metadata.name}`] = resource;
    }
    this.resources = resources;
  }
}
