import { Construct } from 'constructs';
import type { Chart } from 'cdk8s';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import type { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import type { ITerraformDependable } from '../cdktf';

/** Properties of {@link KubernetesManifests}. */
export interface KubernetesManifestsProps {
  /** The cdk8s chart whose objects Terraform applies. Its checks run here too. */
  readonly chart: Chart;
  readonly provider: KubernetesProvider;
  /** How long to wait for each Deployment's rollout before the apply fails. @default 10 */
  readonly rolloutTimeoutMinutes?: number;
}

/**
 * Apply order: a namespace before what lives in it, configuration before the pods that read it,
 * Deployments (rolled out) before the Services that switch traffic to them.
 */
const APPLY_TIER: Record<string, number> = {
  Namespace: 0,
  ServiceAccount: 1, ConfigMap: 1, Secret: 1, SecretProviderClass: 1, NetworkPolicy: 1,
  Deployment: 2,
  Service: 3, HorizontalPodAutoscaler: 3, PodDisruptionBudget: 3,
};

/** cdktf's encoding of a reference inside a string, e.g. `${TfToken[TOKEN.12]}`. */
const ENCODED_TOKEN = /(\$\{TfToken\[[^\]]+\]\})/;

/** Terraform reads `${` and `%{` in strings as templates; manifest text must stay literal. References are left alone. */
export function escapeTemplates(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.split(ENCODED_TOKEN)
      .map((part, i) => (i % 2 === 1 ? part : part.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{')))
      .join('');
  }
  if (Array.isArray(value)) return value.map(escapeTemplates);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeTemplates(v)]));
  return value;
}

/**
 * The bridge between the two CDKs: every object of a cdk8s chart becomes a `kubernetes_manifest`
 * resource (server-side apply), so `cdktf deploy` applies the same objects `npm run synth` writes to
 * dist/. Deployments are waited for until rolled out.
 */
export class KubernetesManifests extends Construct {
  /** Terraform resources by `<Kind>/<name>`. */
  public readonly resources: Readonly<Record<string, Manifest>>;

  constructor(scope: Construct, id: string, props: KubernetesManifestsProps) {
    super(scope, id);
    const timeout = `${props.rolloutTimeoutMinutes ?? 10}m`;
    const objects = props.chart.toJson() as Array<{ kind: string; metadata: { name: string } }>;
    const tiers: ITerraformDependable[][] = [];
    const resources: Record<string, Manifest> = {};

    for (const object of [...objects].sort((a, b) => (APPLY_TIER[a.kind] ?? 1) - (APPLY_TIER[b.kind] ?? 1))) {
      const tier = APPLY_TIER[object.kind] ?? 1;
      const earlier = tiers.slice(0, tier).flat();
      const isDeployment = object.kind === 'Deployment';
      const resource = new Manifest(this, `${object.kind}-${object.metadata.name}`, {
        provider: props.provider,
        manifest: escapeTemplates(object) as Record<string, unknown>,
        fieldManager: { name: 'aks-environments', forceConflicts: false },
        wait: isDeployment ? { rollout: true } : undefined,
        timeouts: isDeployment ? { create: timeout, update: timeout } : undefined,
        dependsOn: earlier.length > 0 ? earlier : undefined,
      });
      (tiers[tier] ??= []).push(resource);
      resources[`${object.kind}/${object.metadata.name}`] = resource;
    }
    this.resources = resources;
  }
}
