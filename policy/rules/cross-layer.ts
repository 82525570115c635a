import { allocatable, parseVmSize } from '../../config/azure-facts';
import type { EnvironmentInput, KubernetesObject, PolicyObject, Rule, Violation } from '../model';
import {
  allContainers,
  arrayAt,
  expectedReplicas,
  field,
  mapSelects,
  namespaceOf,
  objectAt,
  ofKind,
  parseQuantity,
  podLabels,
  podOwners,
  selectorMatches,
  trackOf,
  type PodOwner,
} from '../kubernetes';
import { nodePools, type NodePool } from '../terraform';

/*
 * Checks no single-layer tool can make: they read the Kubernetes objects together with each other and
 * with the Terraform that builds the cluster they run on.
 */

interface Workload {
  readonly owner: PodOwner;
  readonly min: number;
  readonly max: number;
}

function workloads(env: EnvironmentInput): Workload[] {
  const hpas = ofKind(env.kubernetes, 'HorizontalPodAutoscaler');
  return podOwners(env.kubernetes).flatMap((owner) => {
    const replicas = expectedReplicas(owner, hpas);
    return replicas ? [{ owner, ...replicas }] : [];
  });
}

/** CPU (millicores) and memory (MiB) one pod requests: the sum of its app containers (init containers run before). */
export function podRequests(spec: Record<string, unknown>): { cpuMillis: number; memoryMiB: number } {
  const containers = allContainers(spec).filter(({ kind }) => kind === 'containers');
  const sum = (resource: string, unit: number) =>
    containers.reduce((total, { container }) => total + (parseQuantity(field(container, 'resources', 'requests', resource)) ?? 0) / unit, 0);
  return { cpuMillis: Math.round(sum('cpu', 0.001)), memoryMiB: Math.round(sum('memory', 1024 ** 2)) };
}

/** Node labels a pod requires (nodeSelector and required node affinity with In/single value). */
function requiredNodeLabels(spec: Record<string, unknown>): Array<[string, string[]]> {
  const selector = Object.entries(objectAt(spec, 'nodeSelector')).map(([k, v]): [string, string[]] => [k, [String(v)]]);
  const terms = arrayAt(spec, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms');
  const expressions =
    terms.length === 1
      ? arrayAt(terms[0], 'matchExpressions')
          .filter((e) => e.operator === 'In')
          .map((e): [string, string[]] => [String(e.key), (e.values as string[] | undefined) ?? []])
      : [];
  return [...selector, ...expressions];
}

/** The pool a pod lands on: the one whose node labels satisfy it; without requirements, the pools that take app pods. */
function poolOf(spec: Record<string, unknown>, pools: NodePool[]): NodePool | undefined {
  const required = requiredNodeLabels(spec);
  const candidates = pools.filter((p) => p.body.only_critical_addons_enabled !== true);
  if (required.length === 0) return candidates.length === 1 ? candidates[0] : undefined;
  return candidates.find((p) => {
    const labels = objectAt(p.body, 'node_labels');
    return required.every(([key, values]) => values.includes(String(labels[key])));
  });
}

/** Places pods (first fit, largest first) on `nodes` nodes; returns how many did not fit. */
export function podsThatDoNotFit(
  pods: Array<{ cpuMillis: number; memoryMiB: number }>,
  nodes: number,
  perNode: { cpuMillis: number; memoryMiB: number; pods: number },
): number {
  const free = Array.from({ length: nodes }, () => ({ ...perNode }));
  let unplaced = 0;
  for (const pod of [...pods].sort((a, b) => b.cpuMillis - a.cpuMillis || b.memoryMiB - a.memoryMiB)) {
    const node = free.find((n) => n.cpuMillis >= pod.cpuMillis && n.memoryMiB >= pod.memoryMiB && n.pods >= 1);
    if (!node) {
      unplaced++;
      continue;
    }
    node.cpuMillis -= pod.cpuMillis;
    node.memoryMiB -= pod.memoryMiB;
    node.pods -= 1;
  }
  return unplaced;
}

/** Served API versions by Kubernetes minor: [apiVersion, kinds or '*', first minor served, first minor removed]. */
const API_LIFECYCLE: ReadonlyArray<[string, string, number, number]> = [
  ['extensions/v1beta1', '*', 0, 16],
  ['extensions/v1beta1', 'Ingress', 0, 22],
  ['apps/v1beta1', '*', 0, 16],
  ['apps/v1beta2', '*', 0, 16],
  ['networking.k8s.io/v1beta1', '*', 0, 22],
  ['networking.k8s.io/v1', 'Ingress', 19, Infinity],
  ['policy/v1beta1', '*', 0, 25],
  ['policy/v1', 'PodDisruptionBudget', 21, Infinity],
  ['batch/v1beta1', '*', 0, 25],
  ['batch/v1', 'CronJob', 21, Infinity],
  ['autoscaling/v2beta1', '*', 0, 25],
  ['autoscaling/v2beta2', '*', 12, 26],
  ['autoscaling/v2', '*', 23, Infinity],
  ['discovery.k8s.io/v1beta1', '*', 0, 25],
  ['discovery.k8s.io/v1', '*', 21, Infinity],
  ['flowcontrol.apiserver.k8s.io/v1beta2', '*', 23, 29],
  ['flowcontrol.apiserver.k8s.io/v1beta3', '*', 26, 32],
  ['flowcontrol.apiserver.k8s.io/v1', '*', 29, Infinity],
  ['storage.k8s.io/v1beta1', 'CSIStorageCapacity', 21, 27],
];

/** Why a cluster of this minor version does not serve the object's API, or undefined. */
export function apiProblem(object: KubernetesObject, minor: number): string | undefined {
  const rule =
    API_LIFECYCLE.find(([version, kind]) => version === object.apiVersion && kind === object.kind) ??
    API_LIFECYCLE.find(([version, kind]) => version === object.apiVersion && kind === '*');
  if (!rule) return undefined;
  const [, , since, removed] = rule;
  if (minor >= removed) return `${object.apiVersion} ${object.kind} was removed in Kubernetes 1.${removed}; the cluster runs 1.${minor}`;
  if (minor < since) return `${object.apiVersion} ${object.kind} is served from Kubernetes 1.${since}; the cluster runs 1.${minor}`;
  return undefined;
}

/** Minor version of the environment's cluster (`kubernetes_version` 1.32 or 1.32.4). */
function clusterMinor(env: EnvironmentInput): number | undefined {
  const versions = nodePools(env)
    .filter((p) => p.cluster === p.object)
    .map((p) => String(p.object.value.body.kubernetes_version ?? ''));
  const match = versions.map((v) => /^1\.(\d+)/.exec(v)).find(Boolean);
  return match ? Number(match[1]) : undefined;
}

const onObject = (object: PolicyObject<unknown>, message: string): Violation => ({ object, message });

export const CROSS_LAYER_RULES: Rule[] = [
  {
    id: 'XL001',
    layer: 'cross-layer',
    severity: 'error',
    title: 'Pods fit the node pool at its maximum size',
    why: 'If the most pods the autoscalers can ask for do not fit the pool at max_count, scale-out stops with pending pods exactly when load is highest.',
    fix: 'Raise the pool max_count, use a larger VM size, or lower replicas (HPA maxReplicas) or requests.',
    docs: 'https://learn.microsoft.com/azure/aks/node-resource-reservations',
    equivalents: {},
    check: (env) => {
      const pools = nodePools(env);
      const byPool = new Map<NodePool, Workload[]>();
      for (const w of workloads(env).filter((w) => w.max > 0)) {
        const pool = poolOf(w.owner.spec, pools);
        if (pool) byPool.set(pool, [...(byPool.get(pool) ?? []), w]);
      }
      return [...byPool].flatMap(([pool, placed]) => {
        const size = parseVmSize(String(pool.body.vm_size));
        const maxNodes = Number(pool.body.max_count ?? pool.body.node_count ?? 0);
        if (typeof size === 'string' || maxNodes === 0) return [];
        const maxPods = typeof pool.body.max_pods === 'number' ? pool.body.max_pods : 110;
        const node = allocatable(size, maxPods);
        const pods = placed.flatMap((w) => Array.from({ length: w.max }, () => podRequests(w.owner.spec)));
        const unplaced = podsThatDoNotFit(pods, maxNodes, { ...node, pods: maxPods });
        if (unplaced === 0) return [];
        const names = placed.map((w) => `${w.owner.object.id} (${w.max})`).join(', ');
        return [
          onObject(
            placed[0].owner.object,
            `${pods.length} pods of ${names} do not fit ${pool.label} at ${maxNodes} x ${pool.body.vm_size} ` +
              `(${node.cpuMillis}m CPU, ${node.memoryMiB}Mi allocatable per node): ${unplaced} would stay pending`,
          ),
        ];
      });
    },
  },
  {
    id: 'XL002',
    layer: 'cross-layer',
    severity: 'error',
    title: 'The PodDisruptionBudget allows a drain',
    why: 'A budget that allows no eviction blocks node drains: cluster upgrades, node-image upgrades and autoscaler scale-down stall.',
    fix: 'Use maxUnavailable >= 1 (or a non-zero percentage), or minAvailable below the replicas the workload runs.',
    docs: 'https://learn.microsoft.com/azure/aks/upgrade-cluster#optimize-upgrades-to-improve-performance-and-minimize-disruptions',
    equivalents: { kubeLinter: 'pdb-max-unavailable, pdb-min-available' },
    check: (env) => {
      const all = workloads(env);
      return ofKind(env.kubernetes, 'PodDisruptionBudget').flatMap((pdb) => {
        const selected = all.filter(
          (w) =>
            namespaceOf(w.owner.object.value) === namespaceOf(pdb.value) && selectorMatches(field(pdb.value, 'spec', 'selector'), podLabels(w.owner)),
        );
        const pods = selected.reduce((sum, w) => sum + w.min, 0);
        if (pods === 0) return [];
        const spec = objectAt(pdb.value, 'spec');
        const count = (v: unknown, roundUp: boolean) => {
          if (typeof v === 'number') return v;
          const percent = Number(String(v).replace('%', ''));
          return roundUp ? Math.ceil((pods * percent) / 100) : Math.floor((pods * percent) / 100);
        };
        // The disruption controller rounds percentages up (minAvailable and maxUnavailable alike).
        const allowed =
          spec.maxUnavailable !== undefined
            ? count(spec.maxUnavailable, true)
            : spec.minAvailable !== undefined
              ? pods - count(spec.minAvailable, true)
              : pods;
        return allowed >= 1
          ? []
          : [
              onObject(
                pdb,
                `allows ${Math.max(allowed, 0)} of ${pods} pods to be evicted (${spec.maxUnavailable !== undefined ? `maxUnavailable ${spec.maxUnavailable}` : `minAvailable ${spec.minAvailable}`}); every drain blocks`,
              ),
            ];
      });
    },
  },
  {
    id: 'XL003',
    layer: 'cross-layer',
    severity: 'error',
    title: 'Service selectors match the intended Deployments',
    why: 'A selector that matches nothing is an outage; one that matches both blue and green, or only scaled-down pods, sends traffic to the wrong release.',
    fix: 'Select the live track: its labels in the Service selector, one colour for blue/green (the active one for the load-balanced Service), and a Deployment that runs pods.',
    docs: 'https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service',
    equivalents: { kubeLinter: 'dangling-service', kubeScore: 'service-targets-pod' },
    check: (env) => {
      const all = workloads(env);
      const pods = podOwners(env.kubernetes);
      return ofKind(env.kubernetes, 'Service').flatMap((service) => {
        const selector = objectAt(service.value, 'spec', 'selector') as Record<string, string>;
        if (Object.keys(selector).length === 0 || field(service.value, 'spec', 'type') === 'ExternalName') return [];
        const matched = pods.filter((p) => namespaceOf(p.object.value) === namespaceOf(service.value) && mapSelects(selector, podLabels(p)));
        if (matched.length === 0) return [onObject(service, `selector ${JSON.stringify(selector)} matches no pods`)];
        const colours = [...new Set(matched.map((p) => trackOf(podLabels(p))).filter((t) => t === 'blue' || t === 'green'))];
        if (colours.length > 1) return [onObject(service, `selector ${JSON.stringify(selector)} matches both blue and green`)];
        // The load-balanced Service is the live one: it must send traffic to the colour the config makes active.
        if (env.activeColour && colours.length === 1 && colours[0] !== env.activeColour && field(service.value, 'spec', 'type') === 'LoadBalancer') {
          return [onObject(service, `sends traffic to ${colours[0]}, but the config makes ${env.activeColour} active`)];
        }
        const running = all.filter((w) => w.max > 0 && matched.some((p) => p.object.id === w.owner.object.id));
        const kinds = matched.filter((p) => p.object.value.kind === 'Pod' || p.object.value.kind === 'DaemonSet');
        return running.length === 0 && kinds.length === 0
          ? [onObject(service, `selects only workloads scaled to zero (${matched.map((p) => p.object.id).join(', ')})`)]
          : [];
      });
    },
  },
  {
    id: 'XL004',
    layer: 'cross-layer',
    severity: 'error',
    title: "The manifests' API level is served by the cluster's Kubernetes version",
    why: 'An apiVersion the cluster does not serve (removed, or newer than the cluster) fails at apply time, after the platform change has gone out.',
    fix: 'Upgrade the cluster (kubernetes.version), use the API version the cluster serves, or a cdk8s-plus major that matches the cluster.',
    docs: 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/',
    equivalents: { kubeScore: 'stable-version (related)' },
    check: (env) => {
      const minor = clusterMinor(env);
      if (minor === undefined) return [];
      const problems = env.kubernetes.flatMap((o) => {
        const problem = apiProblem(o.value, minor);
        return problem ? [onObject(o, problem)] : [];
      });
      const level = env.cdk8sPlusMinor;
      const cluster = nodePools(env).find((p) => p.cluster === p.object)?.object;
      if (level !== undefined && cluster && level > minor) {
        problems.push(
          onObject(cluster, `the manifests are built with cdk8s-plus-${level} (Kubernetes 1.${level} APIs), but the cluster runs 1.${minor}`),
        );
      }
      return problems;
    },
  },
];
