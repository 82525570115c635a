/*
 * Manifests as the API server returns them. `kubernetes_manifest` plans the object it sends and, after
 * apply, compares it with what the API server returns; a value the server drops (an empty list or map,
 * `minReadySeconds: 0`, `hostNetwork: false`) fails the apply with "Provider produced inconsistent result
 * after apply" (hashicorp/terraform-provider-kubernetes #2783, #1719; the kubernetes-alpha known issues
 * #158 name empty blocks and zero values). Omitting such a value changes nothing on the server: built-in
 * types are Go structs, where an absent field and its zero value are the same, and a field the manifest
 * leaves out is planned as "known after apply". So every object is sent, and written to dist/, without them.
 */

import { canonicalQuantity } from './quantity';

/** A Kubernetes object, or any part of one. */
type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json };

/** An object of the Kubernetes API: what `Chart.toJson()` returns. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [field: string]: unknown };
  readonly [field: string]: unknown;
}

/**
 * API groups served by the API server itself (Go structs with `omitempty`). Custom resources (e.g. the
 * Secrets Store CSI driver's SecretProviderClass) are stored as the JSON that was sent, so their zero
 * values are kept: only their empty lists and maps go.
 */
const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'autoscaling',
  'batch',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'node.k8s.io',
  'admissionregistration.k8s.io',
  'certificates.k8s.io',
  'apiextensions.k8s.io',
]);

/**
 * Fields whose value is a map of user data (labels, ConfigMap data, resource quantities): its entries
 * are kept exactly, an empty string too (a label `tier: ""` is a real label); only an empty map goes.
 */
const DICTIONARIES = new Set([
  'labels',
  'annotations',
  'data',
  'stringData',
  'binaryData',
  'nodeSelector',
  'matchLabels',
  'parameters',
  'volumeAttributes',
  'limits',
  'requests',
  'capacity',
  'hard',
  'overhead',
]);

/**
 * Empty objects that mean something, so they stay: `emptyDir: {}` is the volume; an empty label selector
 * selects every pod (a PodDisruptionBudget or NetworkPolicy without one selects none, or is invalid).
 * A CustomResourceDefinition's `subresources.status: {}` switches the status subresource on.
 */
const MEANINGFUL_WHEN_EMPTY = new Set(['emptyDir', 'podSelector', 'namespaceSelector', 'labelSelector', 'selector']);

/**
 * Zero values that differ from leaving the field out (the Go field is a pointer and nil means another
 * default), so they stay: `automountServiceAccountToken: false` (nil mounts the token), `replicas: 0`
 * (an idle blue/green colour; nil is 1), `maxUnavailable: 0`, `runAsUser: 0` (nil is the image's user),
 * `revisionHistoryLimit: 0` (nil keeps 10), `stabilizationWindowSeconds: 0` (nil is 300 for scale-down),
 * `storageClassName: ""` (nil is the default class). The container security switches are pointers too,
 * so the server returns them; `privileged: false` and friends stay stated for reviewers and policy.
 */
const MEANINGFUL_ZERO = new Set([
  'automountServiceAccountToken',
  'enableServiceLinks',
  'allocateLoadBalancerNodePorts',
  'hostUsers',
  'allowPrivilegeEscalation',
  'replicas',
  'minReplicas',
  'maxSurge',
  'maxUnavailable',
  'minAvailable',
  'runAsUser',
  'runAsGroup',
  'fsGroup',
  'terminationGracePeriodSeconds',
  'revisionHistoryLimit',
  'progressDeadlineSeconds',
  'stabilizationWindowSeconds',
  'defaultMode',
  'mode',
  'backoffLimit',
  'parallelism',
  'completions',
  'ttlSecondsAfterFinished',
  'successfulJobsHistoryLimit',
  'failedJobsHistoryLimit',
  'startingDeadlineSeconds',
  'priority',
  'storageClassName',
  'privileged',
  'readOnlyRootFilesystem',
  'runAsNonRoot',
]);

/** Maps of resource quantities: the API server returns each quantity in its canonical form. */
const QUANTITY_MAPS = new Set(['limits', 'requests', 'overhead', 'hard', 'capacity']);

/** `selector` of a Service (or ReplicationController) is a label map; everywhere else it is a label selector. */
const MAP_SELECTOR_KINDS = new Set(['Service', 'ReplicationController']);

interface Context {
  /** Whether zero values the API server omits are dropped (built-in kinds only). */
  readonly dropZeros: boolean;
  readonly kind: string;
}

const isObject = (value: Json): value is { [key: string]: Json } => typeof value === 'object' && value !== null && !Array.isArray(value);

function isZero(value: Json): boolean {
  return value === false || value === 0 || value === '';
}

function isDictionary(key: string, ctx: Context, path: ReadonlyArray<string>): boolean {
  if (key === 'selector') return MAP_SELECTOR_KINDS.has(ctx.kind) && path.join('.') === 'spec';
  return DICTIONARIES.has(key);
}

/** The value without what the API server drops; `undefined` when nothing of it would be returned. */
function normalizeValue(value: Json, key: string, ctx: Context, path: ReadonlyArray<string>): Json {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    // Items stay even when empty: `ingress: [{}]` allows all traffic, `args: [""]` passes an empty argument.
    const items = value.map((item) => (isObject(item) || Array.isArray(item) ? (normalizeValue(item, '', ctx, [...path, key]) ?? {}) : item));
    return items.length === 0 ? undefined : items;
  }
  if (isObject(value)) {
    if (isDictionary(key, ctx, path)) {
      if (Object.keys(value).length === 0) return undefined;
      if (!QUANTITY_MAPS.has(key)) return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? canonicalQuantity(v) : v]));
    }
    const fields = key === '' ? path : [...path, key];
    const out: { [key: string]: Json } = {};
    for (const [childKey, child] of Object.entries(value)) {
      const quantity =
        typeof child === 'string' && (childKey === 'sizeLimit' || (fields[fields.length - 1] === 'target' && /^(average)?[vV]alue$/.test(childKey)));
      const normalized = quantity ? canonicalQuantity(child) : normalizeValue(child, childKey, ctx, fields);
      if (normalized === undefined) continue;
      if (ctx.dropZeros && isZero(normalized) && !MEANINGFUL_ZERO.has(childKey)) continue;
      out[childKey] = normalized;
    }
    const crdStatus = key === 'status' && path[path.length - 1] === 'subresources';
    if (Object.keys(out).length > 0 || MEANINGFUL_WHEN_EMPTY.has(key) || crdStatus) return out;
    return undefined;
  }
  return value;
}

/**
 * The object as the API server would return it: no empty lists or maps, and, for built-in kinds, none
 * of the zero values the server omits. Pure; the input is not changed.
 */
export function normalizeManifest<T extends KubernetesObject>(object: T): T {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  const ctx: Context = { dropZeros: BUILT_IN_GROUPS.has(group), kind: object.kind };
  return (normalizeValue(object as unknown as Json, '', ctx, []) ?? {}) as unknown as T;
}
