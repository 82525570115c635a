import { isDeepStrictEqual } from 'node:util';
import type { Json, JsonObject } from './model';

/** One differing leaf between two JSON values; `undefined` means absent on that side. */
export interface LeafChange {
  /** Display path, e.g. `default_node_pool.vm_size`, `spec.template.spec.containers[photo-view].image`. */
  readonly path: string;
  /** The keys along the path (list items by their name or index), for lookups. */
  readonly keys: ReadonlyArray<string>;
  readonly old?: Json;
  readonly new?: Json;
}

export const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A map key in a path: dotted when it is a plain word, quoted otherwise (label keys like app.kubernetes.io/name). */
const keySegment = (key: string) => (/^[A-Za-z_][\w-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

/** List items are matched by `name` when every item has a distinct one (containers, env, ports), else by index. */
function itemKeys(items: Json[]): string[] | undefined {
  const names = items.map((item) => (isObject(item) && typeof item.name === 'string' ? item.name : undefined));
  if (names.some((n) => n === undefined) || new Set(names).size !== names.length) return undefined;
  return names as string[];
}

/**
 * The leaves that differ between `a` and `b`. Lists of scalars compare as one value (zones, args);
 * lists of objects item by item; an object missing on one side is compared with an empty one, so every
 * new or removed nested value shows.
 */
export function diffValues(a: Json | undefined, b: Json | undefined, path = '', keys: string[] = []): LeafChange[] {
  if (isDeepStrictEqual(a, b)) return [];
  const objectLike = (v: Json | undefined) => v === undefined || isObject(v);
  if ((isObject(a) || isObject(b)) && objectLike(a) && objectLike(b)) {
    const left = a ?? {};
    const right = b ?? {};
    const all = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    return all.flatMap((k) => diffValues(left[k], right[k], path ? path + keySegment(k) : k, [...keys, k]));
  }
  const objectList = (v: Json | undefined) => v === undefined || (Array.isArray(v) && v.length > 0 && v.every(isObject));
  if ((Array.isArray(a) || Array.isArray(b)) && objectList(a) && objectList(b)) {
    const left = (a ?? []) as Json[];
    const right = (b ?? []) as Json[];
    const leftKeys = itemKeys(left);
    const rightKeys = itemKeys(right);
    if (leftKeys && rightKeys) {
      const all = [...new Set([...leftKeys, ...rightKeys])];
      return all.flatMap((k) => diffValues(left[leftKeys.indexOf(k)], right[rightKeys.indexOf(k)], `${path}[${k}]`, [...keys, k]));
    }
    const length = Math.max(left.length, right.length);
    return Array.from({ length }, (_, i) => diffValues(left[i], right[i], `${path}[${i}]`, [...keys, String(i)])).flat();
  }
  return [{ path, keys, ...(a === undefined ? {} : { old: a }), ...(b === undefined ? {} : { new: b }) }];
}

/** A leaf as the report shows it: path and values, without the lookup keys. */
export function shownValues(leaf: LeafChange & { redacted?: true }): { path: string; old?: Json; new?: Json; redacted?: true } {
  return {
    path: leaf.path,
    ...(leaf.old === undefined ? {} : { old: leaf.old }),
    ...(leaf.new === undefined ? {} : { new: leaf.new }),
    ...(leaf.redacted ? { redacted: true as const } : {}),
  };
}

/** A short, one-line rendering of a value for text and Markdown. */
export function formatValue(value: Json | undefined, max = 120): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A Kubernetes object's address: `<Kind>/<namespace>/<name>`, or `<Kind>/<name>` when cluster-scoped. */
export function objectAddress(object: JsonObject): string {
  const metadata = isObject(object.metadata) ? object.metadata : {};
  return [object.kind, metadata.namespace, metadata.name].filter((p) => typeof p === 'string' && p.length > 0).join('/');
}
