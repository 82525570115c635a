import { isDeepStrictEqual } from 'node:util';
import type { Change, Json, JsonObject, Level, LiveShare, Risk, RiskKind } from './model';
import { valueAt } from './risks';
import { isObject, objectAddress } from './values';

type Draft = Omit<Change, 'risks' | 'level'>;

/** A risk and the changes it belongs to (a Service's traffic shift belongs to the Deployments that cause it). */
export interface AttachedRisk {
  readonly risk: Risk;
  readonly changes: ReadonlyArray<string>;
}

const INTERNAL_LB = 'service.beta.kubernetes.io/azure-load-balancer-internal';
const WORKLOAD_CLIENT_ID = 'azure.workload.identity/client-id';
const TRACK_LABEL = 'photo-view.io/track';
/** `serving` or `idle` on each track's Deployment (workloads/constructs/labels.ts); the apps stack orders the apply by it. */
const TRAFFIC_ANNOTATION = 'photo-view.io/traffic';

const str = (v: Json | undefined) => (typeof v === 'string' ? v : undefined);
const labelsMatch = (selector: Json | undefined, labels: Json | undefined) =>
  isObject(selector) && Object.keys(selector).length > 0 && isObject(labels) && Object.entries(selector).every(([k, v]) => labels[k] === v);

interface Objects {
  readonly all: ReadonlyArray<JsonObject>;
  readonly byAddress: ReadonlyMap<string, JsonObject>;
}
const index = (list: ReadonlyArray<JsonObject>): Objects => ({ all: list, byAddress: new Map(list.map((o) => [objectAddress(o), o])) });
const ofKind = (objects: Objects, kind: string) => objects.all.filter((o) => o.kind === kind);
const namespaceOf = (o: JsonObject) => str(valueAt(o, ['metadata', 'namespace']));
const nameOf = (o: JsonObject) => str(valueAt(o, ['metadata', 'name'])) ?? '';

/** The HPA scaling a Deployment, if any. */
function autoscalerOf(objects: Objects, deployment: JsonObject): JsonObject | undefined {
  return ofKind(objects, 'HorizontalPodAutoscaler').find(
    (h) =>
      namespaceOf(h) === namespaceOf(deployment) &&
      valueAt(h, ['spec', 'scaleTargetRef', 'kind']) === 'Deployment' &&
      valueAt(h, ['spec', 'scaleTargetRef', 'name']) === nameOf(deployment),
  );
}

/** Pods of a Deployment at rest: its replicas, or its HPA's minimum; and at most (the HPA's maximum). */
function pods(objects: Objects, deployment: JsonObject): { min: number; max: number } {
  const hpa = autoscalerOf(objects, deployment);
  const replicas = valueAt(deployment, ['spec', 'replicas']);
  if (hpa) {
    const min = valueAt(hpa, ['spec', 'minReplicas']);
    const max = valueAt(hpa, ['spec', 'maxReplicas']);
    return { min: typeof min === 'number' ? min : 1, max: typeof max === 'number' ? max : 1 };
  }
  const n = typeof replicas === 'number' ? replicas : 1;
  return { min: n, max: n };
}

function selectedDeployments(objects: Objects, service: JsonObject): JsonObject[] {
  const selector = valueAt(service, ['spec', 'selector']);
  return ofKind(objects, 'Deployment').filter(
    (d) => namespaceOf(d) === namespaceOf(service) && labelsMatch(selector, valueAt(d, ['spec', 'template', 'metadata', 'labels'])),
  );
}

/** A Deployment as the traffic lines name it: its track and its (first container's) image. */
function trackOf(d: JsonObject): Omit<LiveShare, 'percent'> {
  const containers = valueAt(d, ['spec', 'template', 'spec', 'containers']);
  const first = Array.isArray(containers) && isObject(containers[0]) ? containers[0] : {};
  return {
    deployment: nameOf(d),
    track: str(valueAt(d, ['spec', 'template', 'metadata', 'labels', TRACK_LABEL])) ?? nameOf(d),
    image: str(first.image) ?? '',
  };
}

/** Which Deployments a Service sends requests to, by their share of its pods (requests follow pods). */
export function liveShares(objects: Objects, service: JsonObject): LiveShare[] {
  const selected = selectedDeployments(objects, service).map((d) => ({ d, pods: pods(objects, d).min }));
  const total = selected.reduce((sum, s) => sum + s.pods, 0);
  return selected
    .filter((s) => s.pods > 0)
    .map(({ d, pods: n }) => ({ ...trackOf(d), percent: Math.round((n / total) * 100) }))
    .sort((a, b) => a.deployment.localeCompare(b.deployment));
}

const describeTrack = (s: Omit<LiveShare, 'percent'>) => `${s.track} (${s.image.split('/').pop()})`;
const describeShares = (shares: ReadonlyArray<LiveShare>) =>
  shares.length ? shares.map((s) => `${describeTrack(s)} ${s.percent} %`).join(', ') : 'no pods';

/**
 * Whether a Service only ever selects idle tracks (blue/green's preview of the idle colour): it carries
 * no user traffic. A Service whose Deployments carry no traffic annotation counts as carrying users'.
 */
const previewOnly = (deployments: ReadonlyArray<JsonObject>) =>
  deployments.length > 0 && deployments.every((d) => valueAt(d, ['metadata', 'annotations', TRAFFIC_ANNOTATION]) === 'idle');

const isPublic = (service: JsonObject | undefined) =>
  service !== undefined &&
  ['LoadBalancer', 'NodePort'].includes(String(valueAt(service, ['spec', 'type']))) &&
  valueAt(service, ['metadata', 'annotations', INTERNAL_LB]) !== 'true';

/**
 * Kubernetes risks of one environment: immutable fields, deletion of what serves traffic, which colour
 * or share goes live, exposure, identity and capacity.
 *
 * Traffic is judged in the order the apps stack applies (docs/releases.md, "Apply order by role"):
 * Deployments that will serve are rolled out and ready before the Services change, Deployments losing
 * traffic are scaled down after, and a removed Deployment is deleted only after the Services were applied
 * (create_before_destroy). So a Deployment removed by a strategy change, whose traffic the Service has
 * moved to ready successors, is no risk; one whose Service is left with no pods is.
 */
export function kubernetesRisks(
  environment: string,
  baseList: ReadonlyArray<JsonObject>,
  headList: ReadonlyArray<JsonObject>,
  drafts: ReadonlyArray<Draft>,
): AttachedRisk[] {
  const base = index(baseList);
  const head = index(headList);
  const changed = new Map(drafts.map((d) => [d.address, d]));
  const out: AttachedRisk[] = [];
  const add = (kind: RiskKind, level: Level, address: string, message: string, changes: string[], extra: Partial<Risk> = {}) =>
    out.push({ risk: { kind, level, environment, address, message, ...extra }, changes });

  for (const d of drafts) {
    const immutable = d.attributes.filter((a) => a.effect === 'immutable');
    if (d.action === 'update' && immutable.length) {
      add(
        'immutable-field',
        'high',
        d.address,
        `${d.address}: immutable ${immutable.map((a) => a.path).join(', ')} changed: the apply fails unless the object is deleted and re-created`,
        [d.address],
      );
    }
  }

  // Services: traffic, deletion while serving, exposure, capacity.
  const services = new Set([...ofKind(base, 'Service'), ...ofKind(head, 'Service')].map(objectAddress));
  const removedDeployments = ofKind(base, 'Deployment').filter((d) => !head.byAddress.has(objectAddress(d)));
  for (const address of services) {
    const before = base.byAddress.get(address);
    const after = head.byAddress.get(address);
    const was = before ? liveShares(base, before) : [];
    const now = after ? liveShares(head, after) : [];
    const forUsers = !previewOnly([...(before ? selectedDeployments(base, before) : []), ...(after ? selectedDeployments(head, after) : [])]);
    const deployments = [
      ...new Set(
        [...was, ...now].map((s) =>
          objectAddress({ kind: 'Deployment', metadata: { namespace: namespaceOf((after ?? before) as JsonObject) ?? null, name: s.deployment } }),
        ),
      ),
    ];
    const autoscalers = ofKind(head, 'HorizontalPodAutoscaler')
      .concat(ofKind(base, 'HorizontalPodAutoscaler'))
      .map(objectAddress)
      .filter((a) => deployments.some((d) => d.replace(/^Deployment\//, 'HorizontalPodAutoscaler/') === a));
    const touched = [address, ...deployments, ...autoscalers].filter((a) => changed.has(a));
    const related = touched.length ? touched : [...changed.keys()];
    const loadBalanced = isPublic(before) || valueAt(before, ['spec', 'type']) === 'LoadBalancer';
    if (before && !after && loadBalanced) {
      add(
        'serving-deleted',
        'high',
        address,
        `${address} is deleted while serving ${describeShares(was)}: its clients lose the endpoint and its load balancer IP`,
        related,
      );
    } else if (before && !after && was.length > 0) {
      if (forUsers)
        add('serving-deleted', 'high', address, `${address} is deleted while serving ${describeShares(was)}: its clients lose the endpoint`, related);
      else
        add(
          'serving-deleted',
          'medium',
          address,
          `${address} is deleted; it served only idle tracks, no users (${describeShares(was)}): checks through it stop`,
          related,
        );
    }
    if (before && after && was.length + now.length > 0 && !isDeepStrictEqual(was, now)) {
      // Removed Deployments the Service still selects keep getting requests until they are deleted, after the Services are applied.
      const lingering = removedDeployments.filter(
        (d) =>
          namespaceOf(d) === namespaceOf(after) &&
          labelsMatch(valueAt(after, ['spec', 'selector']), valueAt(d, ['spec', 'template', 'metadata', 'labels'])) &&
          pods(base, d).min > 0,
      );
      const meanwhile = lingering.length
        ? `; until the removed ${lingering.map(nameOf).join(', ')} ${lingering.length > 1 ? 'are' : 'is'} deleted, after the Services are applied, it also sends requests to ${lingering.map((d) => describeTrack(trackOf(d))).join(', ')}`
        : '';
      const emptied = now.length === 0 && was.length > 0 && forUsers;
      add(
        'traffic',
        emptied ? 'high' : 'medium',
        address,
        emptied
          ? `${address} is left with no pods to send requests to (was ${describeShares(was)}): its clients get no answer`
          : `${address} goes live on ${describeShares(now)} (was ${describeShares(was)})${meanwhile}`,
        related,
        { live: { before: was, after: now } },
      );
    }
    if ((before || after) && isPublic(before) !== isPublic(after) && after !== undefined) {
      add(
        'public-exposure',
        isPublic(after) ? 'high' : 'medium',
        address,
        isPublic(after)
          ? `${address} becomes reachable from the internet (public load balancer${before ? ', was internal' : ''})`
          : `${address} is no longer public (internal load balancer or no external exposure); its IP address changes`,
        related,
      );
    }
    if (
      before &&
      after &&
      !isDeepStrictEqual(valueAt(before, ['spec', 'loadBalancerSourceRanges']), valueAt(after, ['spec', 'loadBalancerSourceRanges']))
    ) {
      add('public-exposure', 'medium', address, `${address}: allowed source ranges change`, related);
    }
    const capacity = (objects: Objects, service: JsonObject | undefined) =>
      selectedDeployments(objects, service ?? {}).reduce<{ min: number; max: number }>(
        (sum, d) => ({ min: sum.min + pods(objects, d).min, max: sum.max + pods(objects, d).max }),
        { min: 0, max: 0 },
      );
    const c0 = capacity(base, before);
    const c1 = capacity(head, after);
    if (before && after && (c1.min < c0.min || c1.max < c0.max)) {
      add('capacity-lowered', 'medium', address, `${address}: pods behind it ${c0.min}–${c0.max} → ${c1.min}–${c1.max}`, related);
    }
  }

  for (const d of drafts) {
    if (d.type === 'Deployment' && d.action === 'delete') {
      // Deleted after the Services are applied (create_before_destroy): lost are only the requests of a
      // Service that is gone, or left with no pods, once applied. Previews of idle tracks carry none.
      const old = base.byAddress.get(d.address) as JsonObject;
      const lost = ofKind(base, 'Service')
        .filter((s) => pods(base, old).min > 0 && selectedDeployments(base, s).includes(old) && !previewOnly(selectedDeployments(base, s)))
        .map((s) => ({ address: objectAddress(s), after: head.byAddress.get(objectAddress(s)) }))
        .filter((s) => !s.after || liveShares(head, s.after).length === 0);
      for (const s of lost) {
        add(
          'serving-deleted',
          'high',
          d.address,
          s.after
            ? `${d.address} is deleted while ${s.address} still sends it traffic: once applied, the Service has no other pods`
            : `${d.address} is deleted while ${s.address}, deleted too, sends it traffic`,
          [d.address],
        );
      }
    }
    if (d.type === 'PodDisruptionBudget' && d.action === 'update') {
      const allowed = (o: JsonObject | undefined) => ({
        minAvailable: valueAt(o, ['spec', 'minAvailable']),
        maxUnavailable: valueAt(o, ['spec', 'maxUnavailable']),
      });
      const a = allowed(base.byAddress.get(d.from ?? d.address));
      const b = allowed(head.byAddress.get(d.address));
      const lower =
        (typeof a.minAvailable === 'number' && typeof b.minAvailable === 'number' && b.minAvailable < a.minAvailable) ||
        (typeof a.maxUnavailable === 'number' && typeof b.maxUnavailable === 'number' && b.maxUnavailable > a.maxUnavailable);
      if (lower)
        add('capacity-lowered', 'medium', d.address, `${d.address}: more pods may be down at once during node drains and upgrades`, [d.address]);
    }
    if (d.type === 'ServiceAccount' && d.attributes.some((a) => a.path.includes(WORKLOAD_CLIENT_ID))) {
      add('identity', 'medium', d.address, `${d.address}: workload identity client ID changes: its pods act as another Azure identity`, [d.address]);
    }
    if (/^(Cluster)?Role(Binding)?$/.test(d.type)) add('identity', 'medium', d.address, `${d.address}: Kubernetes RBAC ${d.action}d`, [d.address]);
    if (d.type === 'NetworkPolicy' && d.action !== 'create')
      add('public-exposure', 'medium', d.address, `${d.address}: network policy ${d.action}d: which pods may be reached changes`, [d.address]);
    if (['Ingress', 'Gateway', 'HTTPRoute'].includes(d.type))
      add('public-exposure', 'medium', d.address, `${d.address}: ${d.type} ${d.action}d: which hosts and paths reach the app changes`, [d.address]);
  }
  return out;
}
