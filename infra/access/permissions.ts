/**
 * Azure RBAC evaluation, as far as the access proof needs it.
 * - `*` matches any run of characters (slashes included); matching ignores case.
 * - A role allows an operation when one of its Actions (DataActions for data operations) matches and none
 *   of the same role's NotActions (NotDataActions) does: NotActions subtract only from their own role,
 *   another role that allows the operation still does.
 * @see https://learn.microsoft.com/azure/role-based-access-control/role-definitions#actions-format
 * @see https://learn.microsoft.com/azure/role-based-access-control/role-definitions#notactions
 */

/** Role permissions in Azure's shape (built-in or custom). */
export interface Permissions {
  actions: readonly string[];
  notActions: readonly string[];
  dataActions: readonly string[];
  notDataActions: readonly string[];
}

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Whether an Azure permission pattern (with `*` wildcards) matches an operation. */
export function matches(pattern: string, operation: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`, 'i');
  return regex.test(operation);
}

/** Whether the role allows the operation: a control-plane action, or a data action when `data` is set. */
export function roleAllows(role: Permissions, operation: string, data: boolean): boolean {
  const [allow, deny] = data ? [role.dataActions, role.notDataActions] : [role.actions, role.notActions];
  return allow.some((p) => matches(p, operation)) && !deny.some((p) => matches(p, operation));
}

/** What an ABAC condition sees of a request: the action and, for role assignments, the role being assigned. */
export interface ConditionRequest {
  action: string;
  roleDefinitionId?: string;
}

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
// One clause of the "constrain roles" condition, exactly as grants.ts writes it.
const CLAUSE = new RegExp(
  `^\\(\\(!\\(ActionMatches\\{'(Microsoft\\.Authorization/roleAssignments/(?:write|delete))'\\}\\)\\) OR \\(@(Request|Resource)\\[Microsoft\\.Authorization/roleAssignments:RoleDefinitionId\\] ForAnyOfAnyValues:GuidEquals \\{((?:${GUID})(?:, ${GUID})*)\\}\\)\\)$`,
);

/** A parsed role-assignment condition: for each constrained action, the role GUIDs it may use. */
export type AssignCondition = Map<string, Set<string>>;

/**
 * Parses the role-assignment condition grants.ts generates (Azure's "constrain roles" example: one clause
 * for write, checked on @Request, one for delete, checked on @Resource). Any other condition throws: the
 * proof would otherwise guess what Azure decides.
 */
export function parseAssignCondition(condition: string): AssignCondition {
  const clauses = condition.split(' AND ');
  const parsed: AssignCondition = new Map();
  for (const clause of clauses) {
    const m = CLAUSE.exec(clause);
    const expected = m && (m[1].endsWith('/write') ? 'Request' : 'Resource');
    if (!m || m[2] !== expected || parsed.has(m[1].toLowerCase())) {
      throw new Error(
        `unsupported role assignment condition: ${JSON.stringify(clause)}; the access proof evaluates only the format of assignOnlyCondition() in infra/access/grants.ts`,
      );
    }
    parsed.set(m[1].toLowerCase(), new Set(m[3].split(', ').map((g) => g.toLowerCase())));
  }
  return parsed;
}

/**
 * Whether a condition lets the request through. Actions the condition does not name pass (that is what
 * `!(ActionMatches{...}) OR ...` says); a constrained action passes only for a listed role GUID.
 */
export function conditionAllows(condition: string | undefined, request: ConditionRequest): boolean {
  if (!condition) return true;
  const allowed = parseAssignCondition(condition).get(request.action.toLowerCase());
  if (!allowed) return true;
  return request.roleDefinitionId !== undefined && allowed.has(request.roleDefinitionId.toLowerCase());
}
