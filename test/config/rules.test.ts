import { configErrorOf, environment } from './fixtures';

/*
 * Cross-field rules of the environment config (config/validate.ts): each is rejected with its field and
 * reason, and the nearest valid value is accepted, so moving a boundary fails a test.
 */
describe('system pool size', () => {
  // A single system node cannot be drained (upgrades, node-image updates) without taking CoreDNS and
  // metrics-server down; only the Free tier, which has no uptime SLA anyway, may run one.
  it('rejects a system pool minCount below 2 on a tier with an uptime SLA', () => {
    const message = configErrorOf(() => environment('staging', { kubernetes: { skuTier: 'Standard', systemPool: { minCount: 1 } } }));
    expect(message).toContain(
      "kubernetes.systemPool.minCount = 1: minCount (1) must be >= 2 with skuTier 'Standard' so the system pool can be drained",
    );
  });

  it('accepts a system pool minCount of 2 on Standard, and of 1 on Free', () => {
    expect(environment('staging', { kubernetes: { skuTier: 'Standard', systemPool: { minCount: 2 } } }).kubernetes.systemPool.minCount).toBe(2);
    expect(environment('dev', { kubernetes: { skuTier: 'Free', systemPool: { minCount: 1 } } }).kubernetes.systemPool.minCount).toBe(1);
  });
});

describe('registry retention', () => {
  it('rejects untagged-manifest retention on a registry that is not Premium', () => {
    const message = configErrorOf(() => environment('staging', { registry: { sku: 'Standard', untaggedRetentionDays: 7 } }));
    expect(message).toContain("registry.untaggedRetentionDays = 7: untagged-manifest retention needs sku 'Premium' (sku is 'Standard')");
  });

  it('accepts retention on Premium', () => {
    expect(environment('prod', { registry: { sku: 'Premium', untaggedRetentionDays: 7 } }).registry.untaggedRetentionDays).toBe(7);
  });
});

describe('registry geo-replication', () => {
  it("rejects a replica in the registry's home region", () => {
    const message = configErrorOf(() =>
      environment('prod', { location: 'westeurope', registry: { geoReplicationLocations: ['northeurope', 'westeurope'] } }),
    );
    expect(message).toContain(
      `registry.geoReplicationLocations = ["northeurope","westeurope"]: 'westeurope' is the registry's home region; replicate to other regions only`,
    );
  });

  it('accepts replicas in other regions', () => {
    expect(environment('prod', { registry: { geoReplicationLocations: ['northeurope', 'swedencentral'] } }).registry.geoReplicationLocations).toEqual(
      ['northeurope', 'swedencentral'],
    );
  });
});
