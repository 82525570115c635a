import { DAYS_PER_MONTH, diskTier, estimateCost, HOURS_PER_MONTH, snapshotGaps, type CostEstimate } from '../../cost/estimate';
import { cluster, NO_USAGE, row, stack, testPrices } from './fixtures';

/*
 * The arithmetic on small hand-made stacks (test/cost/fixtures.ts: D2ds_v5 $0.10/h, D4ds_v5 $0.20/h, AKS
 * uptime SLA $0.10/h, Basic registry unit $0.24/day, Premium $1.20/day, ...). Each expected figure is worked
 * out in the comment above it.
 */
const prices = testPrices();
const line = (estimate: CostEstimate, id: string) => estimate.lines.find((l) => l.id === id);

describe('estimateCost', () => {
  it('counts a month as 730 hours', () => {
    // One D2ds_v5 node all month: 730 h × $0.10 = $73.00. The Free tier adds $0.
    const estimate = estimateCost({ platform: stack({ azurerm_kubernetes_cluster: { c: cluster() } }) }, NO_USAGE, prices);
    expect(HOURS_PER_MONTH).toBe(730);
    expect(line(estimate, 'nodes:aks-test/system')).toMatchObject({ quantity: { min: 730, max: 730 }, unit: 'node-hours', unitPrice: 0.1 });
    expect(estimate.min).toBeCloseTo(73, 10);
    expect(estimate.max).toBeCloseTo(73, 10);
    expect(estimate).toMatchObject({ currency: 'USD', pricesAsOf: '2026-11-30', partial: false, unpriced: [] });
  });

  it('prices a node pool from min_count to max_count: a maxCount change moves only the max', () => {
    // System pool D2ds_v5 at 1 node ($73) plus an autoscaled apps pool of D4ds_v5 (730 h × $0.20 = $146 a node):
    // 1 to 3 nodes: min 73 + 146 = 219, max 73 + 3 × 146 = 511.
    const platform = (maxCount: number) =>
      stack({
        azurerm_kubernetes_cluster: { c: cluster() },
        azurerm_kubernetes_cluster_node_pool: {
          apps: {
            name: 'apps',
            kubernetes_cluster_id: '${azurerm_kubernetes_cluster.c.id}',
            vm_size: 'Standard_D4ds_v5',
            auto_scaling_enabled: true,
            min_count: 1,
            max_count: maxCount,
            os_disk_type: 'Ephemeral',
          },
        },
      });
    const before = estimateCost({ platform: platform(3) }, NO_USAGE, prices);
    expect([before.min, before.max]).toEqual([expect.closeTo(219, 10), expect.closeTo(511, 10)]);
    expect(line(before, 'nodes:aks-test/apps')).toMatchObject({
      quantity: { min: 730, max: 2190 },
      assumption: 'min_count 1 to max_count 3 nodes, all month',
    });
    // max_count 3 → 5: the max grows by 2 × $146 = $292 to 803; the min stays 219.
    const after = estimateCost({ platform: platform(5) }, NO_USAGE, prices);
    expect(after.min).toBeCloseTo(before.min, 10);
    expect(after.max).toBeCloseTo(803, 10);
  });

  it('a tier change from Free to Standard moves both min and max by the uptime SLA', () => {
    // Free: $73 (the node). Standard: + 730 h × $0.10 = $73 on both → $146.
    const free = estimateCost({ platform: stack({ azurerm_kubernetes_cluster: { c: cluster({ sku_tier: 'Free' }) } }) }, NO_USAGE, prices);
    const standard = estimateCost({ platform: stack({ azurerm_kubernetes_cluster: { c: cluster({ sku_tier: 'Standard' }) } }) }, NO_USAGE, prices);
    expect(line(free, 'aks-tier:aks-test')).toMatchObject({
      monthlyMin: 0,
      monthlyMax: 0,
      assumption: expect.stringMatching(/Free tier has no cluster management charge/),
    });
    expect(line(standard, 'aks-tier:aks-test')).toMatchObject({
      unitPrice: 0.1,
      monthlyMin: expect.closeTo(73, 10),
      monthlyMax: expect.closeTo(73, 10),
    });
    expect([standard.min - free.min, standard.max - free.max]).toEqual([expect.closeTo(73, 10), expect.closeTo(73, 10)]);
  });

  it('a geo-replica adds a Premium registry unit in the replica region', () => {
    // Premium registry: 730 / 24 = 30.4167 days × $1.20 = $36.50; a replica in northeurope: another $36.50 → $73.00.
    const registry = (georeplications: unknown[]) =>
      stack({ azurerm_container_registry: { r: { name: 'crtest', location: 'westeurope', sku: 'Premium', georeplications } } });
    const single = estimateCost({ platform: registry([]) }, NO_USAGE, prices);
    const replicated = estimateCost({ platform: registry([{ location: 'northeurope', zone_redundancy_enabled: true }]) }, NO_USAGE, prices);
    expect(DAYS_PER_MONTH).toBeCloseTo(30.4167, 4);
    expect(single.max).toBeCloseTo(36.5, 10);
    expect(replicated.max).toBeCloseTo(73, 10);
    expect(line(replicated, 'registry-replica:crtest/northeurope')).toMatchObject({ unit: 'registry-days', monthlyMax: expect.closeTo(36.5, 10) });
    // A replica in a region the price list lacks is unpriced, not free.
    const elsewhere = estimateCost({ platform: registry([{ location: 'swedencentral' }]) }, NO_USAGE, prices);
    expect(elsewhere.max).toBeCloseTo(36.5, 10);
    expect(elsewhere.unpriced).toEqual([expect.objectContaining({ id: 'registry-replica:crtest/swedencentral' })]);
  });

  it('a VM size missing from the prices is unpriced, never 0, and the total says it is partial', () => {
    // D8ds_v5 has no row: the pool is listed in unpriced; min and max keep the other lines only (the $73 system pool).
    const platform = stack({
      azurerm_kubernetes_cluster: { c: cluster() },
      azurerm_kubernetes_cluster_node_pool: {
        big: { name: 'big', kubernetes_cluster_id: '${azurerm_kubernetes_cluster.c.id}', vm_size: 'Standard_D8ds_v5', min_count: 2, max_count: 4 },
      },
    });
    const estimate = estimateCost({ platform }, NO_USAGE, prices);
    expect(line(estimate, 'nodes:aks-test/big')).toBeUndefined();
    expect(estimate.unpriced).toEqual([
      {
        id: 'nodes:aks-test/big',
        what: 'node pool aks-test/big: Standard_D8ds_v5, 2 to 4 nodes',
        why: 'no price for Linux VM Standard_D8ds_v5 in westeurope in the snapshot',
        missing: { serviceName: 'Virtual Machines', meter: 'Standard_D8ds_v5', armRegionName: 'westeurope' },
      },
      // Its OS disk type is not set, so azurerm's default (Managed) applies, and no size is set either.
      expect.objectContaining({ id: 'os-disk:aks-test/big', why: expect.stringMatching(/os_disk_size_gb is not set/) }),
    ]);
    expect(estimate.partial).toBe(true);
    expect([estimate.min, estimate.max]).toEqual([expect.closeTo(73, 10), expect.closeTo(73, 10)]);
    expect(snapshotGaps(estimate).map((u) => u.id)).toEqual(['nodes:aks-test/big']);
  });

  it('a region missing from the prices is unpriced too', () => {
    const estimate = estimateCost(
      { platform: stack({ azurerm_kubernetes_cluster: { c: cluster({ location: 'swedencentral' }) } }) },
      NO_USAGE,
      prices,
    );
    expect(estimate.unpriced).toEqual([
      expect.objectContaining({
        id: 'nodes:aks-test/system',
        why: 'no price for Linux VM Standard_D2ds_v5 in swedencentral in the snapshot (it has westeurope)',
      }),
    ]);
    expect(estimate.max).toBe(0);
  });

  it('picks the Linux pay-as-you-go row: never the Windows or the Spot row of the same size', () => {
    const estimate = estimateCost({ platform: stack({ azurerm_kubernetes_cluster: { c: cluster() } }) }, NO_USAGE, prices);
    expect(line(estimate, 'nodes:aks-test/system')?.unitPrice).toBe(0.1);
  });

  it('lists two different prices for one meter and tier as ambiguous, not one of them', () => {
    const ambiguous = testPrices([
      {
        ...row({ serviceName: 'Virtual Machines', meterName: 'D4ds v5', armSkuName: 'Standard_D4ds_v5', unitOfMeasure: '1 Hour', retailPrice: 0.3 }),
      },
    ]);
    const estimate = estimateCost(
      { platform: stack({ azurerm_kubernetes_cluster: { c: cluster({}, { vm_size: 'Standard_D4ds_v5' }) } }) },
      NO_USAGE,
      ambiguous,
    );
    expect(estimate.unpriced).toEqual([expect.objectContaining({ why: expect.stringMatching(/2 different prices .*: ambiguous/) })]);
  });

  it('prices managed OS disks by their tier, one per node from min to max', () => {
    // os_disk_type Managed, 128 GiB on D2ds_v5 (premium storage): P10 at $20 a month; 1 to 3 nodes → $20 to $60.
    const withDisk = testPrices([
      row({ serviceName: 'Storage', productName: 'Premium SSD Managed Disks', meterName: 'P10 LRS Disk', unitOfMeasure: '1/Month', retailPrice: 20 }),
    ]);
    const platform = stack({
      azurerm_kubernetes_cluster: {
        c: cluster({}, { os_disk_type: 'Managed', os_disk_size_gb: 128, auto_scaling_enabled: true, min_count: 1, max_count: 3 }),
      },
    });
    const disk = line(estimateCost({ platform }, NO_USAGE, withDisk), 'os-disk:aks-test/system');
    expect(disk).toMatchObject({ quantity: { min: 1, max: 3 }, unitPrice: 20, monthlyMin: 20, monthlyMax: 60 });
    expect([
      diskTier('Standard_D4ds_v5', 64),
      diskTier('Standard_D4d_v5', 64),
      diskTier('Standard_D2s_v5', 100),
      diskTier('Standard_D2s_v5', 40000),
    ]).toEqual(['P6', 'E6', 'P10', undefined]);
  });

  it('prices private endpoints from the Global meter and the public IPs and load balancer rules AKS makes', () => {
    // 2 private endpoints × 730 h × $0.01 = $14.60. Outbound through the load balancer: 1 public IP (730 × $0.005 = $3.65)
    // and 1 outbound rule; a public Service with 2 ports adds an IP ($3.65) and 2 rules: 3 rules, one included charge
    // of 730 × $0.025 = $18.25. An internal Service is its own load balancer: another $18.25, no IP.
    const service = (name: string, internal: boolean) => ({
      manifest: {
        kind: 'Service',
        metadata: { name, annotations: { 'service.beta.kubernetes.io/azure-load-balancer-internal': String(internal) } },
        spec: { type: 'LoadBalancer', ports: internal ? [{ port: 80 }] : [{ port: 80 }, { port: 443 }] },
      },
    });
    const platform = stack({
      azurerm_kubernetes_cluster: { c: cluster({ network_profile: { load_balancer_sku: 'standard', outbound_type: 'loadBalancer' } }) },
      azurerm_private_endpoint: { a: { name: 'pep-a', location: 'westeurope' }, b: { name: 'pep-b', location: 'westeurope' } },
    });
    const apps = stack({ kubernetes_manifest: { web: service('web', false), api: service('api', true), cm: { manifest: { kind: 'ConfigMap' } } } });
    const estimate = estimateCost({ platform, apps }, NO_USAGE, prices);
    expect(line(estimate, 'private-endpoint:pep-a')?.monthlyMax).toBeCloseTo(7.3, 10);
    expect(line(estimate, 'public-ip:aks-test')).toMatchObject({ quantity: { min: 1460, max: 1460 }, monthlyMax: expect.closeTo(7.3, 10) });
    expect(line(estimate, 'load-balancer:aks-test/public')).toMatchObject({
      description: expect.stringMatching(/3 rules/),
      monthlyMax: expect.closeTo(18.25, 10),
    });
    expect(line(estimate, 'load-balancer:aks-test/internal')?.monthlyMax).toBeCloseTo(18.25, 10);
    // 73 (node) + 14.60 + 7.30 + 18.25 + 18.25 = 131.40
    expect(estimate.max).toBeCloseTo(131.4, 10);
    expect(estimate.unpriced).toEqual([]);
  });

  it('prices usage from the usage figures, over the meter tiers, and shows them as assumptions', () => {
    // 1 GB a day: 730 / 24 = 30.4167 GB a month; the first 5 GB are the free tier row, the rest $2: (30.4167 - 5) × 2 = $50.83.
    // Retention 90 days: 1 GB a day × (90 - 31) = 59 GB held beyond the included days × $0.10 = $5.90.
    const platform = stack({
      azurerm_log_analytics_workspace: { l: { name: 'log-test', location: 'westeurope', sku: 'PerGB2018', retention_in_days: 90 } },
    });
    const estimate = estimateCost({ platform }, { ...NO_USAGE, logAnalyticsGbPerDay: 1 }, prices);
    expect(line(estimate, 'logs:log-test')).toMatchObject({
      unit: 'GB',
      unitPrice: 2,
      monthlyMax: expect.closeTo((730 / 24 - 5) * 2, 5),
      assumption: expect.stringMatching(/^1 GB a day of Analytics logs \(cost\/usage\.yaml\)/),
    });
    expect(line(estimate, 'log-retention:log-test')).toMatchObject({ quantity: { min: 59, max: 59 }, monthlyMax: expect.closeTo(5.9, 10) });
  });

  it('lists what bills and has no rule here, and passes over what has no charge', () => {
    const platform = stack({
      azurerm_resource_group: { g: { name: 'rg', location: 'westeurope' } },
      azurerm_role_assignment: { r: {} },
      azurerm_redis_cache: { cache: { name: 'redis' } },
      azurerm_monitor_alert_prometheus_rule_group: { p: {} },
    });
    expect(estimateCost({ platform }, NO_USAGE, prices).unpriced).toEqual([
      expect.objectContaining({ id: 'prometheus-rule-groups' }),
      { id: 'type:azurerm_redis_cache', what: '1 × azurerm_redis_cache', why: 'no pricing rule for this resource type in cost/estimate.ts' },
    ]);
  });
});
