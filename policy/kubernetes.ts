import type { KubernetesObject, PolicyObject } from './model';

/*
 * Reading Kubernetes objects as the API server would: where a kind keeps its pod template, which
 * containers a pod has, how label selectors match.
 */

type Json = Record<string, unknown>;
export type Container = Json & { readonly name?: string; readonly image?: string; readonly securityContext?: Json };

const asObject = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const asArray = (value: unknown): Json[] => (Array.isArray(value) ? value.map(asObject) : []);

/** A field deep inside an object, or undefined. */
export function field(value: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((node, key) => asObject(node)[key], value);
}
export const objectAt = (value: unknown, ...keys: string[]): Json => asObject(field(value, ...keys));
export const arrayAt = (value: unknown, ...keys: string[]): Json[] => asArray(field(value, ...keys));

/** Kinds that run pods, and where each keeps its pod template. */
const POD_TEMPLATE_PATHS: Readonly<Record<string, ReadonlyArray<string>>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** A pod, or an object that creates pods, with its pod template. */
export interface PodOwner {
  readonly object: PolicyObject<KubernetesObject>;
  /** The pod's metadata (labels, annotations). */
  readonly metadata: Json;
  readonly spec: Json;
}

/** Every pod spec in the objects: Pods, and the templates of the workload kinds. */
export function podOwners(objects: ReadonlyArray<PolicyObject<KubernetesObject>>): PodOwner[] {
  return objects.flatMap((object) => {
    const v = object.value;
    if (v.kind === 'Pod') return [{ object, metadata: asObject(v.metadata), spec: objectAt(v, 'spec') }];
    const path = POD_TEMPLATE_PATHS[v.kind];
    if (!path) return [];
    const template = objectAt(v, ...path);
    return [{ object, metadata: objectAt(template, 'metadata'), spec: objectAt(template, 'spec') }];
  });
}

export type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';

/** Every container of a pod spec, with the list it is in. */
export function allContainers(spec: Json): Array<{ kind: ContainerKind; container: Container }> {
  return (['containers', 'initContainers', 'ephemeralContainers'] as const).flatMap((kind) =>
    asArray(spec[kind]).map((container) => ({ kind, container: container })),
  );
}

/** `containers[web]`: names a container in messages. */
export const containerLabel = (kind: ContainerKind, container: Container) => `${kind}[${container.name ?? '?'}]`;

/**
 * The release track of a workload or pod (`blue`, `green`, `stable`, `canary`, ...): the value of a label
 * `track` or `<prefix>/track`, as this repository's release tracks set `photo-view.io/track`.
 */
export function trackOf(labels: Readonly<Record<string, string>>): string | undefined {
  return Object.entries(labels).find(([k]) => k === 'track' || k.endsWith('/track'))?.[1];
}

export const podLabels = (owner: PodOwner): Record<string, string> => asObject(owner.metadata.labels) as Record<string, string>;
export const namespaceOf = (object: KubernetesObject): string => object.metadata.namespace ?? 'default';

interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{ key: string; operator: string; values?: string[] }>;
}

/** Whether a LabelSelector (matchLabels and matchExpressions) selects these labels; an empty selector selects everything. */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const s = asObject(selector) as LabelSelector;
  const byLabels = Object.entries(s.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (s.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return key in labels && values.includes(labels[key]);
      case 'NotIn':
        return !(key in labels) || !values.includes(labels[key]);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        return false;
    }
  });
  return byLabels && byExpressions;
}

/** Whether a Service-style selector (plain map) selects these labels; an empty one selects nothing. */
export function mapSelects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/** Pods a workload asks for at least: its replicas, or its HPA's minimum. Undefined for kinds without replicas. */
export function expectedReplicas(
  owner: PodOwner,
  autoscalers: ReadonlyArray<PolicyObject<KubernetesObject>>,
): { min: number; max: number } | undefined {
  const v = owner.object.value;
  if (!['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'].includes(v.kind)) return undefined;
  const hpa = autoscalerOf(owner.object, autoscalers);
  if (hpa) {
    const min = Number(field(hpa.value, 'spec', 'minReplicas') ?? 1);
    return { min, max: Number(field(hpa.value, 'spec', 'maxReplicas') ?? min) };
  }
  const replicas = field(v, 'spec', 'replicas');
  const count = typeof replicas === 'number' ? replicas : 1; // the API server's default
  return { min: count, max: count };
}

/** The HorizontalPodAutoscaler that scales a workload, if any. */
export function autoscalerOf(object: PolicyObject<KubernetesObject>, autoscalers: ReadonlyArray<PolicyObject<KubernetesObject>>) {
  return autoscalers.find((h) => {
    const target = objectAt(h.value, 'spec', 'scaleTargetRef');
    return target.kind === object.value.kind && target.name === object.value.metadata.name && namespaceOf(h.value) === namespaceOf(object.value);
  });
}

export const ofKind = (objects: ReadonlyArray<PolicyObject<KubernetesObject>>, ...kinds: string[]) =>
  objects.filter((o) => kinds.includes(o.value.kind));

/** Kubernetes quantities: CPU in millicores, memory in bytes. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(value.trim());
  if (!match) return undefined;
  const factor: Record<string, number> = { '': 1, m: 0.001, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
  return Number(match[1]) * factor[match[2] ?? ''];
}
