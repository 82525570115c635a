import { highestLevel, type AttributeChange, type Change, type JsonObject } from './model';
import { kubernetesRisks } from './kubernetes-risks';
import { mustRedact, redactLeaf } from './redact';
import { diffValues, isObject, objectAddress, shownValues, type LeafChange } from './values';

/** A name that ends in a content hash (`photo-view-settings-2a891f1b4c`): a new name is a new version of the same object. */
const HASHED_NAME = /^(.+)-[0-9a-f]{8,}$/;

interface Immutable {
  readonly kinds: ReadonlyArray<string>;
  readonly field: (keys: ReadonlyArray<string>, before: JsonObject) => boolean;
}

// Fields the API server refuses to change (Kubernetes API reference and validation, v1.32):
// workload selectors (apps/v1 "field is immutable"), a Job's template, a Service's clusterIP(s), data of
// a ConfigMap or Secret marked `immutable: true` (and the flag itself), a Secret's type, a binding's roleRef,
// a PersistentVolumeClaim's spec except its storage request.
const IMMUTABLE: ReadonlyArray<Immutable> = [
  { kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'], field: (k) => k[0] === 'spec' && k[1] === 'selector' },
  { kinds: ['StatefulSet'], field: (k) => k[0] === 'spec' && ['serviceName', 'volumeClaimTemplates', 'podManagementPolicy'].includes(k[1]) },
  { kinds: ['Job'], field: (k) => k[0] === 'spec' && ['selector', 'template', 'completionMode'].includes(k[1]) },
  { kinds: ['Service'], field: (k) => k[0] === 'spec' && ['clusterIP', 'clusterIPs'].includes(k[1]) },
  {
    kinds: ['ConfigMap', 'Secret'],
    field: (k, before) => before.immutable === true && ['data', 'binaryData', 'stringData', 'immutable'].includes(k[0]),
  },
  { kinds: ['Secret'], field: (k) => k[0] === 'type' },
  { kinds: ['RoleBinding', 'ClusterRoleBinding'], field: (k) => k[0] === 'roleRef' },
  { kinds: ['PersistentVolumeClaim'], field: (k) => k[0] === 'spec' && k[1] !== 'resources' && k[1] !== 'volumeAttributesClassName' },
];

const IMMUTABLE_BASIS =
  'immutable field (Kubernetes API): the API server rejects the change ("field is immutable"); the object must be deleted and re-created';

function classify(
  kind: string,
  before: JsonObject | undefined,
  leaves: ReadonlyArray<LeafChange>,
  renamed: boolean,
  deleted: boolean,
): AttributeChange[] {
  return leaves.map((leaf) => {
    // Only an update of the same object can be refused: a created or deleted object has no "change" of a field.
    const immutable =
      before !== undefined && !deleted && !renamed && IMMUTABLE.some((rule) => rule.kinds.includes(kind) && rule.field(leaf.keys, before));
    const basis = immutable
      ? IMMUTABLE_BASIS
      : renamed && leaf.path === 'metadata.name'
        ? 'content-hashed name: the new version is created under the new name and the old one pruned; workloads that use it roll out'
        : 'updated in place (server-side apply)';
    const shown = mustRedact(leaf, { kubernetesKind: kind }) ? redactLeaf(leaf) : leaf;
    return { ...shownValues(shown), effect: immutable ? 'immutable' : 'in-place', basis };
  });
}

/**
 * The Kubernetes changes of one environment: create, update or delete per object, field by field. A
 * content-hashed ConfigMap or Secret under a new name is one update of its data.
 */
export function compareObjects(environment: string, base: ReadonlyArray<JsonObject>, head: ReadonlyArray<JsonObject>): Change[] {
  const before = new Map(base.map((o) => [objectAddress(o), o]));
  const after = new Map(head.map((o) => [objectAddress(o), o]));
  const renamedFrom = new Map<string, string>();
  const gone = [...before.keys()].filter((a) => !after.has(a));
  for (const address of [...after.keys()].filter((a) => !before.has(a))) {
    const stem = HASHED_NAME.exec(address)?.[1];
    const match =
      stem && gone.find((old) => HASHED_NAME.exec(old)?.[1] === stem && !renamedFrom.has(old) && ![...renamedFrom.values()].includes(old));
    if (match) renamedFrom.set(address, match);
  }
  const pairedOld = new Set(renamedFrom.values());
  const addresses = [...new Set([...before.keys(), ...after.keys()])].filter((a) => !pairedOld.has(a)).sort();
  const drafts = addresses.flatMap((address) => {
    const from = renamedFrom.get(address);
    const old = before.get(from ?? address);
    const next = after.get(address);
    const leaves = diffValues(old, next);
    if (leaves.length === 0) return [];
    const object = (next ?? old) as JsonObject;
    const kind = String(object.kind);
    const name = isObject(object.metadata) && typeof object.metadata.name === 'string' ? object.metadata.name : undefined;
    return [
      {
        layer: 'kubernetes' as const,
        environment,
        address,
        type: kind,
        action: !old ? ('create' as const) : !next ? ('delete' as const) : ('update' as const),
        attributes: classify(kind, old, leaves, from !== undefined, next === undefined),
        ...(name ? { name } : {}),
        ...(from ? { from } : {}),
      },
    ];
  });
  const risks = kubernetesRisks(environment, base, head, drafts);
  return drafts.map((d) => {
    const own = risks.filter((r) => r.changes.includes(d.address)).map((r) => r.risk);
    return { ...d, risks: own, level: highestLevel(own.map((r) => r.level)) };
  });
}
