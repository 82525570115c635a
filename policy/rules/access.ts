import * as path from 'node:path';
import type { EnvironmentConfig } from '../../config/schema';
import { providersOf } from '../../infra/access/providers';
import { resourceOperations } from '../../infra/access/operations';
import { accessModel, proveAccess, type AccessModel, type SynthesizedStack } from '../../infra/access/proof';
import type { EnvironmentInput, PolicyObject, Rule, TerraformResource, Violation } from '../model';

/*
 * The access proof (infra/access/proof.ts) as a rule: what Terraform will call for an environment's
 * stacks, resources and data sources, checked against the grants of the identities that run them.
 */

/** The stack a resource came from: the folder of its cdk.tf.json, or the file name without .tf.json. */
function stackOf(resource: PolicyObject<TerraformResource>): string {
  const file = resource.source.file;
  return path.basename(file) === 'cdk.tf.json' ? path.basename(path.dirname(file)) : path.basename(file).replace(/\.tf\.json$/, '');
}

/** Why the proof cannot judge an object (a type, Kubernetes kind or role it does not know), or undefined. */
function unjudgeable(r: TerraformResource): string | undefined {
  try {
    providersOf(r.type);
    resourceOperations(r.type, r.body);
    return undefined;
  } catch (error) {
    return `the access proof cannot check it: ${(error as Error).message}`;
  }
}

function check(input: EnvironmentInput, modelOf: (env: EnvironmentConfig) => AccessModel): Violation[] {
  const env = input.config;
  if (!env || input.resources.length === 0) return [];
  const violations: Violation[] = [];
  const stacks = new Map<string, SynthesizedStack>();
  const byAddress = new Map<string, PolicyObject<TerraformResource>>();
  for (const r of input.resources) {
    // An unknown type would stop the whole proof: report it, and prove the rest.
    const unknown = unjudgeable(r.value);
    if (unknown) {
      violations.push({ object: r, message: unknown });
      continue;
    }
    const name = stackOf(r);
    const stack = stacks.get(name) ?? { name, json: {} };
    stacks.set(name, stack);
    // policy/inputs.ts reads a data source as type `data.<type>`; the proof reads Terraform JSON's sections.
    const isData = r.value.type.startsWith('data.');
    const section = isData ? (stack.json.data ??= {}) : (stack.json.resource ??= {});
    (section[isData ? r.value.type.slice('data.'.length) : r.value.type] ??= {})[r.value.name] = r.value.body;
    byAddress.set(`${name}|${r.id}`, r);
  }
  const proved = proveAccess([...stacks.values()], env, modelOf(env)).map((problem) => ({
    object: byAddress.get(`${problem.stack}|${problem.address}`) ?? input.resources.find((r) => stackOf(r) === problem.stack) ?? input.resources[0],
    message: problem.message,
  }));
  return [...violations, ...proved];
}

/** ACCESS001 against a model; tests give one with a grant taken away to show what the rule reports. */
export function accessRule(modelOf: (env: EnvironmentConfig) => AccessModel = accessModel): Rule {
  return {
    id: 'ACCESS001',
    layer: 'azure',
    severity: 'error',
    title: 'The identities that deploy and plan the environment may do what its stacks need',
    why: 'A first deploy from an empty subscription stops halfway when the deploy identity lacks a permission (a role it must assign, a policy assignment, a secret it writes), and plans fail when the plan identity cannot refresh a resource or read a data source; Azure reports it only at apply, after some resources exist.',
    fix: 'Change the grants in infra/access/grants.ts (least privilege: a narrow custom role or a condition rather than a broad role), or change the stack so it does not need the permission; then re-run the bootstrap. For a type the proof does not know, add its operations (infra/access/operations.ts) and resource providers (infra/access/providers.ts).',
    docs: 'https://learn.microsoft.com/azure/role-based-access-control/role-definitions',
    check: (input) => check(input, modelOf),
  };
}

export const ACCESS_RULES: ReadonlyArray<Rule> = [accessRule()];
