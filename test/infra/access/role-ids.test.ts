import { customRoleDefinitionId, customRoleGuid, uuidV5 } from '../../../infra/access/role-ids';

const DEV = { name: 'dev', subscriptionId: '11111111-1111-1111-1111-111111111111', tenantId: '00000000-0000-0000-0000-000000000000' };

describe('custom role IDs', () => {
  it('are RFC 4122 version 5 UUIDs (values from Python uuid.uuid5(uuid.NAMESPACE_URL, name))', () => {
    expect(uuidV5('python.org')).toBe('7af94e2b-4dd9-50f0-9c9a-8a48519bdef0');
    expect(uuidV5('https://example.com/x')).toBe('49517db3-5541-5e91-9cd4-395dd68a97ac');
  });

  it('depend on the role, the environment, its subscription and its tenant only (not on letter case)', () => {
    const guid = customRoleGuid('Subnet joiner', DEV);
    expect(customRoleGuid('Subnet joiner', { ...DEV, subscriptionId: DEV.subscriptionId.toUpperCase() })).toBe(guid);
    for (const other of [
      { name: 'prod' },
      { subscriptionId: '22222222-2222-2222-2222-222222222222' },
      { tenantId: '99999999-9999-9999-9999-999999999999' },
    ]) {
      expect(customRoleGuid('Subnet joiner', { ...DEV, ...other })).not.toBe(guid);
    }
    expect(customRoleGuid('AKS plan reader', DEV)).not.toBe(guid);
    expect(customRoleDefinitionId('Subnet joiner', DEV)).toBe(
      `/subscriptions/${DEV.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    );
  });
});
