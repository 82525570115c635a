import type { AttributeChange, Change, Json, JsonObject, Level, Risk, RiskKind } from './model';
import { formatValue, isObject } from './values';

/*
 * The risk list: one line per thing a reviewer must not miss. Terraform rules here; Kubernetes rules,
 * which need the whole set of objects (Services select Deployments), in kubernetes-risks.ts.
 */

/** Resources whose loss loses data, images, secrets or the cluster itself. */
const STATEFUL =
  /^azurerm_(kubernetes_cluster|container_registry|key_vault|log_analytics_workspace|resource_group|storage_account|(postgresql|mysql|mssql)_\w+|cosmosdb_\w+|redis_cache)$/;
/** Arguments and resource types that decide who can reach what. */
const EXPOSURE_ARGUMENT =
  /(public_network_access|network_rule|network_acls|api_server_access_profile|authorized_ip_ranges|private_cluster|node_public_ip|anonymous_pull|ip_rules?|allowed_ips|outbound_type|load_balancer_profile|public_ip)/;
const EXPOSURE_TYPE = /^azurerm_(public_ip\w*|network_security_\w+|firewall\w*|private_endpoint|\w+_firewall_rule)$/;
/** Arguments and resource types that decide who is who and may do what. */
const IDENTITY_ARGUMENT =
  /^(identity|kubelet_identity|azure_active_directory_role_based_access_control|workload_identity_enabled|oidc_issuer_enabled|local_account_disabled|access_policy|admin_enabled|role_based_access_control_enabled|enable_rbac_authorization|rbac_authorization_enabled)\b/;
const IDENTITY_TYPE = /^azurerm_(role_assignment|role_definition|federated_identity_credential|user_assigned_identity|key_vault_access_policy)$/;
const NODE_POOL_COUNTS = /^(default_node_pool\.)?(max_count|min_count|node_count)$/;
const VERSION = /(^|\.)(kubernetes_version|orchestrator_version)$/;

export const isStateful = (type: string) => STATEFUL.test(type);

type Draft = Omit<Change, 'risks' | 'level'>;

const argument = (a: AttributeChange) => a.path.replace(/\[[^\]]*\]/g, '');
const oldNew = (a: AttributeChange) => `${formatValue(a.old)} → ${formatValue(a.new)}`;

export interface TerraformRiskContext {
  /** The resource's arguments in the head (absent when deleted). */
  readonly after?: JsonObject;
  /** The address change is declared by a `moved` block, so Terraform moves the state. */
  readonly declaredMove: boolean;
}

/** The risks of one Terraform change. */
export function terraformRisks(change: Draft, context: TerraformRiskContext): Risk[] {
  const risks: Risk[] = [];
  const add = (kind: RiskKind, level: Level, message: string, extra: Partial<Risk> = {}) =>
    risks.push({ kind, level, environment: change.environment, stack: change.stack, address: change.address, message, ...extra });
  const label = change.name ? `${change.address} (${change.name})` : change.address;
  const stateful = isStateful(change.type);

  if (change.action === 'replace') {
    const why = change.attributes
      .filter((a) => a.effect === 'replace')
      .map((a) => `${a.path} ${oldNew(a)}`)
      .join('; ');
    add(stateful ? 'stateful-replaced' : 'replaced', stateful ? 'high' : 'medium', `${label} is destroyed and re-created: ${why}`);
  }
  if (change.action === 'delete') add(stateful ? 'stateful-destroyed' : 'destroyed', stateful ? 'high' : 'medium', `${label} is destroyed`);
  if (change.from && !context.declaredMove) {
    const moved = { from: change.from, to: change.address };
    add(
      'address-changed',
      stateful ? 'high' : 'medium',
      `${change.from} → ${change.address}: without a moved block Terraform destroys the old address and creates the new one; ` +
        `add moved { from = ${moved.from}  to = ${moved.to} } (cdktf: resource.moveFromId("${moved.from}"))`,
      { moved },
    );
  }

  const rotated = change.attributes.filter((a) => a.effect === 'rotate');
  if (rotated.length > 0) {
    const pool = change.type === 'azurerm_kubernetes_cluster' ? context.after?.default_node_pool : context.after;
    const poolBody = Array.isArray(pool) ? pool[0] : pool;
    const poolName = isObject(poolBody) ? poolBody.name : undefined;
    const temporary = isObject(poolBody) ? poolBody.temporary_name_for_rotation : undefined;
    const what = rotated.map((a) => `${a.path} ${oldNew(a)}`).join('; ');
    if (temporary) {
      add(
        'node-pool-rotation',
        'medium',
        `node pool ${formatValue(poolName)} of ${label} is re-created through temporary pool ${formatValue(temporary)}, every node replaced: ${what}`,
      );
    } else {
      add(
        'node-pool-rotation',
        'high',
        `node pool ${formatValue(poolName)} of ${label} needs re-creating (${what}) but sets no temporary_name_for_rotation: the apply fails`,
      );
    }
  }

  for (const a of change.attributes.filter((x) => x.effect === 'one-way')) {
    const undoing = a.new === undefined || a.new === false;
    add(
      'one-way',
      undoing ? 'high' : 'medium',
      undoing
        ? `${label}: ${a.path} ${oldNew(a)} cannot be undone once set: the apply fails`
        : `${label}: ${a.path} ${oldNew(a)} cannot be undone later`,
    );
  }

  const exposure = change.attributes.filter((a) => EXPOSURE_ARGUMENT.test(argument(a)));
  if (EXPOSURE_TYPE.test(change.type) && change.action !== 'update') add('public-exposure', 'medium', `${label}: network exposure ${change.action}d`);
  else if (exposure.length)
    add('public-exposure', 'medium', `${label}: network exposure changes: ${exposure.map((a) => `${a.path} ${oldNew(a)}`).join('; ')}`);

  const identity = change.attributes.filter((a) => IDENTITY_ARGUMENT.test(argument(a)));
  const beyondTags = change.attributes.some((a) => !argument(a).startsWith('tags'));
  if (IDENTITY_TYPE.test(change.type) && (change.action !== 'update' || beyondTags)) {
    const role = context.after?.role_definition_name;
    add(
      'identity',
      'medium',
      `${label}: ${change.type.replace(/^azurerm_/, '').replace(/_/g, ' ')} ${change.action === 'move' ? 'moved' : `${change.action}d`}${typeof role === 'string' ? ` (role ${role})` : ''}`,
    );
  } else if (identity.length) {
    add('identity', 'medium', `${label}: identity or access changes: ${identity.map((a) => `${a.path} ${oldNew(a)}`).join('; ')}`);
  }

  const lowered = change.attributes.filter(
    (a) => NODE_POOL_COUNTS.test(argument(a)) && typeof a.old === 'number' && typeof a.new === 'number' && a.new < a.old,
  );
  if (lowered.length && change.action !== 'delete')
    add('capacity-lowered', 'medium', `${label}: node pool capacity lowered: ${lowered.map((a) => `${a.path} ${oldNew(a)}`).join('; ')}`);

  const versions = change.attributes.filter((a) => VERSION.test(argument(a)) && a.old !== undefined && a.new !== undefined);
  if (versions.length)
    add('kubernetes-version', 'medium', `${label}: Kubernetes version ${versions.map((a) => `${a.path} ${oldNew(a)}`).join('; ')}`);

  return risks;
}

/** The value at a dotted path of an object, for rules that read a field. */
export function valueAt(object: Json | undefined, path: ReadonlyArray<string>): Json | undefined {
  return path.reduce<Json | undefined>((node, key) => (isObject(node) ? node[key] : undefined), object);
}
