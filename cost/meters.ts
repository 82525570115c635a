/*
 * The meters an estimate needs, how to find one in the snapshot, and the Retail Prices API queries that
 * fetch all of them (cost/refresh.ts). Names are the API's: serviceName, productName, skuName, meterName.
 */
import { AZURE_REGIONS } from '../config/azure-facts';
import { VM_SIZES } from '../config/vm-sizes';
import { GLOBAL_REGION, type PriceEntry, type PriceSnapshot } from './prices';

/** What a unit of a meter is counted in, after its unitOfMeasure's count ('10K' is 10,000 units). */
export type UnitBase = 'hour' | 'day' | 'month' | 'unit';

/** A meter an estimate line needs, as the API names it. */
export interface MeterSpec {
  /** For messages: 'Linux VM Standard_D4ds_v5'. */
  readonly what: string;
  readonly serviceName: string;
  readonly meterName: string;
  readonly productName?: string;
  readonly skuName?: string;
  readonly armSkuName?: string;
  /** What the line's quantity counts: the row's unitOfMeasure must be per hour, per day, per month or per unit. */
  readonly per: UnitBase;
  /** Virtual machines: only Linux pay-as-you-go rows (no Windows, Spot, Low Priority or Cloud Services products). */
  readonly linuxOnly?: boolean;
  /** A further test of a row, for meters whose exact names vary (meterName '' then matches any name). */
  readonly test?: (e: PriceEntry) => boolean;
}

/** Rows the estimate never uses: other operating systems and interruptible capacity. */
export const NOT_LINUX_PAYG = /Windows|Spot|Low Priority|Cloud Services/i;

/** Whether a row is a Linux pay-as-you-go row (VM sizes have Windows, Spot and Low Priority rows beside it). */
export function isLinuxPayg(e: Pick<PriceEntry, 'productName' | 'skuName' | 'meterName'>): boolean {
  return !NOT_LINUX_PAYG.test(e.productName) && !NOT_LINUX_PAYG.test(e.skuName) && !NOT_LINUX_PAYG.test(e.meterName);
}

/** The count and base of a unitOfMeasure: '1 Hour' → 1 hour, '1/Day' → 1 day, '1 GB/Month' → 1 month, '10K' → 10,000 units. */
export function parseUnit(unitOfMeasure: string): { count: number; base: UnitBase } | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMB])?\b/i.exec(unitOfMeasure);
  if (!m) return undefined;
  const scale = { K: 1e3, M: 1e6, B: 1e9 }[(m[2] ?? '').toUpperCase()] ?? 1;
  const count = Number(m[1]) * scale;
  const base: UnitBase = /hour/i.test(unitOfMeasure) ? 'hour' : /day/i.test(unitOfMeasure) ? 'day' : /month/i.test(unitOfMeasure) ? 'month' : 'unit';
  return { count, base };
}

export const METERS = {
  vm: (size: string): MeterSpec => ({
    what: `Linux VM ${size}`,
    serviceName: 'Virtual Machines',
    meterName: '',
    armSkuName: size,
    per: 'hour',
    linuxOnly: true,
  }),
  aksUptimeSla: {
    what: 'AKS Standard tier (uptime SLA)',
    serviceName: 'Azure Kubernetes Service',
    meterName: 'Standard Uptime SLA',
    per: 'hour',
  } as MeterSpec,
  aksLongTermSupport: {
    what: 'AKS Premium tier (long-term support)',
    serviceName: 'Azure Kubernetes Service',
    meterName: 'Standard Long Term Support',
    per: 'hour',
  } as MeterSpec,
  registryUnit: (sku: string): MeterSpec => ({
    what: `Container Registry ${sku} registry unit`,
    serviceName: 'Container Registry',
    meterName: `${sku} Registry Unit`,
    per: 'day',
  }),
  privateEndpoint: {
    what: 'private endpoint',
    serviceName: 'Virtual Network',
    productName: 'Virtual Network Private Link',
    meterName: 'Standard Private Endpoint',
    per: 'hour',
  } as MeterSpec,
  publicIp: {
    what: 'Standard static public IPv4 address',
    serviceName: 'Virtual Network',
    productName: 'IP Addresses',
    meterName: 'Standard IPv4 Static Public IP',
    per: 'hour',
  } as MeterSpec,
  lbIncludedRules: {
    what: 'Standard load balancer, first 5 rules',
    serviceName: 'Load Balancer',
    meterName: 'Standard Included LB Rules and Outbound Rules',
    per: 'hour',
  } as MeterSpec,
  lbOverageRules: {
    what: 'Standard load balancer, each rule beyond 5',
    serviceName: 'Load Balancer',
    meterName: 'Standard Overage LB Rules and Outbound Rules',
    per: 'hour',
  } as MeterSpec,
  lbDataProcessed: {
    what: 'Standard load balancer, data processed',
    serviceName: 'Load Balancer',
    meterName: 'Standard Data Processed',
    per: 'unit',
  } as MeterSpec,
  logIngestion: {
    what: 'Log Analytics ingestion (Analytics logs)',
    serviceName: 'Log Analytics',
    meterName: 'Analytics Logs Data Ingestion',
    per: 'unit',
  } as MeterSpec,
  logRetention: {
    what: 'Log Analytics retention beyond the included days',
    serviceName: 'Log Analytics',
    meterName: 'Analytics Logs Data Retention',
    per: 'month',
  } as MeterSpec,
  // Managed Prometheus bills its samples on Azure Monitor's one metrics ingestion meter, which names no Prometheus
  // (https://learn.microsoft.com/azure/azure-monitor/cost-meters, "Azure Monitor metrics meters").
  prometheusIngestion: {
    what: 'Managed Prometheus metrics ingestion',
    serviceName: 'Azure Monitor',
    meterName: 'Metrics ingestion Metric samples',
    per: 'unit',
  } as MeterSpec,
  keyVaultOperations: (sku: string): MeterSpec => ({
    what: `Key Vault ${sku} operations`,
    serviceName: 'Key Vault',
    skuName: sku,
    meterName: 'Operations',
    per: 'unit',
  }),
  privateDnsZone: { what: 'private DNS zone', serviceName: 'Azure DNS', meterName: 'Private Zone', per: 'month' } as MeterSpec,
  metricAlert: { what: 'metric alert time series', serviceName: 'Azure Monitor', meterName: 'Alerts Metric Monitored', per: 'month' } as MeterSpec,
  logAlert: (minutes: number): MeterSpec => ({
    what: `log alert rule at ${minutes}-minute frequency`,
    serviceName: 'Azure Monitor',
    meterName: `Alerts System Log Monitored at ${minutes} Minute Frequency`,
    per: 'month',
  }),
  managedDisk: (tier: string): MeterSpec => ({
    what: `managed OS disk ${tier} LRS`,
    serviceName: 'Storage',
    productName: tier.startsWith('P') ? 'Premium SSD Managed Disks' : 'Standard SSD Managed Disks',
    meterName: `${tier} LRS Disk`,
    per: 'month',
  }),
  // Routed over Microsoft's network, the default: routing preference Internet has its own product with the same meter name.
  internetEgress: {
    what: 'internet egress',
    serviceName: 'Bandwidth',
    productName: 'Rtn Preference: MGN',
    meterName: 'Standard Data Transfer Out',
    per: 'unit',
  } as MeterSpec,
} as const;

/** Whether a row is one of the spec's, in any region. */
export function matchesSpec(spec: MeterSpec, e: PriceEntry): boolean {
  if (e.serviceName !== spec.serviceName) return false;
  if (spec.linuxOnly && !isLinuxPayg(e)) return false;
  if (spec.meterName !== '' && e.meterName !== spec.meterName) return false;
  if (spec.productName !== undefined && e.productName !== spec.productName) return false;
  if (spec.skuName !== undefined && e.skuName !== spec.skuName) return false;
  if (spec.armSkuName !== undefined && e.armSkuName !== spec.armSkuName) return false;
  return spec.test?.(e) ?? true;
}

/** A meter's price in a region: its tiers (lowest first) in the line's base unit, or why there is none. */
export type PriceLookup =
  | { readonly ok: true; readonly tiers: ReadonlyArray<{ readonly from: number; readonly price: number }>; readonly rows: PriceEntry[] }
  | { readonly ok: false; readonly why: string };

/**
 * The rows of `spec` in `region` (else the meter's 'Global' or region-less rows), as tiers priced per one
 * `spec.per` unit. Missing, ambiguous (two prices for one tier) and unexpected units are reasons, never a zero.
 */
export function lookupPrice(snapshot: Pick<PriceSnapshot, 'entries'>, spec: MeterSpec, region: string): PriceLookup {
  const candidates = snapshot.entries.filter((e) => matchesSpec(spec, e));
  const inRegion = [region, GLOBAL_REGION, ''].map((r) => candidates.filter((e) => e.armRegionName === r)).find((rows) => rows.length > 0);
  if (!inRegion) {
    const elsewhere = [...new Set(candidates.map((e) => e.armRegionName))].sort();
    return {
      ok: false,
      why: `no price for ${spec.what} in ${region} in the snapshot${elsewhere.length > 0 ? ` (it has ${elsewhere.slice(0, 5).join(', ')}${elsewhere.length > 5 ? ', ...' : ''})` : ''}`,
    };
  }
  const tiers = new Map<number, Set<number>>();
  for (const e of inRegion) {
    const unit = parseUnit(e.unitOfMeasure);
    if (!unit || unit.base !== spec.per)
      return { ok: false, why: `${spec.what} in ${region} is priced per '${e.unitOfMeasure}', not per ${spec.per} as this estimate counts it` };
    tiers.set(e.tierMinimumUnits, (tiers.get(e.tierMinimumUnits) ?? new Set()).add(e.retailPrice / unit.count));
  }
  for (const [from, prices] of tiers) {
    if (prices.size > 1)
      return {
        ok: false,
        why: `${spec.what} in ${region} has ${prices.size} different prices from ${from} units (${[...prices].join(', ')}): ambiguous`,
      };
  }
  return {
    ok: true,
    rows: inRegion,
    tiers: [...tiers.entries()].sort(([a], [b]) => a - b).map(([from, prices]) => ({ from, price: [...prices][0] })),
  };
}

/**
 * The cost of `quantity` units over tiers: each tier prices the units from its minimum to the next tier's. Units
 * below the lowest tier's minimum are priced at the lowest tier (never as free when no row says so).
 */
export function tieredCost(tiers: ReadonlyArray<{ from: number; price: number }>, quantity: number): number {
  let cost = 0;
  tiers.forEach((tier, i) => {
    const from = i === 0 ? 0 : tier.from;
    const to = i + 1 < tiers.length ? tiers[i + 1].from : Infinity;
    if (quantity > from) cost += (Math.min(quantity, to) - from) * tier.price;
  });
  return cost;
}

/** One query of a refresh: the OData $filter, and which of the returned rows the snapshot keeps. */
export interface PriceQuery {
  readonly filter: string;
  readonly keep: (e: PriceEntry) => boolean;
}

/** Regions a refresh keeps: the config's (config/azure-facts.ts), the API's 'Global', and its region-less rows. */
export function isKeptRegion(region: string): boolean {
  return region === GLOBAL_REGION || region === '' || Object.hasOwn(AZURE_REGIONS, region);
}

const oneOf = (names: ReadonlyArray<string>) => (e: PriceEntry) => names.includes(e.meterName);
const consumption = (filter: string) => `${filter} and priceType eq 'Consumption'`;

/**
 * The queries of a refresh: one per VM size the config allows (config/vm-sizes.ts), across every region at once,
 * and one per service for the other meters. Rows of regions outside config/azure-facts.ts are dropped later.
 */
export function refreshQueries(): PriceQuery[] {
  const vms: PriceQuery[] = [...VM_SIZES.keys()].sort().map((size) => ({
    filter: consumption(`serviceName eq 'Virtual Machines' and armSkuName eq '${size}'`),
    keep: (e) => e.armSkuName === size && isLinuxPayg(e) && parseUnit(e.unitOfMeasure)?.base === 'hour',
  }));
  const services: PriceQuery[] = [
    {
      filter: consumption("serviceName eq 'Azure Kubernetes Service'"),
      keep: oneOf([METERS.aksUptimeSla.meterName, METERS.aksLongTermSupport.meterName]),
    },
    { filter: consumption("serviceName eq 'Container Registry'"), keep: (e) => /^(Basic|Standard|Premium) Registry Unit$/.test(e.meterName) },
    { filter: consumption("serviceName eq 'Log Analytics'"), keep: oneOf([METERS.logIngestion.meterName, METERS.logRetention.meterName]) },
    {
      filter: consumption("serviceName eq 'Azure Monitor'"),
      keep: (e) =>
        e.meterName === METERS.prometheusIngestion.meterName ||
        e.meterName === METERS.metricAlert.meterName ||
        /^Alerts System Log Monitored at \d+ Minute Frequency$/.test(e.meterName),
    },
    {
      filter: consumption("serviceName eq 'Virtual Network' and productName eq 'Virtual Network Private Link'"),
      keep: oneOf([METERS.privateEndpoint.meterName]),
    },
    { filter: consumption("serviceName eq 'Virtual Network' and productName eq 'IP Addresses'"), keep: oneOf([METERS.publicIp.meterName]) },
    {
      filter: consumption("serviceName eq 'Load Balancer'"),
      keep: oneOf([METERS.lbIncludedRules.meterName, METERS.lbOverageRules.meterName, METERS.lbDataProcessed.meterName]),
    },
    { filter: consumption("serviceName eq 'Key Vault'"), keep: oneOf(['Operations']) },
    { filter: consumption("serviceName eq 'Azure DNS'"), keep: oneOf([METERS.privateDnsZone.meterName]) },
    {
      filter: consumption("serviceName eq 'Storage' and productName eq 'Premium SSD Managed Disks'"),
      keep: (e) => /^P\d+ LRS Disk$/.test(e.meterName),
    },
    {
      filter: consumption("serviceName eq 'Storage' and productName eq 'Standard SSD Managed Disks'"),
      keep: (e) => /^E\d+ LRS Disk$/.test(e.meterName),
    },
    {
      filter: consumption("serviceName eq 'Bandwidth'"),
      keep: (e) => e.productName === METERS.internetEgress.productName && e.meterName === METERS.internetEgress.meterName,
    },
  ];
  return [...vms, ...services];
}
