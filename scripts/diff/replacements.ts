import data from './data/azurerm-4.55.0-replacements.json';
import type { Effect, Json } from './model';

interface Entry {
  readonly path: string;
  readonly effect: 'replace' | 'rotate' | 'one-way';
  readonly doc: string;
}

const RESOURCES: Readonly<Record<string, ReadonlyArray<Entry>>> = data.resources as Record<string, Entry[]>;
const SOURCE = `azurerm ${data.version} docs`;

/** Terraform meta-arguments: they change how Terraform works, not what Azure has. */
const META_ARGUMENTS = new Set(['lifecycle', 'depends_on', 'provider', 'timeouts', 'count', 'for_each', 'provisioner', 'connection']);

export interface Prediction {
  readonly effect: Effect;
  readonly basis: string;
}

// The docs say of os_sku: "Changing this from `AzureLinux` or `Ubuntu` to `AzureLinux` or `Ubuntu` will
// not replace the resource" (kubernetes_cluster and kubernetes_cluster_node_pool, v4.55.0).
const IN_PLACE_OS_SKUS = new Set(['AzureLinux', 'Ubuntu']);

/**
 * What azurerm does when the argument at `path` (dotted, no list indices) of a resource of `type`
 * changes from `old` to `new`: the most specific entry of the provider documentation wins. Arguments
 * it does not list are updated in place, and the basis says that this is an assumption.
 * An entry for a whole block covers what is in it when it re-creates a node pool (`kubelet_config`:
 * any change in it rotates the pool). A block that "forces a new resource" does so when it is added or
 * removed (`network_profile`): terraform-plugin-sdk v2 (helper/schema/schema.go, diffList/diffSet) gives a
 * block's ForceNew to its item count only and diffs the arguments in it with their own schema. So
 * `blockOnBothSides(prefix)` says whether the block exists before and after.
 */
export function predict(
  type: string,
  path: string,
  old: Json | undefined,
  next: Json | undefined,
  blockOnBothSides: (prefix: string) => boolean = () => false,
): Prediction {
  const top = path.split('.')[0];
  if (META_ARGUMENTS.has(top)) return { effect: 'in-place', basis: 'Terraform meta-argument: changes no Azure resource' };
  const entries = RESOURCES[type];
  if (!entries) {
    return type.startsWith('azurerm_')
      ? { effect: 'in-place', basis: `${type} is not in the ${SOURCE} data: assumed in place` }
      : { effect: 'in-place', basis: `not an azurerm resource: assumed in place` };
  }
  const segments = path.split('.');
  for (let n = segments.length; n > 0; n--) {
    const candidate = segments.slice(0, n).join('.');
    const entry = entries.find((e) => e.path === candidate);
    if (!entry) continue;
    if (n < segments.length && entry.effect === 'replace' && blockOnBothSides(candidate)) {
      return {
        effect: 'in-place',
        basis: `${SOURCE}: ${candidate} forces a new resource when it is added or removed; ${path} itself is not listed: assumed in place`,
      };
    }
    if (segments.at(-1) === 'os_sku' && IN_PLACE_OS_SKUS.has(String(old)) && IN_PLACE_OS_SKUS.has(String(next))) {
      return { effect: 'in-place', basis: `${SOURCE}, ${candidate}: ${entry.doc}` };
    }
    return { effect: entry.effect, basis: `${SOURCE}, ${candidate}: ${entry.doc}` };
  }
  return { effect: 'in-place', basis: `not listed as forcing replacement in the ${SOURCE}: assumed in place` };
}
