import { Testing, TerraformStack } from '../../infra/cdktf';
import writer from '../../infra/constructs/data/aks-rbac-writer.json';
import { APP_TEAM_WRITER_ROLE, appTeamWriterRoleName, NamespaceAccess, NAMESPACE_ROLES } from '../../infra/constructs/namespace-access';
import { customRoleGuid } from '../../infra/access/role-ids';
import { terraformTestApp } from '../support/test-apps';

/*
 * The app team's write access: the built-in Writer minus Secrets and ServiceAccount writes (the built-in
 * Writer's own description says it reads Secrets and can act as any ServiceAccount of the namespace).
 */

const SUBSCRIPTION = '11111111-1111-1111-1111-111111111111';
const CLUSTER = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks`;
const DEV = { name: 'dev', subscriptionId: SUBSCRIPTION, tenantId: '00000000-0000-0000-0000-000000000000' };

function assignments(props: Partial<ConstructorParameters<typeof NamespaceAccess>[2]>) {
  const stack = new TerraformStack(terraformTestApp(), 'test');
  new NamespaceAccess(stack, 'Access', {
    clusterId: CLUSTER,
    namespace: 'photo-view',
    groupObjectId: 'g',
    access: 'write',
    environment: DEV,
    ...props,
  });
  return Object.values(JSON.parse(Testing.synth(stack)).resource.azurerm_role_assignment) as Array<Record<string, string>>;
}

describe('app team writer role', () => {
  const SECRETS = 'Microsoft.ContainerService/managedClusters/secrets/';
  const SERVICE_ACCOUNTS = 'Microsoft.ContainerService/managedClusters/serviceaccounts/';

  it('is the built-in Writer (copied with its source) without Secrets and with ServiceAccounts read-only', () => {
    expect(writer.roleName).toBe(NAMESPACE_ROLES.write);
    expect(writer.source).toMatch(/containers\.md at commit [0-9a-f]{40}/);
    expect(writer.dataActions).toContain(`${SECRETS}*`);
    expect(writer.dataActions).toContain(`${SERVICE_ACCOUNTS}*`);
    expect(APP_TEAM_WRITER_ROLE.dataActions.filter((a) => a.startsWith(SECRETS))).toEqual([]);
    expect(APP_TEAM_WRITER_ROLE.dataActions.filter((a) => a.startsWith(SERVICE_ACCOUNTS))).toEqual([`${SERVICE_ACCOUNTS}read`]);
    const kept = writer.dataActions.filter((a) => !a.startsWith(SECRETS) && !a.startsWith(SERVICE_ACCOUNTS));
    expect(APP_TEAM_WRITER_ROLE.dataActions).toEqual(expect.arrayContaining(kept));
    expect(APP_TEAM_WRITER_ROLE.dataActions).toHaveLength(kept.length + 1);
    expect(APP_TEAM_WRITER_ROLE.actions).toEqual(writer.actions);
  });

  it("assigns the environment's copy on the namespace by its deterministic ID (no lookup by name), never the built-in Writer", () => {
    expect(appTeamWriterRoleName('dev')).toBe('AKS namespace writer without Secrets (dev)');
    const guid = customRoleGuid(APP_TEAM_WRITER_ROLE.name, DEV);
    const all = assignments({});
    expect(all).toContainEqual({
      scope: `${CLUSTER}/namespaces/photo-view`,
      role_definition_id: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
      principal_id: 'g',
      principal_type: 'Group',
    });
    expect(all.map((a) => a.role_definition_name)).not.toContain(NAMESPACE_ROLES.write);
    // Another environment's copy is another role.
    expect(customRoleGuid(APP_TEAM_WRITER_ROLE.name, { ...DEV, name: 'prod' })).not.toBe(guid);
  });

  it('keeps the built-in Reader for read access', () => {
    expect(assignments({ access: 'read' }).map((a) => a.role_definition_name)).toContain(NAMESPACE_ROLES.read);
  });
});
