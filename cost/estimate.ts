/*
 * What an environment costs a month, from its synthesized stacks (cdktf.out/stacks/<stack>/cdk.tf.json,
 * azurerm 4.55.0 attribute names), the usage assumptions (cost/usage.yaml) and the price snapshot
 * (cost/price-snapshot.json). A pure function: no files, no clock, no network.
 *
 * Fixed costs come from the resources (node pools from min_count to max_count, the AKS tier, registry units
 * and geo-replicas, private endpoints, public IPs, load balancer rules, managed OS disks, private DNS zones,
 * alert rules); usage-based costs from the usage (log ingestion and retention, Prometheus samples, Key Vault
 * operations, load balancer data, egress), each line saying what it assumes. A month is 730 hours.
 *
 * No silent zeros: a VM size, region or meter that the snapshot lacks, and a resource type this file has no
 * rule for, is listed in `unpriced` with the reason and left out of min and max, and `partial` says so.
 */
import { lookupPrice, METERS, tieredCost, type MeterSpec } from './meters';
import type { PriceSnapshot } from './prices';
import type { Usage } from './usage';

export const HOURS_PER_MONTH = 730;
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
/** Analytics logs are retained this many days at no charge (Azure Monitor Logs pricing). */
export const INCLUDED_RETENTION_DAYS = 31;
/** Rules of a Standard load balancer that the 'included' meter covers; each further rule is an overage unit. */
export const INCLUDED_LB_RULES = 5;

type Attrs = Record<string, unknown>;

/** A synthesized stack, as far as the estimate reads it: `resource.<type>.<address>` → attributes. */
export interface StackJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Attrs>>>>;
}

/** One priced line: what, how much a month (min with every pool at min_count, max at max_count), at what price. */
export interface CostLine {
  readonly id: string;
  readonly description: string;
  /** How much a month, in `unit`s: min and max (equal unless node counts vary). */
  readonly quantity: { readonly min: number; readonly max: number };
  readonly unit: string;
  /** Price of one `unit` (the highest tier reached, for tiered meters). */
  readonly unitPrice: number;
  readonly monthlyMin: number;
  readonly monthlyMax: number;
  /** What the line assumes beyond the stack: usage figures, counts the cluster decides at run time. */
  readonly assumption?: string;
}

/** Something that bills and has no price here: left out of min and max. */
export interface Unpriced {
  readonly id: string;
  readonly what: string;
  readonly why: string;
  /** Set when the price snapshot lacks the meter (a refresh can fill it); absent when this file has no rule for it. */
  readonly missing?: { readonly serviceName: string; readonly meter: string; readonly armRegionName: string };
}

export interface CostEstimate {
  /** Monthly totals of the priced lines. */
  readonly min: number;
  readonly max: number;
  readonly currency: string;
  readonly pricesAsOf: string;
  /** True when something is unpriced: then min and max leave it out. */
  readonly partial: boolean;
  readonly lines: CostLine[];
  readonly unpriced: Unpriced[];
}

/** Resource types that have no charge of their own, and why. */
export const NOT_BILLED: Readonly<Record<string, string>> = {
  azurerm_resource_group: 'a container of resources, no charge',
  azurerm_virtual_network: 'no charge for the network itself (peering and gateways bill; none here)',
  azurerm_subnet: 'no charge',
  azurerm_network_security_group: 'no charge',
  azurerm_subnet_network_security_group_association: 'no charge',
  azurerm_user_assigned_identity: 'managed identities have no charge',
  azurerm_federated_identity_credential: 'no charge',
  azurerm_role_assignment: 'Azure RBAC has no charge',
  azurerm_resource_policy_assignment: 'Azure Policy on Azure resources has no charge',
  azurerm_monitor_action_group: 'notifications by email (no charge within the monthly allowance of Azure Monitor)',
  azurerm_monitor_data_collection_endpoint: 'no charge; the data it takes bills as ingestion (usage lines)',
  azurerm_monitor_data_collection_rule: 'no charge; the data it sends bills as ingestion (usage lines)',
  azurerm_monitor_data_collection_rule_association: 'no charge',
  azurerm_monitor_diagnostic_setting: 'no charge; the logs it sends bill as Log Analytics ingestion (usage line)',
  azurerm_key_vault_secret: 'its reads bill as Key Vault operations (usage line)',
  azurerm_private_dns_zone_virtual_network_link: 'no charge for the link; the zone bills',
};

const REFERENCE = /^\$\{([a-z0-9_]+)\.([^.}]+)\.[a-z_]+\}$/;

/** The estimate of an environment's platform stack (and apps stack, for its load-balanced Services). */
export function estimateCost(stacks: { platform: StackJson; apps?: StackJson }, usage: Usage, prices: PriceSnapshot): CostEstimate {
  const lines: CostLine[] = [];
  const unpriced: Unpriced[] = [];
  const platform = stacks.platform.resource ?? {};
  const resources = (type: string) => Object.entries(platform[type] ?? {});
  const lookup = (address: string): Attrs | undefined => {
    const m = REFERENCE.exec(address);
    return m ? platform[m[1]]?.[m[2]] : undefined;
  };
  const nameOf = (address: string, r: Attrs) => (typeof r.name === 'string' && !r.name.includes('${') ? r.name : address);
  const regionOf = (r: Attrs | undefined): string | undefined => {
    if (!r) return undefined;
    if (typeof r.location === 'string') return r.location.includes('${') ? regionOf(lookup(r.location)) : r.location;
    return undefined;
  };

  /** Prices `quantity` (min and max) of a meter in a region as one line, or lists it as unpriced. */
  const price = (line: Omit<CostLine, 'unitPrice' | 'monthlyMin' | 'monthlyMax'>, spec: MeterSpec, region: string | undefined): void => {
    if (region === undefined) {
      unpriced.push({ id: line.id, what: line.description, why: 'its region is not known from the stack (no literal location)' });
      return;
    }
    const found = lookupPrice(prices, spec, region);
    if (!found.ok) {
      unpriced.push({
        id: line.id,
        what: line.description,
        why: found.why,
        missing: { serviceName: spec.serviceName, meter: spec.armSkuName ?? (spec.meterName || spec.what), armRegionName: region },
      });
      return;
    }
    const reached = found.tiers.filter((t, i) => i === 0 || t.from < line.quantity.max);
    lines.push({
      ...line,
      unitPrice: reached[reached.length - 1].price,
      monthlyMin: round(tieredCost(found.tiers, line.quantity.min)),
      monthlyMax: round(tieredCost(found.tiers, line.quantity.max)),
    });
  };
  const fixed = (n: number) => ({ min: n, max: n });

  // The clusters: node pools, managed OS disks, the tier, and the load balancers and public IPs AKS makes.
  const services = loadBalancedServices(stacks.apps);
  const clusters = resources('azurerm_kubernetes_cluster');
  for (const [address, cluster] of clusters) {
    const name = nameOf(address, cluster);
    const region = regionOf(cluster);
    const pools: Array<{ pool: Attrs; name: string }> = [];
    if (isAttrs(cluster.default_node_pool))
      pools.push({ pool: cluster.default_node_pool, name: String(cluster.default_node_pool.name ?? 'default') });
    for (const [poolAddress, pool] of resources('azurerm_kubernetes_cluster_node_pool')) {
      const owner = REFERENCE.exec(String(pool.kubernetes_cluster_id ?? ''));
      if (owner?.[2] === address || (!owner && clusters.length === 1)) pools.push({ pool, name: nameOf(poolAddress, pool) });
    }
    for (const { pool, name: poolName } of pools) nodePool(`${name}/${poolName}`, pool, region);

    const tier = String(cluster.sku_tier ?? 'Free');
    const tierLine = { id: `aks-tier:${name}`, quantity: fixed(HOURS_PER_MONTH), unit: 'cluster-hours' };
    if (tier === 'Free') {
      lines.push({
        ...tierLine,
        description: `AKS Free tier: ${name}`,
        unitPrice: 0,
        monthlyMin: 0,
        monthlyMax: 0,
        assumption: 'the Free tier has no cluster management charge (and no financially backed SLA)',
      });
    } else if (tier === 'Standard' || tier === 'Premium') {
      price({ ...tierLine, description: `AKS ${tier} tier, uptime SLA: ${name}` }, METERS.aksUptimeSla, region);
      if (tier === 'Premium')
        price(
          {
            ...tierLine,
            id: `aks-lts:${name}`,
            description: `AKS Premium tier, long-term support: ${name}`,
            assumption: 'Premium is the uptime SLA plus long-term support',
          },
          METERS.aksLongTermSupport,
          region,
        );
    } else {
      unpriced.push({ id: tierLine.id, what: `AKS tier ${tier}: ${name}`, why: 'an AKS tier this estimate does not know' });
    }

    loadBalancers(name, cluster, region, services);
    if (usage.internetEgressGbPerMonth > 0)
      price(
        {
          id: `egress:${name}`,
          description: `internet egress: ${name}`,
          quantity: fixed(usage.internetEgressGbPerMonth),
          unit: 'GB',
          assumption: `${usage.internetEgressGbPerMonth} GB a month out to the internet (cost/usage.yaml)`,
        },
        METERS.internetEgress,
        region,
      );
  }

  function nodePool(id: string, pool: Attrs, region: string | undefined): void {
    const vmSize = String(pool.vm_size ?? '');
    const autoscaled = pool.auto_scaling_enabled === true || pool.min_count !== undefined || pool.max_count !== undefined;
    const min = Number(autoscaled ? pool.min_count : (pool.node_count ?? 1));
    const max = Number(autoscaled ? pool.max_count : (pool.node_count ?? 1));
    if (!vmSize || !Number.isFinite(min) || !Number.isFinite(max)) {
      unpriced.push({ id: `nodes:${id}`, what: `node pool ${id}`, why: 'its VM size or node count is not a literal in the stack' });
      return;
    }
    price(
      {
        id: `nodes:${id}`,
        description: `node pool ${id}: ${vmSize}, ${min === max ? min : `${min} to ${max}`} node${max === 1 ? '' : 's'}`,
        quantity: { min: min * HOURS_PER_MONTH, max: max * HOURS_PER_MONTH },
        unit: 'node-hours',
        assumption: autoscaled ? `min_count ${min} to max_count ${max} nodes, all month` : `node_count ${min}, all month`,
      },
      METERS.vm(vmSize),
      region,
    );
    // azurerm's os_disk_type defaults to Managed; Ephemeral puts the OS disk on the VM's local storage (no disk charge).
    if (String(pool.os_disk_type ?? 'Managed') !== 'Managed') return;
    const sizeGb = Number(pool.os_disk_size_gb);
    if (!Number.isFinite(sizeGb)) {
      unpriced.push({
        id: `os-disk:${id}`,
        what: `managed OS disks of ${id}`,
        why: 'os_disk_size_gb is not set, so AKS picks the size: set it to price the disk',
      });
      return;
    }
    const tier = diskTier(vmSize, sizeGb);
    if (!tier) {
      unpriced.push({ id: `os-disk:${id}`, what: `managed OS disks of ${id}`, why: `no managed disk tier holds ${sizeGb} GiB` });
      return;
    }
    price(
      {
        id: `os-disk:${id}`,
        description: `managed OS disks of ${id}: ${tier} LRS (${sizeGb} GiB), one a node`,
        quantity: { min, max },
        unit: 'disk-months',
        assumption: `${tier.startsWith('P') ? 'Premium SSD' : 'Standard SSD'}, the tier that holds ${sizeGb} GiB`,
      },
      METERS.managedDisk(tier),
      region,
    );
  }

  function loadBalancers(cluster: string, attrs: Attrs, region: string | undefined, svc: ReturnType<typeof loadBalancedServices>): void {
    const network = isAttrs(attrs.network_profile) ? attrs.network_profile : {};
    const outbound = String(network.outbound_type ?? 'loadBalancer');
    if (String(network.load_balancer_sku ?? 'standard').toLowerCase() !== 'standard') {
      unpriced.push({ id: `load-balancer:${cluster}`, what: `load balancer of ${cluster}`, why: 'a Basic load balancer: not priced here' });
      return;
    }
    if (outbound === 'managedNATGateway' || outbound === 'userAssignedNATGateway')
      unpriced.push({ id: `nat-gateway:${cluster}`, what: `NAT gateway of ${cluster}`, why: 'NAT gateway outbound is not priced by this estimate' });
    const profile = isAttrs(network.load_balancer_profile) ? network.load_balancer_profile : {};
    const outboundIps = outbound === 'loadBalancer' ? Number(profile.managed_outbound_ip_count ?? 1) : 0;
    const publicRules = (outbound === 'loadBalancer' ? 1 : 0) + svc.publicPorts;
    const publicIps = outboundIps + svc.publicServices;
    if (publicIps > 0)
      price(
        {
          id: `public-ip:${cluster}`,
          description: `Standard static public IPs of ${cluster}: ${publicIps}`,
          quantity: fixed(publicIps * HOURS_PER_MONTH),
          unit: 'IP-hours',
          assumption: [
            outboundIps > 0 ? `${outboundIps} outbound IP${outboundIps === 1 ? '' : 's'} that AKS creates (outbound_type loadBalancer)` : '',
            svc.publicServices > 0 ? `${svc.publicServices} for public LoadBalancer Service${svc.publicServices === 1 ? '' : 's'}` : '',
          ]
            .filter(Boolean)
            .join(', '),
        },
        METERS.publicIp,
        region,
      );
    for (const [kind, rules] of [
      ['public', publicRules],
      ['internal', svc.internalPorts],
    ] as const) {
      if (rules === 0) continue;
      const description = `Standard ${kind} load balancer of ${cluster}: ${rules} rule${rules === 1 ? '' : 's'}`;
      price(
        {
          id: `load-balancer:${cluster}/${kind}`,
          description,
          quantity: fixed(HOURS_PER_MONTH),
          unit: 'hours',
          assumption:
            kind === 'public'
              ? `${outbound === 'loadBalancer' ? 'the outbound rule AKS creates' : 'no outbound rule'}${svc.publicPorts > 0 ? ` and one rule per port of public Services (${svc.publicPorts})` : ''}`
              : `one rule per port of internal LoadBalancer Services (${svc.internalPorts})`,
        },
        METERS.lbIncludedRules,
        region,
      );
      if (rules > INCLUDED_LB_RULES)
        price(
          {
            id: `load-balancer-overage:${cluster}/${kind}`,
            description,
            quantity: fixed((rules - INCLUDED_LB_RULES) * HOURS_PER_MONTH),
            unit: 'rule-hours',
          },
          METERS.lbOverageRules,
          region,
        );
    }
    if ((publicRules > 0 || svc.internalPorts > 0) && usage.loadBalancerGbProcessedPerMonth > 0)
      price(
        {
          id: `load-balancer-data:${cluster}`,
          description: `data through the load balancers of ${cluster}`,
          quantity: fixed(usage.loadBalancerGbProcessedPerMonth),
          unit: 'GB',
          assumption: `${usage.loadBalancerGbProcessedPerMonth} GB a month (cost/usage.yaml)`,
        },
        METERS.lbDataProcessed,
        region,
      );
  }

  // The registry: one unit a day, and one Premium unit a day per geo-replica region.
  for (const [address, registry] of resources('azurerm_container_registry')) {
    const name = nameOf(address, registry);
    const sku = String(registry.sku ?? '');
    price(
      { id: `registry:${name}`, description: `Container Registry ${sku}: ${name}`, quantity: fixed(DAYS_PER_MONTH), unit: 'registry-days' },
      METERS.registryUnit(sku),
      regionOf(registry),
    );
    const replicas = Array.isArray(registry.georeplications) ? registry.georeplications.filter(isAttrs) : [];
    for (const replica of replicas) {
      const location = typeof replica.location === 'string' ? replica.location : undefined;
      price(
        {
          id: `registry-replica:${name}/${location}`,
          description: `Container Registry geo-replica in ${location}: ${name}`,
          quantity: fixed(DAYS_PER_MONTH),
          unit: 'registry-days',
          assumption: 'a geo-replica bills as one Premium registry unit in its region',
        },
        METERS.registryUnit('Premium'),
        location,
      );
    }
  }

  for (const [address, endpoint] of resources('azurerm_private_endpoint')) {
    const name = nameOf(address, endpoint);
    price(
      { id: `private-endpoint:${name}`, description: `private endpoint ${name}`, quantity: fixed(HOURS_PER_MONTH), unit: 'hours' },
      METERS.privateEndpoint,
      regionOf(endpoint),
    );
  }

  for (const [address, ip] of resources('azurerm_public_ip')) {
    const name = nameOf(address, ip);
    if (String(ip.sku ?? 'Standard') !== 'Standard' || String(ip.allocation_method ?? 'Static') !== 'Static') {
      unpriced.push({ id: `public-ip:${name}`, what: `public IP ${name}`, why: 'only Standard static public IPs are priced here' });
      continue;
    }
    price(
      { id: `public-ip:${name}`, description: `public IP ${name}`, quantity: fixed(HOURS_PER_MONTH), unit: 'IP-hours' },
      METERS.publicIp,
      regionOf(ip),
    );
  }

  const mainRegion = regionOf(clusters[0]?.[1]) ?? regionOf(resources('azurerm_resource_group')[0]?.[1]);
  const zones = resources('azurerm_private_dns_zone');
  if (zones.length > 0)
    price(
      {
        id: 'private-dns-zones',
        description: `private DNS zones: ${zones.length}`,
        quantity: fixed(zones.length),
        unit: 'zone-months',
        assumption: 'DNS queries (billed per million) are not counted',
      },
      METERS.privateDnsZone,
      mainRegion ?? '',
    );

  // Logs: the workspace's own ingestion, Application Insights (workspace-based, billed as the workspace's), retention.
  for (const [address, workspace] of resources('azurerm_log_analytics_workspace')) {
    const name = nameOf(address, workspace);
    const region = regionOf(workspace);
    if (String(workspace.sku ?? 'PerGB2018') !== 'PerGB2018') {
      unpriced.push({
        id: `logs:${name}`,
        what: `Log Analytics ${name}`,
        why: `pricing tier ${String(workspace.sku)} is not priced here (only PerGB2018)`,
      });
      continue;
    }
    const gb = usage.logAnalyticsGbPerDay * DAYS_PER_MONTH;
    price(
      {
        id: `logs:${name}`,
        description: `Log Analytics ingestion: ${name}`,
        quantity: fixed(gb),
        unit: 'GB',
        assumption: `${usage.logAnalyticsGbPerDay} GB a day of Analytics logs (cost/usage.yaml); the free monthly allowance of the billing account is not deducted`,
      },
      METERS.logIngestion,
      region,
    );
    const retention = Number(workspace.retention_in_days ?? 30);
    if (retention > INCLUDED_RETENTION_DAYS)
      price(
        {
          id: `log-retention:${name}`,
          description: `Log Analytics retention beyond ${INCLUDED_RETENTION_DAYS} days: ${name} (${retention} days)`,
          quantity: fixed(usage.logAnalyticsGbPerDay * (retention - INCLUDED_RETENTION_DAYS)),
          unit: 'GB-months',
          assumption: `${usage.logAnalyticsGbPerDay} GB a day kept ${retention - INCLUDED_RETENTION_DAYS} days beyond the included ${INCLUDED_RETENTION_DAYS} (steady state)`,
        },
        METERS.logRetention,
        region,
      );
  }
  for (const [address, insights] of resources('azurerm_application_insights')) {
    const name = nameOf(address, insights);
    const gb = usage.applicationInsightsGbPerDay * DAYS_PER_MONTH;
    price(
      {
        id: `app-insights:${name}`,
        description: `Application Insights ingestion: ${name}`,
        quantity: fixed(gb),
        unit: 'GB',
        assumption: `${usage.applicationInsightsGbPerDay} GB a day (cost/usage.yaml), billed as Log Analytics ingestion (workspace-based)`,
      },
      METERS.logIngestion,
      regionOf(lookup(String(insights.workspace_id ?? ''))) ?? regionOf(insights),
    );
  }

  for (const [address, workspace] of resources('azurerm_monitor_workspace')) {
    const name = nameOf(address, workspace);
    price(
      {
        id: `prometheus:${name}`,
        description: `Managed Prometheus ingestion: ${name}`,
        quantity: fixed(usage.prometheusSamplesPerMinute * 60 * HOURS_PER_MONTH),
        unit: 'samples',
        assumption: `${usage.prometheusSamplesPerMinute} samples a minute (cost/usage.yaml)`,
      },
      METERS.prometheusIngestion,
      regionOf(workspace),
    );
  }

  for (const [address, vault] of resources('azurerm_key_vault')) {
    const name = nameOf(address, vault);
    const sku = String(vault.sku_name ?? 'standard');
    price(
      {
        id: `key-vault-operations:${name}`,
        description: `Key Vault operations: ${name}`,
        quantity: fixed(usage.keyVaultOperationsPerMonth),
        unit: 'operations',
        assumption: `${usage.keyVaultOperationsPerMonth} operations a month (cost/usage.yaml)`,
      },
      METERS.keyVaultOperations(sku.charAt(0).toUpperCase() + sku.slice(1)),
      regionOf(vault),
    );
  }

  // Alert rules: a metric alert per criterion and scope is a monitored time series; log alerts by their frequency.
  const series = resources('azurerm_monitor_metric_alert').reduce(
    (n, [, alert]) => n + (Array.isArray(alert.criteria) ? alert.criteria.length : 1) * (Array.isArray(alert.scopes) ? alert.scopes.length : 1),
    0,
  );
  if (series > 0)
    price(
      {
        id: 'metric-alerts',
        description: `metric alert rules: ${series} time series`,
        quantity: fixed(series),
        unit: 'time-series-months',
        assumption: 'one time series per criterion and scope (no dimensions)',
      },
      METERS.metricAlert,
      mainRegion,
    );
  const byFrequency = new Map<number, number>();
  for (const [, rule] of resources('azurerm_monitor_scheduled_query_rules_alert_v2')) {
    const minutes = Number(/^PT(\d+)M$/.exec(String(rule.evaluation_frequency ?? ''))?.[1] ?? NaN);
    byFrequency.set(minutes, (byFrequency.get(minutes) ?? 0) + 1);
  }
  for (const [minutes, count] of byFrequency) {
    const id = `log-alerts:${Number.isFinite(minutes) ? `${minutes}m` : 'other'}`;
    if (!Number.isFinite(minutes)) {
      unpriced.push({ id, what: `${count} log alert rules`, why: 'evaluation_frequency is not in minutes (PT<n>M)' });
      continue;
    }
    price(
      {
        id,
        description: `log alert rules every ${minutes} minutes: ${count}`,
        quantity: fixed(count),
        unit: 'rule-months',
        assumption: 'one time series per rule (rules split by dimensions bill per time series)',
      },
      METERS.logAlert(minutes),
      mainRegion,
    );
  }
  const ruleGroups = resources('azurerm_monitor_alert_prometheus_rule_group').length;
  if (ruleGroups > 0)
    unpriced.push({
      id: 'prometheus-rule-groups',
      what: `Prometheus rule groups: ${ruleGroups}`,
      why: 'their evaluations bill as Prometheus query samples processed, which this estimate does not model',
    });

  // Everything else: known to have no charge, or listed as a resource type without a rule here.
  const ruled = new Set([
    'azurerm_kubernetes_cluster',
    'azurerm_kubernetes_cluster_node_pool',
    'azurerm_container_registry',
    'azurerm_private_endpoint',
    'azurerm_public_ip',
    'azurerm_private_dns_zone',
    'azurerm_log_analytics_workspace',
    'azurerm_application_insights',
    'azurerm_monitor_workspace',
    'azurerm_key_vault',
    'azurerm_monitor_metric_alert',
    'azurerm_monitor_scheduled_query_rules_alert_v2',
    'azurerm_monitor_alert_prometheus_rule_group',
  ]);
  for (const [type, byAddress] of Object.entries(platform)) {
    if (ruled.has(type) || Object.hasOwn(NOT_BILLED, type)) continue;
    unpriced.push({
      id: `type:${type}`,
      what: `${Object.keys(byAddress).length} × ${type}`,
      why: 'no pricing rule for this resource type in cost/estimate.ts',
    });
  }
  for (const type of Object.keys(stacks.apps?.resource ?? {})) {
    if (type !== 'kubernetes_manifest' && !Object.hasOwn(NOT_BILLED, type))
      unpriced.push({ id: `type:${type}`, what: `${type} in the apps stack`, why: 'no pricing rule for this resource type in cost/estimate.ts' });
  }

  const sum = (key: 'monthlyMin' | 'monthlyMax') => lines.reduce((total, line) => total + line[key], 0);
  return {
    min: round(sum('monthlyMin')),
    max: round(sum('monthlyMax')),
    currency: prices.currencyCode,
    pricesAsOf: prices.pricesAsOf,
    partial: unpriced.length > 0,
    lines,
    unpriced,
  };
}

/** Money to a millionth: the totals without the float noise of adding hundreds of products (0.1 × 730 + ...). */
function round(amount: number): number {
  return Math.round(amount * 1e6) / 1e6;
}

function isAttrs(value: unknown): value is Attrs {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The apps stack's Services of type LoadBalancer: public ones (each with a public IP) and internal ones, and their ports. */
function loadBalancedServices(apps: StackJson | undefined) {
  const out = { publicServices: 0, publicPorts: 0, internalPorts: 0 };
  for (const resource of Object.values(apps?.resource?.kubernetes_manifest ?? {})) {
    const manifest = isAttrs(resource.manifest) ? resource.manifest : {};
    const spec = isAttrs(manifest.spec) ? manifest.spec : {};
    if (manifest.kind !== 'Service' || spec.type !== 'LoadBalancer') continue;
    const metadata = isAttrs(manifest.metadata) ? manifest.metadata : {};
    const annotations = isAttrs(metadata.annotations) ? metadata.annotations : {};
    const ports = Array.isArray(spec.ports) ? spec.ports.length : 1;
    if (annotations['service.beta.kubernetes.io/azure-load-balancer-internal'] === 'true') out.internalPorts += ports;
    else {
      out.publicServices += 1;
      out.publicPorts += ports;
    }
  }
  return out;
}

/** Managed disk tiers by size (GiB): Premium SSD (P) for sizes with premium storage ('s' in the size's features), else Standard SSD (E). */
const DISK_TIERS: ReadonlyArray<[number, string]> = [
  [4, '1'],
  [8, '2'],
  [16, '3'],
  [32, '4'],
  [64, '6'],
  [128, '10'],
  [256, '15'],
  [512, '20'],
  [1024, '30'],
  [2048, '40'],
  [4096, '50'],
  [8192, '60'],
  [16384, '70'],
  [32767, '80'],
];

/** The managed disk tier AKS bills an OS disk of `sizeGb` at on `vmSize`: 'P10', 'E6'; undefined past the largest. */
export function diskTier(vmSize: string, sizeGb: number): string | undefined {
  const features = /^Standard_[A-Z]+\d+(?:-\d+)?([a-z]*)_/.exec(vmSize)?.[1] ?? '';
  const tier = DISK_TIERS.find(([capacity]) => capacity >= sizeGb)?.[1];
  return tier && `${features.includes('s') ? 'P' : 'E'}${tier}`;
}

/** The unpriced entries a refresh of the snapshot can fill (a missing VM size, region or meter). */
export function snapshotGaps(estimate: Pick<CostEstimate, 'unpriced'>): Unpriced[] {
  return estimate.unpriced.filter((u) => u.missing !== undefined);
}
