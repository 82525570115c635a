import { assignedMembers } from '../azure-policy/assignments';
import { MEMBER_CHECKS } from '../azure-policy/members';
import { namespaceOf, podOwners } from '../kubernetes';
import type { Rule, Violation } from '../model';

/*
 * The Azure Policy definitions the environment's Terraform assigns to its cluster, applied offline to
 * the pods its manifests create, with the parameters of the assignment: what Gatekeeper in the cluster
 * will do to them. A deny assignment refuses the pod (its Deployment applies, its pods never start),
 * so that is an error; an audit assignment only reports, so a warning.
 */

/** Gatekeeper namespace patterns: exact, or a prefix ending in `*`. */
const matchesNamespace = (patterns: unknown, namespace: string) =>
  Array.isArray(patterns) && patterns.map(String).some((p) => (p.endsWith('*') ? namespace.startsWith(p.slice(0, -1)) : p === namespace));

export const AZURE_POLICY_RULES: Rule[] = [
  {
    id: 'AZP001',
    layer: 'cross-layer',
    severity: 'error',
    title: 'Pods pass the Azure Policy pod security definitions assigned to the cluster',
    why: 'Gatekeeper refuses, at admission, every pod a deny assignment forbids: the Deployment applies and its pods never start.',
    fix: 'Change the pod template to satisfy the named definition (e.g. set securityContext.supplementalGroups), or change the assignment (effect, excluded namespaces).',
    docs: 'https://learn.microsoft.com/azure/aks/policy-reference',
    check: (env) => {
      const members = assignedMembers(env).filter((m) => m.effect !== 'disabled');
      return podOwners(env.kubernetes).flatMap((owner): Violation[] => {
        const namespace = namespaceOf(owner.object.value);
        return members.flatMap((m) => {
          const { excludedNamespaces, namespaces } = m.parameters;
          if (matchesNamespace(excludedNamespaces, namespace)) return [];
          if (Array.isArray(namespaces) && namespaces.length > 0 && !matchesNamespace(namespaces, namespace)) return [];
          const problems = MEMBER_CHECKS[m.member.policyDefinitionReferenceId]?.(owner, m.parameters) ?? [];
          return problems.map((problem) => ({
            object: owner.object,
            message: `${m.effect} by '${m.member.displayName}' (${m.assignment.id}): ${problem}`,
            severity: m.effect === 'deny' ? 'error' : 'warning',
          }));
        });
      });
    },
  },
];
