import type { EnvironmentConfig } from '../../config';
import { builtinRole, builtinRoleById } from './builtin-roles';
import {
  CUSTOM_ROLES,
  githubIdentity,
  identityGrants,
  requiredRegistrations,
  subscriptionOf,
  type CustomRoleDefinition,
  type Grant,
  type GrantScope,
  type IdentityKind,
} from './grants';
import { APPLY_PHASES, PLAN_PHASES, namespaceScope, resourceOperations, stateOperations, type Operation } from './operations';
import { conditionAllows, roleAllows, type Permissions } from './permissions';
import { providersOf } from './providers';
import { customRoleGuid } from './role-ids';

/**
 * The offline permission proof: every Azure operation Terraform performs for an environment's synthesized
 * stacks is allowed by the grants of the identity that runs it, and every resource provider they use is
 * registered first. The deploy identity applies (all phases); the plan identity plans pull requests, the
 * deploy's plan job and drift (refresh only).
 */

// oxlint-disable-next-line typescript/no-explicit-any -- Terraform JSON is untyped: each resource type has its own attributes
export type Attributes = Record<string, any>;

/** A synthesized stack: its name and Terraform JSON. */
export interface SynthesizedStack {
  name: string;
  json: { resource?: Record<string, Record<string, Attributes>>; data?: Record<string, Record<string, Attributes>> };
}

export interface AccessProblem {
  stack: string;
  /** Terraform address, e.g. azurerm_role_assignment.KubeletAcrPull_1234 or data.azurerm_kubernetes_cluster.Cluster. */
  address: string;
  /** `denied`: the identity cannot perform the operation; `unregistered`: a resource provider is missing. */
  kind: 'denied' | 'unregistered';
  identity?: IdentityKind;
  operation?: Operation;
  /** What is missing: the action (and role) or the provider namespace. */
  missing: string;
  message: string;
}

/** What the proof checks against; tests replace parts of it to show each known stop. */
export interface AccessModel {
  grants: Record<IdentityKind, Grant[]>;
  customRoles: CustomRoleDefinition[];
  registrations: { providers: string[] };
}

/** The identity that runs each phase set. */
const RUNS: { identity: IdentityKind; phases: typeof APPLY_PHASES; does: string }[] = [
  { identity: 'deploy', phases: APPLY_PHASES, does: 'apply' },
  { identity: 'plan', phases: PLAN_PHASES, does: 'plan' },
];

/** The access model of an environment as grants.ts defines it. */
export function accessModel(env: EnvironmentConfig): AccessModel {
  return { grants: identityGrants(env), customRoles: CUSTOM_ROLES, registrations: requiredRegistrations(env) };
}

function permissionsOf(grant: Grant, customRoles: CustomRoleDefinition[]): Permissions {
  if ('builtIn' in grant.role) return builtinRole(grant.role.builtIn);
  const name = grant.role.custom;
  const role = customRoles.find((r) => r.name === name);
  if (!role) throw new Error(`grant refers to custom role '${name}', which is not defined`);
  return role;
}

/**
 * Whether a grant's scope contains the operation's scope. Terraform references point into the stack, so into
 * the subscription, as does the environment's cluster.
 */
function covers(scope: GrantScope, opScope: string, env: EnvironmentConfig): boolean {
  if (opScope === 'stateContainer') return scope.kind === 'stateContainer' || scope.kind === 'stateAccount';
  const literalSub = opScope.startsWith('/subscriptions/') ? subscriptionOf(opScope) : undefined;
  const inSubscription = literalSub === undefined || literalSub === env.subscriptionId.toLowerCase();
  const within = (id: string) => {
    const [outer, target] = [id.toLowerCase(), opScope.toLowerCase()];
    return target === outer || target.startsWith(`${outer}/`);
  };
  switch (scope.kind) {
    case 'subscription':
      return inSubscription;
    case 'resource':
      return within(scope.id);
    case 'planIdentity':
      return within(githubIdentity(env, 'plan').id);
    case 'appNamespace':
      return within(namespaceScope(env.app.namespace));
    default:
      return false;
  }
}

function allowed(op: Operation, grants: Grant[], model: AccessModel, env: EnvironmentConfig): boolean {
  return grants.some(
    (g) =>
      covers(g.scope, op.scope, env) &&
      roleAllows(permissionsOf(g, model.customRoles), op.action, op.data) &&
      conditionAllows(g.condition, { action: op.action, roleDefinitionId: op.roleDefinitionId }),
  );
}

/** A role's name by GUID: built-in, or the environment's copy of a custom role (role-ids.ts). */
function roleName(guid: string, model: AccessModel, env: EnvironmentConfig): string {
  const id = guid.toLowerCase();
  return builtinRoleById(id)?.roleName ?? model.customRoles.find((r) => customRoleGuid(r.name, env) === id)?.name ?? guid;
}

function describe(op: Operation, model: AccessModel, env: EnvironmentConfig): string {
  const role = op.roleDefinitionId ? ` of role '${roleName(op.roleDefinitionId, model, env)}' (${op.roleDefinitionId})` : '';
  return `${op.data ? 'data action ' : ''}${op.action}${role}`;
}

/** Every resource and data source of a stack with its Terraform address and type key. */
function resourcesOf(stack: SynthesizedStack): { address: string; type: string; resource: Attributes }[] {
  const out: { address: string; type: string; resource: Attributes }[] = [];
  for (const [type, byName] of Object.entries(stack.json.resource ?? {})) {
    for (const [name, resource] of Object.entries(byName)) out.push({ address: `${type}.${name}`, type, resource });
  }
  for (const [type, byName] of Object.entries(stack.json.data ?? {})) {
    for (const [name, resource] of Object.entries(byName)) out.push({ address: `data.${type}.${name}`, type: `data.${type}`, resource });
  }
  return out;
}

/** The problems that would stop a first deploy, a plan or a drift check of these stacks; empty when none. */
export function proveAccess(stacks: SynthesizedStack[], env: EnvironmentConfig, model: AccessModel = accessModel(env)): AccessProblem[] {
  const problems: AccessProblem[] = [];
  const registered = new Set(model.registrations.providers.map((p) => p.toLowerCase()));
  for (const stack of stacks) {
    const resources = resourcesOf(stack);
    for (const { address, type } of resources) {
      for (const namespace of providersOf(type)) {
        if (registered.has(namespace.toLowerCase())) continue;
        problems.push({
          stack: stack.name,
          address,
          kind: 'unregistered',
          missing: namespace,
          message: `${stack.name}: ${address} needs resource provider ${namespace} registered in the subscription before the first deploy; add it to requiredRegistrations (infra/access/grants.ts)`,
        });
      }
    }
    for (const { identity, phases, does } of RUNS) {
      const grants = model.grants[identity];
      const checks = [
        ...resources.flatMap(({ address, type, resource }) => resourceOperations(type, resource).map((op) => ({ address, op }))),
        ...stateOperations(phases).map((op) => ({ address: `terraform state (${stack.name})`, op })),
      ];
      // One problem per action, naming every phase that needs it.
      const denied = new Map<string, { address: string; op: Operation; phases: string[] }>();
      for (const { address, op } of checks) {
        if (!phases.includes(op.phase) || allowed(op, grants, model, env)) continue;
        const key = [address, op.action, op.scope, op.roleDefinitionId].join('|');
        const seen = denied.get(key);
        if (seen) seen.phases.push(op.phase);
        else denied.set(key, { address, op, phases: [op.phase] });
      }
      for (const { address, op, phases: needed } of denied.values()) {
        const missing = describe(op, model, env);
        problems.push({
          stack: stack.name,
          address,
          kind: 'denied',
          identity,
          operation: op,
          missing,
          message: `${stack.name}: the ${identity} identity cannot ${does} ${address}: ${needed.join('/')} needs ${missing} on ${op.scope}, which none of its grants (infra/access/grants.ts) allows`,
        });
      }
    }
  }
  return problems;
}
