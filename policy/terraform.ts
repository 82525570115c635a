import type { EnvironmentInput, PolicyObject, TerraformResource } from './model';

/*
 * Reading Terraform JSON (cdktf's cdk.tf.json or hand-written *.tf.json). A nested block is an object
 * in cdktf's output and a list of objects in hand-written JSON; both read the same here.
 */
type Json = Record<string, unknown>;

/** The first (or only) instance of a nested block. */
export function block(body: unknown, name: string): Json {
  const value = body && typeof body === 'object' ? (body as Json)[name] : undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first && typeof first === 'object' ? (first as Json) : {};
}

/** Every instance of a nested block. */
export function blocks(body: unknown, name: string): Json[] {
  const value = body && typeof body === 'object' ? (body as Json)[name] : undefined;
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is Json => Boolean(v) && typeof v === 'object');
}

/** Whether an expression refers to a resource (`${azurerm_key_vault.vault.id}`). */
export const refersTo = (value: unknown, address: string): boolean =>
  typeof value === 'string' && new RegExp(`\\$\\{[^}]*\\b${address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(value);

export const resourcesOfType = (env: EnvironmentInput, type: string): Array<PolicyObject<TerraformResource>> =>
  env.resources.filter((r) => r.value.type === type);

export const AKS = 'azurerm_kubernetes_cluster';
export const AKS_POOL = 'azurerm_kubernetes_cluster_node_pool';

/** A node pool: the cluster's default pool (reported on the cluster) or a separate node pool resource. */
export interface NodePool {
  readonly object: PolicyObject<TerraformResource>;
  /** `default_node_pool 'system'` or `node pool 'apps'`. */
  readonly label: string;
  readonly body: Json;
  readonly cluster: PolicyObject<TerraformResource> | undefined;
}

/** Every node pool of every cluster in the environment. */
export function nodePools(env: EnvironmentInput): NodePool[] {
  const clusters = resourcesOfType(env, AKS);
  return [
    ...clusters.map((cluster) => {
      const body = block(cluster.value.body, 'default_node_pool');
      return { object: cluster, label: `default_node_pool '${body.name ?? '?'}'`, body, cluster };
    }),
    ...resourcesOfType(env, AKS_POOL).map((pool) => ({
      object: pool,
      label: `node pool '${pool.value.body.name ?? pool.value.name}'`,
      body: pool.value.body as Json,
      cluster: clusters.find((c) => refersTo(pool.value.body.kubernetes_cluster_id, c.id)),
    })),
  ];
}

/** Terraform addresses are `type.name`. */
export const address = (resource: TerraformResource) => `${resource.type}.${resource.name}`;
