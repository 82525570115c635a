import { isDeepStrictEqual } from 'node:util';
import { highestLevel, type Action, type AttributeChange, type Change, type Json, type JsonObject } from './model';
import { argumentPath, mustRedact, redactLeaf } from './redact';
import { predict } from './replacements';
import { terraformRisks } from './risks';
import { diffValues, isObject, shownValues, type LeafChange } from './values';

/** The parts of a synthesized `cdk.tf.json` the diff reads. */
export interface StackJson {
  readonly resource?: Record<string, Record<string, JsonObject>>;
  readonly moved?: ReadonlyArray<{ readonly from: string; readonly to: string }>;
  readonly terraform?: JsonObject;
}

interface Resource {
  readonly address: string;
  readonly type: string;
  readonly body: JsonObject;
}

/** What a reference to an attribute of a re-created resource becomes in the plan. */
export const KNOWN_AFTER_APPLY = '(known after apply)';

// Objects applied through kubernetes_manifest are compared as Kubernetes objects (dist/ holds the same
// ones); here only how Terraform applies them (waits, timeouts, field manager) is compared.
const MANIFEST = 'kubernetes_manifest';

function resourcesOf(stack: StackJson | undefined): Map<string, Resource> {
  const map = new Map<string, Resource>();
  for (const [type, byName] of Object.entries(stack?.resource ?? {})) {
    for (const [name, raw] of Object.entries(byName)) {
      const body = { ...raw };
      delete body['//'];
      if (type === MANIFEST) {
        delete body.manifest;
        delete body.depends_on;
      }
      map.set(`${type}.${name}`, { address: `${type}.${name}`, type, body });
    }
  }
  return map;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Rewrites references to moved addresses, so resources that point at a moved one show no change for it. */
function renameReferences(body: JsonObject, moves: ReadonlyMap<string, string>): JsonObject {
  if (moves.size === 0) return body;
  let text = JSON.stringify(body);
  for (const [from, to] of moves) text = text.replace(new RegExp(`(?<![\\w-])${escape(from)}(?![\\w-])`, 'g'), to);
  return JSON.parse(text) as JsonObject;
}

const REFERENCE = /\$\{([a-z][a-z0-9_]*)\.([\w-]+)\.([a-z0-9_]+)((?:\[\d+\]|\.[a-z0-9_]+)*)\}/g;

/**
 * Replaces references to literal arguments of other resources by their values (a registry's
 * `location = ${azurerm_resource_group.x.location}` compares as "westeurope"), and references to any
 * other attribute of a resource that is being re-created by {@link KNOWN_AFTER_APPLY}, as Terraform plans them.
 */
function resolve(resources: ReadonlyMap<string, Resource>, recreated: ReadonlySet<string>): Map<string, Resource> {
  const literal = (value: Json | undefined) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  const substitute = (text: string, depth: number): string =>
    text.replace(REFERENCE, (match, type: string, name: string, attribute: string, rest: string) => {
      const address = `${type}.${name}`;
      const target = resources.get(address)?.body[attribute];
      if (!rest && literal(target) && depth < 8) return substitute(String(target), depth + 1);
      if (recreated.has(address)) return KNOWN_AFTER_APPLY;
      return match;
    });
  const walk = (value: Json): Json => {
    if (typeof value === 'string') return substitute(value, 0);
    if (Array.isArray(value)) return value.map(walk);
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return new Map([...resources].map(([address, r]) => [address, { ...r, body: walk(r.body) as JsonObject }]));
}

/** `lifecycle.ignore_changes` as argument paths (`default_node_pool[0].node_count` → `default_node_pool.node_count`). */
function ignoredPaths(body: JsonObject | undefined): string[] {
  const lifecycle = body?.lifecycle;
  const ignore = isObject(lifecycle) ? lifecycle.ignore_changes : undefined;
  if (ignore === 'all') return [''];
  return Array.isArray(ignore) ? ignore.map((p) => String(p).replace(/\[\d+\]/g, '')) : [];
}

const isIgnored = (argument: string, ignored: ReadonlyArray<string>) =>
  ignored.some((p) => p === '' || argument === p || argument.startsWith(`${p}.`));

/** Arguments that, with the Azure name, identify what a resource is attached to. */
const IDENTITY_ARGUMENTS = [
  'name',
  'resource_group_name',
  'target_resource_id',
  'scope',
  'parent_id',
  'kubernetes_cluster_id',
  'key_vault_id',
  'principal_id',
  'role_definition_name',
  'role_definition_id',
];

/** Pairs removed and added resources of one type that are the same Azure resource under a new address. */
function detectMoves(base: ReadonlyMap<string, Resource>, head: ReadonlyMap<string, Resource>, declared: ReadonlyMap<string, string>) {
  const moves = new Map(declared);
  const removed = [...base.values()].filter((r) => !head.has(r.address) && !moves.has(r.address) && r.type !== MANIFEST);
  const added = [...head.values()].filter((r) => !base.has(r.address) && ![...moves.values()].includes(r.address) && r.type !== MANIFEST);
  const same = [
    // The same Azure name, attached to the same things, is the same Azure resource; otherwise identical arguments.
    (a: Resource, b: Resource) => {
      if (typeof a.body.name !== 'string' || a.body.name.includes('${')) return false;
      const renamed = renameReferences(a.body, moves);
      return IDENTITY_ARGUMENTS.every((k) => isDeepStrictEqual(renamed[k], b.body[k]));
    },
    (a: Resource, b: Resource) => isDeepStrictEqual(renameReferences(a.body, moves), b.body),
  ];
  // Repeat until nothing new pairs: a moved registry makes its diagnostic setting's target match.
  for (let found = true; found;) {
    found = false;
    for (const test of same) {
      for (const old of removed) {
        if (moves.has(old.address)) continue;
        const match = added.find((n) => n.type === old.type && ![...moves.values()].includes(n.address) && test(old, n));
        if (match) {
          moves.set(old.address, match.address);
          found = true;
        }
      }
    }
  }
  return moves;
}

function classify(type: string, leaves: ReadonlyArray<LeafChange>, before?: JsonObject, after?: JsonObject): AttributeChange[] {
  const present = (body: JsonObject | undefined, prefix: string) => {
    const value = prefix.split('.').reduce<Json | undefined>((node, key) => {
      const item = Array.isArray(node) ? node[0] : node;
      return isObject(item) ? item[key] : undefined;
    }, body);
    return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
  };
  return leaves.map((leaf) => {
    const prediction = predict(type, argumentPath(leaf.keys), leaf.old, leaf.new, (prefix) => present(before, prefix) && present(after, prefix));
    const unknown = leaf.new === KNOWN_AFTER_APPLY;
    const basis = unknown ? `${prediction.basis}; the value is known only after the resource it refers to is re-created` : prediction.basis;
    const shown = mustRedact(leaf, { terraformType: type }) ? redactLeaf(leaf) : leaf;
    return { ...shownValues(shown), effect: prediction.effect, basis };
  });
}

function actionOf(attributes: ReadonlyArray<AttributeChange>, moved: boolean): Action {
  if (attributes.some((a) => a.effect === 'replace')) return 'replace';
  if (attributes.some((a) => a.effect === 'rotate')) return 'rotate';
  return moved ? 'move' : 'update';
}

export interface StackComparison {
  readonly environment: string;
  readonly stack: string;
  readonly base: StackJson | undefined;
  readonly head: StackJson | undefined;
}

/**
 * The Terraform changes of one stack: per resource, create / update / delete / replace / rotate /
 * move, with each changed argument old → new and what azurerm does with it. Re-created resources make
 * the arguments that refer to them unknown, which can re-create those too; this repeats until stable.
 */
export function compareStack({ environment, stack, base, head }: StackComparison): Change[] {
  const declared = new Map((head?.moved ?? []).map((m) => [m.from, m.to]));
  const headResources = resourcesOf(head);
  const rawBase = resourcesOf(base);
  const moves = detectMoves(rawBase, headResources, declared);
  const baseResources = new Map(
    [...rawBase.values()].map((r) => {
      const address = moves.get(r.address) ?? r.address;
      return [address, { ...r, address, body: renameReferences(r.body, moves) }] as const;
    }),
  );
  const from = new Map([...moves].map(([f, t]) => [t, f]));
  const resolvedBase = resolve(baseResources, new Set());

  let recreated = new Set<string>();
  for (;;) {
    const resolvedHead = resolve(headResources, recreated);
    const changes = [...new Set([...resolvedBase.keys(), ...resolvedHead.keys()])].sort().flatMap((address): Change[] => {
      const before = resolvedBase.get(address);
      const after = resolvedHead.get(address);
      const resource = (after ?? before) as Resource;
      if (resource.type === MANIFEST && (!before || !after)) return [];
      const ignored = ignoredPaths(after?.body);
      const leaves = diffValues(before?.body, after?.body).filter((l) => !isIgnored(argumentPath(l.keys), ignored));
      const movedFrom = from.get(address);
      if (before && after && leaves.length === 0 && !movedFrom) return [];
      const attributes = classify(resource.type, leaves, before?.body, after?.body);
      const action: Action = !before ? 'create' : !after ? 'delete' : actionOf(attributes, movedFrom !== undefined);
      const name = typeof resource.body.name === 'string' ? resource.body.name : undefined;
      const change = {
        layer: 'terraform' as const,
        environment,
        stack,
        address,
        type: resource.type,
        action,
        attributes,
        ...(name ? { name } : {}),
        ...(movedFrom ? { from: movedFrom } : {}),
        ...(movedFrom && declared.has(movedFrom) ? { notes: [`moved from ${movedFrom} by a moved block in the configuration`] } : {}),
      };
      const risks = terraformRisks(change, { after: after?.body, declaredMove: movedFrom !== undefined && declared.has(movedFrom) });
      return [{ ...change, risks, level: highestLevel(risks.map((r) => r.level)) }];
    });
    const next = new Set(changes.filter((c) => c.action === 'replace').map((c) => c.address));
    if (isDeepStrictEqual(next, recreated)) return [...changes, ...backendChanges(environment, stack, base, head)];
    recreated = next;
  }
}

/** A changed state backend: Terraform would look for the deployed resources somewhere else. */
function backendChanges(environment: string, stack: string, base: StackJson | undefined, head: StackJson | undefined): Change[] {
  if (!base || !head) return [];
  const before = base.terraform?.backend;
  const after = head.terraform?.backend;
  const leaves = diffValues(before, after);
  if (leaves.length === 0) return [];
  const address = 'terraform.backend';
  const risk = {
    kind: 'state-backend' as const,
    level: 'high' as const,
    environment,
    stack,
    address,
    message: `state of ${stack} moves (${leaves.map((l) => l.path).join(', ')}): Terraform would not find the deployed resources and plan to create them all again; migrate the state (terraform init -migrate-state) in the same change`,
  };
  return [
    {
      layer: 'terraform',
      environment,
      stack,
      address,
      type: 'backend',
      action: 'update',
      level: 'high',
      risks: [risk],
      attributes: leaves.map((l) => ({ ...shownValues(l), effect: 'in-place', basis: 'Terraform backend: where the state is kept' })),
    },
  ];
}
