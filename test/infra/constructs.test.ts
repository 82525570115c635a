import { Testing, TerraformStack } from '../../infra/cdktf';
import { ContainerRegistry } from '../../infra/constructs/container-registry';
import { ResourceGroup } from '../../infra/constructs/resource-group';
import { OPEN_NETWORK_ACCESS } from '../../infra/constructs/service-network-access';
import { terraformTestApp } from '../support/test-apps';

/** A registry in a fresh stack; the props the test does not name are a valid Basic registry's. */
function registry(props: Partial<ConstructorParameters<typeof ContainerRegistry>[2]>) {
  const stack = new TerraformStack(terraformTestApp(), 'test');
  const resourceGroup = new ResourceGroup(stack, 'Rg', { name: 'rg-test', location: 'westeurope' });
  new ContainerRegistry(stack, 'Registry', {
    resourceGroup,
    name: 'crtest0001',
    sku: 'Basic',
    zoneRedundancy: false,
    geoReplicationLocations: [],
    logAnalyticsWorkspaceId: '/subscriptions/x/workspaces/log',
    networkAccess: OPEN_NETWORK_ACCESS,
    ...props,
  });
  return JSON.parse(Testing.synth(stack)).resource.azurerm_container_registry.Registry_4DB9CCA5;
}

describe('ContainerRegistry refuses props it would otherwise ignore', () => {
  it('rejects geo-replication on a non-Premium registry', () => {
    expect(() => registry({ sku: 'Standard', geoReplicationLocations: ['northeurope'] })).toThrow(
      "registry 'crtest0001': geoReplicationLocations needs sku 'Premium' (sku is 'Standard')",
    );
  });
  it('rejects zone redundancy on a non-Premium registry', () => {
    expect(() => registry({ sku: 'Basic', zoneRedundancy: true })).toThrow(
      "registry 'crtest0001': zoneRedundancy needs sku 'Premium' (sku is 'Basic')",
    );
  });
  it('rejects untagged-manifest retention on a non-Premium registry', () => {
    expect(() => registry({ untaggedRetentionDays: 7 })).toThrow("registry 'crtest0001': untaggedRetentionDays needs sku 'Premium' (sku is 'Basic')");
  });
  it('sets all three on a Premium registry', () => {
    expect(registry({ sku: 'Premium', zoneRedundancy: true, geoReplicationLocations: ['northeurope'], untaggedRetentionDays: 7 })).toMatchObject({
      zone_redundancy_enabled: true,
      retention_policy_in_days: 7,
      georeplications: [{ location: 'northeurope', zone_redundancy_enabled: true }],
    });
  });
  it('rejects a firewall or closed public access on a non-Premium registry', () => {
    expect(() => registry({ sku: 'Standard', networkAccess: { publicNetworkAccess: true, defaultAction: 'Deny', allowedIpRanges: [] } })).toThrow(
      "registry 'crtest0001': network restrictions (public access off or default action Deny) need sku 'Premium' (sku is 'Standard')",
    );
    expect(() => registry({ sku: 'Basic', networkAccess: { publicNetworkAccess: false, defaultAction: 'Deny', allowedIpRanges: [] } })).toThrow(
      /need sku 'Premium'/,
    );
  });
});
