import { builtinRole } from '../../../infra/access/builtin-roles';
import { assignOnlyCondition } from '../../../infra/access/grants';
import { conditionAllows, matches, parseAssignCondition, roleAllows } from '../../../infra/access/permissions';

const ACR_PULL = builtinRole('AcrPull').id;
const NETWORK_CONTRIBUTOR = builtinRole('Network Contributor').id;

describe('Azure permission patterns', () => {
  it('lets * match any run of characters, slashes included', () => {
    expect(matches('*', 'Microsoft.Network/virtualNetworks/subnets/join/action')).toBe(true);
    expect(matches('*/read', 'Microsoft.ContainerService/managedClusters/read')).toBe(true);
    expect(matches('*/read', 'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action')).toBe(false);
    expect(matches('Microsoft.ContainerService/managedClusters/*/read', 'Microsoft.ContainerService/managedClusters/apps/deployments/read')).toBe(
      true,
    );
    expect(matches('Microsoft.KeyVault/vaults/secrets/*', 'Microsoft.KeyVault/vaultsX/secrets/getSecret/action')).toBe(false);
  });

  it('ignores case', () => {
    expect(matches('Microsoft.Authorization/*/Write', 'Microsoft.Authorization/policyAssignments/write')).toBe(true);
    expect(matches('Microsoft.Authorization/policyassignments/*', 'Microsoft.Authorization/policyAssignments/write')).toBe(true);
  });

  it("subtracts NotActions from the same role's Actions only", () => {
    const contributor = builtinRole('Contributor');
    expect(roleAllows(contributor, 'Microsoft.ContainerService/managedClusters/write', false)).toBe(true);
    expect(roleAllows(contributor, 'Microsoft.Authorization/roleAssignments/write', false)).toBe(false);
    expect(roleAllows(contributor, 'Microsoft.Authorization/policyAssignments/write', false)).toBe(false);
    // Another role still allows what Contributor's NotActions exclude.
    expect(roleAllows(builtinRole('Role Based Access Control Administrator'), 'Microsoft.Authorization/roleAssignments/write', false)).toBe(true);
    const planReader = {
      actions: [],
      notActions: [],
      dataActions: ['Microsoft.ContainerService/managedClusters/*/read'],
      notDataActions: ['Microsoft.ContainerService/managedClusters/secrets/read'],
    };
    expect(roleAllows(planReader, 'Microsoft.ContainerService/managedClusters/namespaces/read', true)).toBe(true);
    expect(roleAllows(planReader, 'Microsoft.ContainerService/managedClusters/SECRETS/read', true)).toBe(false);
  });

  it('keeps control-plane Actions and DataActions apart', () => {
    // Contributor's "*" is no data action: it cannot read a secret value.
    expect(roleAllows(builtinRole('Contributor'), 'Microsoft.KeyVault/vaults/secrets/getSecret/action', true)).toBe(false);
    expect(roleAllows(builtinRole('Key Vault Secrets User'), 'Microsoft.KeyVault/vaults/secrets/getSecret/action', true)).toBe(true);
    expect(roleAllows(builtinRole('Key Vault Reader'), 'Microsoft.KeyVault/vaults/secrets/getSecret/action', true)).toBe(false);
  });
});

describe('role assignment conditions', () => {
  const condition = assignOnlyCondition([ACR_PULL]);

  it('allows assigning and removing the listed roles only', () => {
    expect(conditionAllows(condition, { action: 'Microsoft.Authorization/roleAssignments/write', roleDefinitionId: ACR_PULL })).toBe(true);
    expect(conditionAllows(condition, { action: 'Microsoft.Authorization/roleAssignments/write', roleDefinitionId: NETWORK_CONTRIBUTOR })).toBe(
      false,
    );
    expect(conditionAllows(condition, { action: 'Microsoft.Authorization/roleAssignments/delete', roleDefinitionId: NETWORK_CONTRIBUTOR })).toBe(
      false,
    );
    expect(conditionAllows(condition, { action: 'Microsoft.Authorization/roleAssignments/read' })).toBe(true);
  });

  it("is Azure's documented format", () => {
    expect(condition).toBe(
      `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ACR_PULL}})) AND ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${ACR_PULL}}))`,
    );
  });

  it('refuses any other condition loudly', () => {
    expect(() => parseAssignCondition("@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:ContainerName] StringEquals 'x'")).toThrow(
      /unsupported role assignment condition/,
    );
    // The delete clause must read the existing assignment (@Resource), not the request.
    expect(() => parseAssignCondition(condition.replace('@Resource', '@Request'))).toThrow(/unsupported/);
  });
});
