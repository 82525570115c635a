import type { StackJson } from '../../cost/estimate';
import { parseSnapshot, sortEntries, type PriceEntry, type PriceSnapshot } from '../../cost/prices';
import type { Usage } from '../../cost/usage';

/*
 * Hand-made stacks and a hand-made price list with round prices, so every expected total in the tests can
 * be worked out by hand. The prices here are test data, not Azure's: the committed snapshot is cost/price-snapshot.json.
 */

/** A price row of the test list. */
export function row(fields: Partial<PriceEntry> & Pick<PriceEntry, 'serviceName' | 'meterName' | 'retailPrice' | 'unitOfMeasure'>): PriceEntry {
  return {
    meterId: `test-${fields.meterName}-${fields.armRegionName ?? 'westeurope'}`,
    productName: fields.serviceName,
    skuName: '',
    armRegionName: 'westeurope',
    armSkuName: '',
    tierMinimumUnits: 0,
    effectiveStartDate: '2026-01-01T00:00:00Z',
    fetchedAt: '2026-11-30',
    filter: `serviceName eq '${fields.serviceName}' and priceType eq 'Consumption'`,
    source: 'test data',
    ...fields,
  };
}

export const vmRow = (armSkuName: string, retailPrice: number, armRegionName = 'westeurope') =>
  row({
    serviceName: 'Virtual Machines',
    productName: 'Virtual Machines Ddsv5 Series',
    skuName: armSkuName.replace(/^Standard_/, '').replace('_', ' '),
    meterName: armSkuName.replace(/^Standard_/, '').replace('_', ' '),
    armSkuName,
    armRegionName,
    unitOfMeasure: '1 Hour',
    retailPrice,
  });

/**
 * The test list: D2ds_v5 $0.10/h and D4ds_v5 $0.20/h (each with a dearer Windows row and a cheaper Spot row
 * that must never be picked), the AKS uptime SLA $0.10/h, registry units Basic $0.24/day and Premium $1.20/day
 * (westeurope and northeurope), private endpoints $0.01/h (Global), public IPs $0.005/h, load balancer rules
 * $0.025/h, Log Analytics $2 per GB after a free first 5 GB, retention $0.10 per GB-month. No D8ds_v5.
 */
export function testPrices(extra: PriceEntry[] = []): PriceSnapshot {
  const entries = [
    vmRow('Standard_D2ds_v5', 0.1),
    { ...vmRow('Standard_D2ds_v5', 0.2), productName: 'Virtual Machines Ddsv5 Series Windows', meterId: 'test-windows' },
    { ...vmRow('Standard_D2ds_v5', 0.02), meterName: 'D2ds v5 Spot', skuName: 'D2ds v5 Spot', meterId: 'test-spot' },
    vmRow('Standard_D4ds_v5', 0.2),
    row({
      serviceName: 'Azure Kubernetes Service',
      meterName: 'Standard Uptime SLA',
      skuName: 'Standard',
      unitOfMeasure: '1 Hour',
      retailPrice: 0.1,
    }),
    row({ serviceName: 'Container Registry', meterName: 'Basic Registry Unit', skuName: 'Basic', unitOfMeasure: '1/Day', retailPrice: 0.24 }),
    row({ serviceName: 'Container Registry', meterName: 'Premium Registry Unit', skuName: 'Premium', unitOfMeasure: '1/Day', retailPrice: 1.2 }),
    row({
      serviceName: 'Container Registry',
      meterName: 'Premium Registry Unit',
      skuName: 'Premium',
      unitOfMeasure: '1/Day',
      retailPrice: 1.2,
      armRegionName: 'northeurope',
    }),
    row({
      serviceName: 'Virtual Network',
      productName: 'Virtual Network Private Link',
      meterName: 'Standard Private Endpoint',
      unitOfMeasure: '1 Hour',
      retailPrice: 0.01,
      armRegionName: 'Global',
    }),
    row({
      serviceName: 'Virtual Network',
      productName: 'IP Addresses',
      meterName: 'Standard IPv4 Static Public IP',
      unitOfMeasure: '1 Hour',
      retailPrice: 0.005,
    }),
    row({
      serviceName: 'Load Balancer',
      meterName: 'Standard Included LB Rules and Outbound Rules',
      unitOfMeasure: '1 Hour',
      retailPrice: 0.025,
      armRegionName: 'Global',
    }),
    row({
      serviceName: 'Log Analytics',
      meterName: 'Analytics Logs Data Ingestion',
      skuName: 'Analytics Logs',
      unitOfMeasure: '1 GB',
      retailPrice: 0,
    }),
    row({
      serviceName: 'Log Analytics',
      meterName: 'Analytics Logs Data Ingestion',
      skuName: 'Analytics Logs',
      unitOfMeasure: '1 GB',
      retailPrice: 2,
      tierMinimumUnits: 5,
    }),
    row({
      serviceName: 'Log Analytics',
      meterName: 'Analytics Logs Data Retention',
      skuName: 'Analytics Logs',
      unitOfMeasure: '1 GB/Month',
      retailPrice: 0.1,
    }),
    ...extra,
  ];
  return parseSnapshot({ currencyCode: 'USD', coverage: 'refreshed', entries: sortEntries(entries) }, 'test prices');
}

/** No usage at all: only the stacks' fixed costs. */
export const NO_USAGE: Usage = {
  logAnalyticsGbPerDay: 0,
  applicationInsightsGbPerDay: 0,
  prometheusSamplesPerMinute: 0,
  keyVaultOperationsPerMonth: 0,
  internetEgressGbPerMonth: 0,
  loadBalancerGbProcessedPerMonth: 0,
};

/** A cluster in westeurope: Free tier, one system pool of D2ds_v5 with an Ephemeral OS disk, outbound through its own load balancer. */
export function cluster(overrides: Record<string, unknown> = {}, pool: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'aks-test',
    location: 'westeurope',
    sku_tier: 'Free',
    network_profile: { load_balancer_sku: 'standard', outbound_type: 'userDefinedRouting' },
    default_node_pool: { name: 'system', vm_size: 'Standard_D2ds_v5', node_count: 1, os_disk_type: 'Ephemeral', os_disk_size_gb: 64, ...pool },
    ...overrides,
  };
}

/** A platform stack of the given resources (`type: { address: attributes }`). */
export function stack(resources: Record<string, Record<string, Record<string, unknown>>>): StackJson {
  return { resource: resources };
}
