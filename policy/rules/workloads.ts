import type { EnvironmentInput, KubernetesObject, PolicyObject, Rule, Violation } from '../model';
import {
  allContainers,
  arrayAt,
  autoscalerOf,
  containerLabel,
  expectedReplicas,
  field,
  namespaceOf,
  objectAt,
  ofKind,
  podLabels,
  podOwners,
  selectorMatches,
  trackOf,
  type PodOwner,
} from '../kubernetes';

/*
 * Workload defaults, as kube-linter and kube-score check them: resources, probes, replicas, spreading,
 * disruption budgets, namespaces, service-account tokens and images.
 */
const LONG_RUNNING = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController'];
const REPLICATED = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'];

/** Namespaces that belong to the cluster, not to an app. */
export const RESERVED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Kinds without a namespace. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'CSIDriver',
  'CSINode',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'VolumeAttachment',
]);
export const isNamespaced = (object: KubernetesObject) => !CLUSTER_SCOPED.has(object.kind);

/**
 * A canary runs few pods on purpose. It is recognised by a label `track` (or `<prefix>/track`) with the
 * value `canary` on the workload or its pods, as the release tracks of this repository set it.
 */
export function isCanary(owner: PodOwner): boolean {
  return trackOf({ ...owner.object.value.metadata.labels, ...podLabels(owner) }) === 'canary';
}

/**
 * An idle release track (`<prefix>/traffic: idle`, as this repository's blue/green colour that the
 * Services do not select): a warm rollback target, not serving, so one pod is a decision, not a risk.
 */
export function isIdle(owner: PodOwner): boolean {
  const annotations = owner.object.value.metadata.annotations ?? {};
  return Object.entries(annotations).some(([k, v]) => (k === 'traffic' || k.endsWith('/traffic')) && v === 'idle');
}

/** Workloads that run pods now: scaled-to-zero ones (an idle blue/green colour) have nothing to protect. */
function runningReplicated(env: EnvironmentInput): Array<{ owner: PodOwner; min: number; max: number }> {
  const hpas = ofKind(env.kubernetes, 'HorizontalPodAutoscaler');
  return podOwners(env.kubernetes)
    .filter((o) => REPLICATED.includes(o.object.value.kind))
    .flatMap((owner) => {
      const replicas = expectedReplicas(owner, hpas);
      return replicas && replicas.max > 0 ? [{ owner, ...replicas }] : [];
    });
}

const violation = (object: PolicyObject<unknown>, message: string): Violation => ({ object, message });

/** `registry/repo:tag@digest` split into its parts. */
export function parseImage(image: string): { registry: string | undefined; tag: string | undefined; digest: string | undefined } {
  const [nameAndTag, digest] = image.split('@');
  const slash = nameAndTag.indexOf('/');
  const first = slash >= 0 ? nameAndTag.slice(0, slash) : '';
  // Docker's rule: the first part is a registry when it has a dot or a port, or is localhost.
  const registry = /[.:]/.test(first) || first === 'localhost' ? first : undefined;
  const lastPart = nameAndTag.slice(slash + 1);
  const colon = lastPart.lastIndexOf(':');
  return { registry, tag: colon >= 0 ? lastPart.slice(colon + 1) : undefined, digest };
}

/** Tags that name one build: a version (1.4.2, v2.0.0-rc.1) or a commit SHA. Anything else may be moved. */
export const IMMUTABLE_TAG = /^(v?\d+\.\d+(\.\d+)?([-+][0-9A-Za-z.-]+)?|[0-9a-f]{7,40})$/;

const imagesOf = (owner: PodOwner) => allContainers(owner.spec).filter(({ container }) => typeof container.image === 'string');

export const WORKLOAD_RULES: Rule[] = [
  {
    id: 'K8S001',
    layer: 'kubernetes',
    severity: 'error',
    title: 'CPU and memory requests and limits',
    why: 'Without requests the scheduler over-packs nodes and the autoscaler cannot plan; without limits one pod can starve its neighbours.',
    fix: 'Set resources.requests.cpu, requests.memory, limits.cpu and limits.memory on every container.',
    docs: 'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
    equivalents: {
      checkov: 'CKV_K8S_10, CKV_K8S_11, CKV_K8S_12, CKV_K8S_13',
      kubeLinter: 'unset-cpu-requirements, unset-memory-requirements',
      kubeScore: 'container-resources',
    },
    check: (env) =>
      podOwners(env.kubernetes).flatMap((owner) =>
        allContainers(owner.spec)
          .filter(({ kind }) => kind !== 'ephemeralContainers')
          .flatMap(({ kind, container }) => {
            const missing = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'].filter(
              (p) => field(container, 'resources', ...p.split('.')) === undefined,
            );
            return missing.length > 0 ? [violation(owner.object, `${containerLabel(kind, container)}: resources ${missing.join(', ')} not set`)] : [];
          }),
      ),
  },
  {
    id: 'K8S002',
    layer: 'kubernetes',
    severity: 'error',
    title: 'Liveness and readiness probes',
    why: 'Without readiness a Service sends traffic to pods that cannot answer; without liveness a hung process is never restarted.',
    fix: 'Add readinessProbe and livenessProbe to every container of long-running workloads.',
    docs: 'https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/',
    equivalents: { checkov: 'CKV_K8S_8, CKV_K8S_9', kubeLinter: 'no-liveness-probe, no-readiness-probe', kubeScore: 'pod-probes' },
    check: (env) =>
      podOwners(env.kubernetes)
        .filter((o) => LONG_RUNNING.includes(o.object.value.kind))
        .flatMap((owner) =>
          arrayAt(owner.spec, 'containers').flatMap((container) => {
            const missing = ['livenessProbe', 'readinessProbe'].filter((p) => container[p] === undefined);
            return missing.length > 0 ? [violation(owner.object, `containers[${container.name}]: ${missing.join(' and ')} not set`)] : [];
          }),
        ),
  },
  {
    id: 'K8S003',
    layer: 'kubernetes',
    severity: 'error',
    title: 'At least 2 replicas (or an HPA with minReplicas >= 2)',
    why: 'A single pod is an outage on every node drain, upgrade and crash.',
    fix: 'Set replicas >= 2, or an HorizontalPodAutoscaler with minReplicas >= 2. Canary tracks (label track=canary) and idle tracks (annotation traffic=idle) are exempt; scaled-to-zero workloads are not checked.',
    docs: 'https://learn.microsoft.com/azure/aks/best-practices-app-cluster-reliability#pod-disruption-budgets-pdbs',
    equivalents: { kubeLinter: 'minimum-three-replicas (3)', kubeScore: 'deployment-replicas' },
    check: (env) =>
      runningReplicated(env)
        .filter(({ owner, min }) => min < 2 && !isCanary(owner) && !isIdle(owner))
        .map(({ owner, min }) =>
          violation(
            owner.object,
            `runs ${min} pod${min === 1 ? '' : 's'} at minimum${autoscalerOf(owner.object, ofKind(env.kubernetes, 'HorizontalPodAutoscaler')) ? ' (HPA minReplicas)' : ''}; needs at least 2`,
          ),
        ),
  },
  {
    id: 'K8S004',
    layer: 'kubernetes',
    severity: 'error',
    title: 'Pods spread over nodes (topology spread or anti-affinity)',
    why: 'Replicas packed onto one node or zone go down together.',
    fix: 'Add topologySpreadConstraints over kubernetes.io/hostname (and topology.kubernetes.io/zone), or a podAntiAffinity.',
    docs: 'https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/',
    equivalents: { kubeLinter: 'no-anti-affinity', kubeScore: 'deployment-has-host-podantiaffinity' },
    check: (env) =>
      runningReplicated(env)
        .filter(({ max }) => max > 1)
        .flatMap(({ owner }) => {
          const spread = arrayAt(owner.spec, 'topologySpreadConstraints').length > 0;
          const antiAffinity = Object.keys(objectAt(owner.spec, 'affinity', 'podAntiAffinity')).length > 0;
          return spread || antiAffinity ? [] : [violation(owner.object, 'has neither topologySpreadConstraints nor podAntiAffinity')];
        }),
  },
  {
    id: 'K8S005',
    layer: 'kubernetes',
    severity: 'error',
    title: 'A PodDisruptionBudget per Deployment',
    why: 'Without a budget a node drain (upgrade, autoscaler scale-down) may evict every replica at once.',
    fix: 'Add a PodDisruptionBudget whose selector matches the pods, with maxUnavailable: 1 (or a percentage).',
    docs: 'https://kubernetes.io/docs/tasks/run-application/configure-pdb/',
    equivalents: { kubeLinter: 'pdb-min-available (related)', kubeScore: 'deployment-has-poddisruptionbudget' },
    check: (env) => {
      const budgets = ofKind(env.kubernetes, 'PodDisruptionBudget');
      return runningReplicated(env)
        .filter(
          ({ owner }) =>
            !budgets.some(
              (b) =>
                namespaceOf(b.value) === namespaceOf(owner.object.value) && selectorMatches(field(b.value, 'spec', 'selector'), podLabels(owner)),
            ),
        )
        .map(({ owner }) => violation(owner.object, 'no PodDisruptionBudget selects its pods'));
    },
  },
  {
    id: 'K8S006',
    layer: 'kubernetes',
    severity: 'error',
    title: 'No default or system namespace',
    why: 'Objects in default or kube-* namespaces escape per-app RBAC, quotas, network policy and Pod Security admission labels.',
    fix: `Put every namespaced object into the app's own namespace (not ${RESERVED_NAMESPACES.join(', ')}).`,
    docs: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/',
    equivalents: { checkov: 'CKV_K8S_21' },
    check: (env) =>
      env.kubernetes
        .filter((o) => isNamespaced(o.value) && RESERVED_NAMESPACES.includes(namespaceOf(o.value)))
        .map((o) =>
          violation(o, `is in namespace '${namespaceOf(o.value)}'${o.value.metadata.namespace === undefined ? ' (no namespace set)' : ''}`),
        ),
  },
  {
    id: 'K8S007',
    layer: 'kubernetes',
    severity: 'error',
    title: 'No service-account token automount unless needed',
    why: "A mounted token is the pod's Kubernetes API credential; a compromised app that does not need it should not have it.",
    fix: 'Set automountServiceAccountToken: false on the pod spec or its ServiceAccount; waive the rule for pods that call the API.',
    docs: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting',
    equivalents: { checkov: 'CKV_K8S_38' },
    check: (env) =>
      podOwners(env.kubernetes).flatMap((owner) => {
        const own = owner.spec.automountServiceAccountToken;
        if (own === false) return [];
        const accountName = String(owner.spec.serviceAccountName ?? 'default');
        const account = ofKind(env.kubernetes, 'ServiceAccount').find(
          (a) => a.value.metadata.name === accountName && namespaceOf(a.value) === namespaceOf(owner.object.value),
        );
        if (own === undefined && account?.value.automountServiceAccountToken === false) return [];
        return [
          violation(
            owner.object,
            `mounts the token of service account '${accountName}' (automountServiceAccountToken is ${own === true ? 'true' : 'unset on the pod and its ServiceAccount'})`,
          ),
        ];
      }),
  },
  {
    id: 'K8S008',
    layer: 'kubernetes',
    severity: 'error',
    title: "Images from the environment's own registry",
    why: 'Images from public or foreign registries bypass the scanning, retention and access control of the environment registry.',
    fix: "Import or build the image into the environment's registry and reference it there.",
    docs: 'https://learn.microsoft.com/azure/container-registry/container-registry-import-images',
    equivalents: {},
    check: (env) =>
      env.registries.length === 0
        ? []
        : podOwners(env.kubernetes).flatMap((owner) =>
            imagesOf(owner).flatMap(({ kind, container }) => {
              const { registry } = parseImage(String(container.image));
              return registry !== undefined && env.registries.includes(registry)
                ? []
                : [
                    violation(
                      owner.object,
                      `${containerLabel(kind, container)}: image '${container.image}' is not from ${env.registries.join(' or ')}`,
                    ),
                  ];
            }),
          ),
  },
  {
    id: 'K8S009',
    layer: 'kubernetes',
    severity: 'error',
    title: 'Images pinned by digest or an immutable tag',
    why: 'A moving tag (main, stable, dev) changes what runs without a change in this repository, and breaks rollbacks.',
    fix: 'Reference images by digest (@sha256:...) or by a version or commit tag (1.4.2, v2.0.0-rc.1, 3f2a9c1).',
    docs: 'https://learn.microsoft.com/azure/container-registry/container-registry-image-tag-version',
    equivalents: { checkov: 'CKV_K8S_43', kubeScore: 'container-image-tag' },
    check: (env) =>
      podOwners(env.kubernetes).flatMap((owner) =>
        imagesOf(owner).flatMap(({ kind, container }) => {
          const { tag, digest } = parseImage(String(container.image));
          if (digest || tag === undefined || tag === 'latest') return []; // no tag and latest: K8S010
          return IMMUTABLE_TAG.test(tag)
            ? []
            : [
                violation(
                  owner.object,
                  `${containerLabel(kind, container)}: tag '${tag}' of '${container.image}' is not a version, commit or digest`,
                ),
              ];
        }),
      ),
  },
  {
    id: 'K8S010',
    layer: 'kubernetes',
    severity: 'error',
    title: 'No latest tag',
    why: "'latest' (or no tag, which means latest) is a different image on every pull: no reproducible rollout, no rollback.",
    fix: 'Set an explicit version tag or digest.',
    docs: 'https://kubernetes.io/docs/concepts/containers/images/#image-names',
    equivalents: { checkov: 'CKV_K8S_14', kubeLinter: 'latest-tag', kubeScore: 'container-image-tag' },
    check: (env) =>
      podOwners(env.kubernetes).flatMap((owner) =>
        imagesOf(owner).flatMap(({ kind, container }) => {
          const { tag, digest } = parseImage(String(container.image));
          return !digest && (tag === undefined || tag === 'latest')
            ? [
                violation(
                  owner.object,
                  `${containerLabel(kind, container)}: image '${container.image}' is ${tag ? "tagged 'latest'" : 'untagged (latest)'}`,
                ),
              ]
            : [];
        }),
      ),
  },
];
