import { containsAddress, parseCidr, parseIpv4, type Ipv4Cidr } from '../../config/address-plan';
import type { Manifest } from './synth';

/*
 * A small evaluator of Kubernetes NetworkPolicies (networking.k8s.io/v1 semantics): is a connection
 * allowed? Pure: it reads only the policies and the endpoints it is given. A connection between two
 * pods needs the source's egress and the destination's ingress; a pod that no policy of a direction
 * selects is open in that direction.
 * Engine: under Cilium (this repository's clusters) an ipBlock matches only addresses outside the
 * cluster, never pods or nodes (https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium#limitations);
 * `generic` matches ipBlocks against any address.
 */

type Labels = Readonly<Record<string, string>>;
interface Selector {
  matchLabels?: Labels;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}
interface Peer {
  ipBlock?: { cidr: string; except?: string[] };
  namespaceSelector?: Selector;
  podSelector?: Selector;
}
interface Rule {
  ports?: Array<{ port?: number | string; protocol?: string; endPort?: number }>;
  to?: Peer[];
  from?: Peer[];
}

/** A pod: namespace, its labels and address. */
export interface Pod {
  readonly kind: 'pod';
  readonly namespace: string;
  readonly labels: Labels;
  readonly ip: string;
}
/** A node, or an address outside the cluster. */
export interface Host {
  readonly kind: 'node' | 'external';
  readonly ip: string;
}
export type Endpoint = Pod | Host;
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface Cluster {
  readonly policies: ReadonlyArray<Manifest>;
  /** Labels of each namespace (kubernetes.io/metadata.name is added). */
  readonly namespaces?: Readonly<Record<string, Labels>>;
  readonly engine?: 'cilium' | 'generic';
}

export function selects(selector: Selector | undefined, labels: Labels): boolean {
  if (!selector) return true;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) =>
    operator === 'In'
      ? key in labels && values.includes(labels[key])
      : operator === 'NotIn'
        ? !(key in labels) || !values.includes(labels[key])
        : operator === 'Exists'
          ? key in labels
          : !(key in labels),
  );
  return byLabel && byExpression;
}

const cidr = (text: string): Ipv4Cidr => {
  const parsed = parseCidr(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};
const address = (text: string): number => {
  const parsed = parseIpv4(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};

function peerMatches(cluster: Cluster, peer: Peer, policyNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock) {
    if (other.kind !== 'external' && (cluster.engine ?? 'cilium') === 'cilium') return false;
    const ip = address(other.ip);
    return containsAddress(cidr(peer.ipBlock.cidr), ip) && !(peer.ipBlock.except ?? []).some((e) => containsAddress(cidr(e), ip));
  }
  if (other.kind !== 'pod') return false;
  const namespaceLabels = { ...cluster.namespaces?.[other.namespace], 'kubernetes.io/metadata.name': other.namespace };
  const namespaceOk = peer.namespaceSelector ? selects(peer.namespaceSelector, namespaceLabels) : other.namespace === policyNamespace;
  return namespaceOk && selects(peer.podSelector, other.labels);
}

function portMatches(rule: Rule, port: number, protocol: Protocol): boolean {
  if (!rule.ports || rule.ports.length === 0) return true;
  return rule.ports.some(
    (p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || (Number(p.port) <= port && port <= (p.endPort ?? Number(p.port)))),
  );
}

/** Whether `pod`'s policies of one direction let it talk to `other` on `port`. */
function directionAllows(cluster: Cluster, direction: 'Ingress' | 'Egress', pod: Pod, other: Endpoint, port: number, protocol: Protocol): boolean {
  const policies = cluster.policies.filter(
    (p) =>
      p.kind === 'NetworkPolicy' &&
      p.metadata.namespace === pod.namespace &&
      selects(p.spec.podSelector, pod.labels) &&
      (p.spec.policyTypes ?? ['Ingress']).includes(direction),
  );
  if (policies.length === 0) return true;
  return policies.some((p) =>
    ((direction === 'Egress' ? p.spec.egress : p.spec.ingress) ?? []).some((rule: Rule) => {
      const peers = direction === 'Egress' ? rule.to : rule.from;
      const peerOk = !peers || peers.length === 0 || peers.some((peer) => peerMatches(cluster, peer, pod.namespace, other));
      return peerOk && portMatches(rule, port, protocol);
    }),
  );
}

/** Whether a connection from `source` to `destination` on `port`/`protocol` is allowed. */
export function allowed(cluster: Cluster, source: Endpoint, destination: Endpoint, port: number, protocol: Protocol = 'TCP'): boolean {
  const out = source.kind !== 'pod' || directionAllows(cluster, 'Egress', source, destination, port, protocol);
  const into = destination.kind !== 'pod' || directionAllows(cluster, 'Ingress', destination, source, port, protocol);
  return out && into;
}
