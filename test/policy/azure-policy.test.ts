import { validate } from '../../policy/engine';
import { assignedMembers } from '../../policy/azure-policy/assignments';
import { assignPodSecurity, goodKubernetes, goodTerraform, inputFiles, PROD_FACTS } from './fixtures';

type K = Record<string, any>;

/** AZP001 findings of the fixture after a change: [severity, message] pairs. */
function findings(change: (k8s: K, tf: K) => void): Array<[string, string]> {
  const k8s = goodKubernetes();
  const tf = goodTerraform();
  change(k8s, tf);
  return validate(inputFiles('prod', k8s, tf), { environments: [PROD_FACTS], cdk8sPlusMinor: 28 })
    .findings.filter((f) => f.ruleId === 'AZP001')
    .map((f) => [f.severity, f.message]);
}

const pod = (k: K) => k.deployment.spec.template.spec;
const container = (k: K) => pod(k).containers[0];
const USERS_GROUPS = "'Kubernetes cluster pods and containers should only run with approved user and group IDs'";

describe('AZP001: pods against the Azure Policy pod security initiative the cluster is assigned', () => {
  it('resolves the 8 members with the parameters the initiative passes (groups MustRunAs 1-65535)', () => {
    const tf = goodTerraform();
    assignPodSecurity(tf, 'Deny');
    const env = validate(inputFiles('prod', goodKubernetes(), tf), { environments: [PROD_FACTS] });
    expect(env.findings.filter((f) => f.ruleId === 'AZP001')).toEqual([]);
    const resources = inputFiles('prod', {}, tf).flatMap((f) => f.resources);
    const members = assignedMembers({ resources } as never);
    expect(members.map((m) => [m.member.policyDefinitionReferenceId, m.effect])).toHaveLength(8);
    const users = members.find((m) => m.member.policyDefinitionReferenceId === 'AllowedUsersGroups')!;
    expect(users.effect).toBe('deny');
    expect(users.parameters).toMatchObject({
      runAsUserRule: 'MustRunAsNonRoot',
      supplementalGroupsRule: 'MustRunAs',
      supplementalGroupsRanges: { ranges: [{ min: 1, max: 65535 }] },
      fsGroupRule: 'MustRunAs',
      excludedNamespaces: ['kube-system', 'gatekeeper-system'],
    });
  });

  it('a deny assignment makes a pod without supplementalGroups an error; audit only warns; no assignment, nothing', () => {
    const noGroups = (k: K) => delete pod(k).securityContext.supplementalGroups;
    const message = `deny by ${USERS_GROUPS} (azurerm_resource_policy_assignment.podSecurity): container 'shop': supplementalGroups is unset (rule MustRunAs, allowed 1-65535)`;
    expect(findings((k, t) => (noGroups(k), assignPodSecurity(t, 'deny')))).toEqual([['error', message]]);
    expect(findings((k, t) => (noGroups(k), assignPodSecurity(t, 'audit')))).toEqual([['warning', message.replace(/^deny/, 'audit')]]);
    expect(findings((k, t) => (noGroups(k), assignPodSecurity(t, 'disabled')))).toEqual([]);
    expect(findings((k) => noGroups(k))).toEqual([]);
  });

  it('a deny assignment that is not enforced (enforce = false) only warns', () => {
    const found = findings((k, t) => {
      delete pod(k).securityContext.fsGroup;
      assignPodSecurity(t, 'deny');
      t.resource.azurerm_resource_policy_assignment.podSecurity.enforce = false;
    });
    expect(found.map(([severity]) => severity)).toEqual(['warning']);
  });

  it('respects the excluded namespaces of the assignment', () => {
    const noGroups = (k: K) => delete pod(k).securityContext.supplementalGroups;
    expect(findings((k, t) => (noGroups(k), assignPodSecurity(t, 'deny', ['kube-system', 'shop'])))).toEqual([]);
    expect(findings((k, t) => (noGroups(k), assignPodSecurity(t, 'deny', ['kube-*', 'sho*'])))).toEqual([]);
    expect(findings((k, t) => (noGroups(k), assignPodSecurity(t, 'deny', ['kube-system'])))).toHaveLength(1);
  });

  it('checks each member: out-of-range groups, missing runAsUser, escalation, seccomp, capabilities, volumes, host namespaces', () => {
    const deny = (change: (k: K) => void) => findings((k, t) => (change(k), assignPodSecurity(t, 'deny'))).map(([, m]) => m.replace(/^.*\): /, ''));
    expect(deny((k) => (pod(k).securityContext.supplementalGroups = [0, 10001]))).toEqual(["container 'shop': supplementalGroups 0 outside 1-65535"]);
    expect(deny((k) => (pod(k).securityContext.runAsGroup = 70000))).toEqual(["container 'shop': runAsGroup 70000 outside 1-65535"]);
    // runAsNonRoot alone does not satisfy the Azure template: it needs a runAsUser.
    expect(deny((k) => delete pod(k).securityContext.runAsUser)).toEqual(["container 'shop': runAsUser is unset (rule MustRunAsNonRoot)"]);
    expect(deny((k) => delete container(k).securityContext.allowPrivilegeEscalation)).toEqual([
      "container 'shop': allowPrivilegeEscalation is not false",
    ]);
    expect(deny((k) => (pod(k).securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' }))).toEqual([
      "container 'shop': seccomp profile Localhost is not allowed (allowed: runtime/default, docker/default)",
    ]);
    expect(deny((k) => delete pod(k).securityContext.seccompProfile)).toEqual([
      "container 'shop': no seccomp profile (allowed: runtime/default, docker/default)",
    ]);
    // The restricted initiative's capability list allows NET_RAW and requires no drop.
    expect(deny((k) => (container(k).securityContext.capabilities = { add: ['NET_RAW'] }))).toEqual([]);
    expect(deny((k) => (container(k).securityContext.capabilities = { add: ['SYS_ADMIN'] }))).toEqual([
      "container 'shop': capabilities.add has SYS_ADMIN, not in the allowed list",
    ]);
    expect(deny((k) => pod(k).volumes.push({ name: 'host', hostPath: { path: '/' } }))).toEqual([
      "volume 'host' is of type hostPath (allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret)",
    ]);
    expect(deny((k) => Object.assign(pod(k), { hostNetwork: true, hostPID: true }))).toEqual(['hostNetwork is true', 'hostPID is true']);
    expect(deny((k) => (container(k).ports[0].hostPort = 8080))).toEqual(["container 'shop': hostPort 8080 is not allowed"]);
    expect(deny((k) => (container(k).securityContext.privileged = true))).toEqual(["container 'shop': privileged is true"]);
  });

  it('checks a member definition assigned alone, with its own parameters', () => {
    const found = findings((k, t) => {
      delete pod(k).securityContext.fsGroup;
      t.resource.azurerm_resource_policy_assignment = {
        users: {
          name: 'users-groups',
          resource_id: '${azurerm_kubernetes_cluster.cluster.id}',
          policy_definition_id: '/providers/Microsoft.Authorization/policyDefinitions/f06ddb64-5fa3-4b77-b166-acb36f7f6042',
          parameters: JSON.stringify({
            effect: { value: 'deny' },
            fsGroupRule: { value: 'MustRunAs' },
            fsGroupRanges: { value: { ranges: [{ min: 1, max: 5 }] } },
          }),
        },
      };
    });
    expect(found).toEqual([['error', expect.stringContaining("container 'shop': fsGroup is unset (rule MustRunAs, allowed 1-5)")]]);
  });
});
