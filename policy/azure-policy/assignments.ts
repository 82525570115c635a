import type { EnvironmentInput, PolicyObject, TerraformResource } from '../model';
import data from './pod-security-restricted.json';

/*
 * Which Azure Policy Kubernetes definitions the Terraform of an environment assigns, and with which
 * parameters: the built-in initiative "Kubernetes cluster pod security restricted standards for
 * Linux-based workloads" (or any of its 8 members assigned alone). The definitions, the values the
 * initiative passes to each member and their defaults are data copied from Azure/azure-policy (see
 * `source` in pod-security-restricted.json).
 */

type Json = Record<string, unknown>;
export type Parameters = Readonly<Record<string, unknown>>;

/** One member policy of the initiative, as the data file holds it. */
export interface MemberDefinition {
  readonly id: string;
  readonly policyDefinitionReferenceId: string;
  readonly displayName: string;
  readonly parametersFromInitiative: Readonly<Record<string, unknown>>;
  readonly definitionDefaults: Parameters;
}

export const INITIATIVE = data.initiative;
export const MEMBERS: ReadonlyArray<MemberDefinition> = data.policies;

/** Every azurerm resource that assigns a policy (definition or set) at some scope. */
const ASSIGNMENT_TYPES = [
  'azurerm_resource_policy_assignment',
  'azurerm_resource_group_policy_assignment',
  'azurerm_subscription_policy_assignment',
  'azurerm_management_group_policy_assignment',
];

/** A member definition in force, with the parameters it gets and the effect they resolve to. */
export interface AssignedMember {
  readonly assignment: PolicyObject<TerraformResource>;
  readonly member: MemberDefinition;
  readonly parameters: Parameters;
  /** `deny` refuses pods at admission; `audit` only reports them; `disabled` does nothing. */
  readonly effect: 'deny' | 'audit' | 'disabled';
}

/** `{ name: { value } }`, the shape of an assignment's `parameters` JSON; `{}` when absent or not plain JSON. */
function assignmentValues(body: Json): Json {
  if (typeof body.parameters !== 'string') return {};
  try {
    const parsed = JSON.parse(body.parameters) as Json;
    return Object.fromEntries(Object.entries(parsed).map(([name, v]) => [name, (v as Json | null)?.value]));
  } catch {
    return {};
  }
}

const isFromInitiative = (v: unknown): v is { fromInitiativeParameter: string; initiativeDefault: unknown } =>
  Boolean(v) && typeof v === 'object' && 'fromInitiativeParameter' in (v as Json);

/** What a member receives through the initiative: fixed values, or the initiative's parameter (assigned or default). */
function throughInitiative(member: MemberDefinition, given: Json): Json {
  return Object.fromEntries(
    Object.entries(member.parametersFromInitiative).map(([name, v]) =>
      isFromInitiative(v) ? [name, given[v.fromInitiativeParameter] ?? v.initiativeDefault] : [name, v],
    ),
  );
}

function effectOf(parameters: Parameters, body: Json): AssignedMember['effect'] {
  const effect = String(parameters.effect ?? 'audit').toLowerCase();
  if (effect === 'disabled') return 'disabled';
  // enforce = false is enforcementMode DoNotEnforce: deny effects are evaluated but not applied.
  // https://learn.microsoft.com/azure/governance/policy/concepts/assignment-structure#enforcement-mode
  return effect === 'deny' && body.enforce !== false ? 'deny' : 'audit';
}

/** The member definitions the environment's Terraform assigns, each with its resolved parameters. */
export function assignedMembers(env: EnvironmentInput): AssignedMember[] {
  return env.resources
    .filter((r) => ASSIGNMENT_TYPES.includes(r.value.type))
    .flatMap((assignment) => {
      const body = assignment.value.body;
      const definitionId = String(body.policy_definition_id ?? '').toLowerCase();
      const given = assignmentValues(body);
      const viaInitiative = definitionId === INITIATIVE.resourceId.toLowerCase();
      return MEMBERS.flatMap((member) => {
        const alone = definitionId.endsWith(`/policydefinitions/${member.id}`);
        if (!viaInitiative && !alone) return [];
        const parameters = { ...member.definitionDefaults, ...(viaInitiative ? throughInitiative(member, given) : given) };
        return [{ assignment, member, parameters, effect: effectOf(parameters, body) }];
      });
    });
}
