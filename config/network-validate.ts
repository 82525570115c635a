import { addressCount, contains, containsAddress, overlaps, parseCidr, parseIpv4, usableAddresses, type Ipv4Cidr } from './address-plan';
import type { EnvironmentConfig } from './schema';
import { peakNodes, PRIVATE_DNS_ZONES, privateEndpointAddresses, virtualNetworkIdOf } from './network';

/** One thing wrong with the network plan; the same shape as the other cross-field problems. */
interface Problem {
  readonly path: string;
  readonly message: string;
}

/**
 * The VNet AKS creates when it owns the network (10.224.0.0/12); pod and service ranges must avoid it too.
 * @see https://learn.microsoft.com/azure/aks/concepts-network-ip-address-planning
 */
export const AKS_MANAGED_VNET_CIDR = '10.224.0.0/12';

/**
 * Ranges AKS refuses as service CIDR.
 * @see https://learn.microsoft.com/azure/aks/configure-kubenet#create-an-aks-cluster-in-the-virtual-network
 */
const RESERVED_SERVICE_RANGES = ['169.254.0.0/16', '172.30.0.0/16', '172.31.0.0/16', '192.0.2.0/24'];

/**
 * Private and shared address space, which Key Vault and registry IP rules refuse.
 * @see https://learn.microsoft.com/azure/key-vault/general/network-security#key-vault-firewall-enabled-ipv4-addresses-and-ranges---static-ips
 */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];

/** AKS's limit on API server authorized IP ranges. @see https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges */
const MAX_AUTHORIZED_RANGES = 200;

/** Smallest subnet for API server VNet integration. @see https://learn.microsoft.com/azure/aks/api-server-vnet-integration */
export const API_SERVER_SUBNET_MAX_PREFIX = 28;
/** Smallest subnet Azure allows. */
const SUBNET_MAX_PREFIX = 29;

/** Parses a value the schema has already validated. */
function cidr(text: string): Ipv4Cidr {
  const parsed = parseCidr(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

/** Rules of `network` (and what it implies for the registry, the pools and the API server). */
export function networkProblems(env: EnvironmentConfig): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const { network } = env;
  const vnet = network.virtualNetwork;
  const api = network.apiServer;

  // A private environment is deployed from a runner in a peered VNet (deploy.runner: see deploy-order.ts),
  // which resolves the private names only through links of the private DNS zones to its VNet.
  const isPrivate = api.access === 'private' || network.privateEndpoints;
  if (isPrivate && network.runnerNetworks.length === 0) {
    add(
      'network.runnerNetworks',
      'a private environment (private API server or private endpoints) needs the VNet resource IDs its CI runners and operators ' +
        'work from, so its private DNS zones can be linked to them (allowed: one or more /subscriptions/.../virtualNetworks/<name>)',
    );
  }

  // API server access: one decision, no combination the control plane would reject.
  if (api.access === 'authorizedRanges' && api.authorizedIpRanges.length === 0) {
    add('network.apiServer.authorizedIpRanges', "access 'authorizedRanges' needs at least one range (your offices, CI runners' egress)");
  }
  if (api.access === 'public' && api.authorizedIpRanges.length > 0) {
    add('network.apiServer.authorizedIpRanges', "ranges apply only with access 'authorizedRanges'; set network.apiServer.access: authorizedRanges");
  }
  if (api.access === 'private' && api.authorizedIpRanges.length > 0) {
    add(
      'network.apiServer.authorizedIpRanges',
      "a private cluster has no public endpoint to restrict; remove the ranges or use access 'authorizedRanges'",
    );
  }
  if (api.authorizedIpRanges.length > MAX_AUTHORIZED_RANGES) {
    add(
      'network.apiServer.authorizedIpRanges',
      `${api.authorizedIpRanges.length} ranges; AKS accepts at most ${MAX_AUTHORIZED_RANGES}: summarize them into larger ranges`,
    );
  }
  for (const [i, range] of api.authorizedIpRanges.entries()) {
    if (cidr(range).prefixLength === 0)
      add(`network.apiServer.authorizedIpRanges.${i}`, "0.0.0.0/0 is the whole internet; use access 'public' if that is the decision");
  }
  if (api.vnetIntegration && vnet.mode === 'aksManaged') {
    add(
      'network.apiServer.vnetIntegration',
      "VNet integration needs an API server subnet: use network.virtualNetwork mode 'create', or 'existing' with subnets.apiServer",
    );
  }
  if (api.vnetIntegration && vnet.mode === 'existing' && !vnet.subnets.apiServer) {
    add(
      'network.virtualNetwork.subnets.apiServer',
      'VNet integration (network.apiServer.vnetIntegration) needs the resource ID of a subnet delegated to Microsoft.ContainerService/managedClusters',
    );
  }

  // Key Vault and registry.
  if (network.privateEndpoints && vnet.mode === 'aksManaged') {
    add('network.privateEndpoints', "private endpoints need a VNet: use network.virtualNetwork mode 'create' or 'existing'");
  }
  if (network.privateEndpoints && vnet.mode === 'existing' && !vnet.subnets.privateEndpoints) {
    add('network.virtualNetwork.subnets.privateEndpoints', 'private endpoints (network.privateEndpoints) need the resource ID of a subnet for them');
  }
  if (network.privateEndpoints && env.registry.sku !== 'Premium') {
    // Private link and registry firewall rules are Premium features.
    add('registry.sku', `registry private endpoints need sku 'Premium' (sku is '${env.registry.sku}'); or set network.privateEndpoints: false`);
  }
  if (!network.publicNetworkAccess && !network.privateEndpoints) {
    add(
      'network.publicNetworkAccess',
      'with public access off and no private endpoints nothing could reach Key Vault or the registry, not even the cluster; set network.privateEndpoints: true',
    );
  }
  if (network.trustedIpRanges.length > 0 && !network.privateEndpoints) {
    add(
      'network.trustedIpRanges',
      'firewall ranges apply when Key Vault and the registry deny by default, which they do with network.privateEndpoints: true',
    );
  }
  if (network.trustedIpRanges.length > 0 && !network.publicNetworkAccess) {
    add(
      'network.trustedIpRanges',
      'public access is off (network.publicNetworkAccess: false), so no public range can be let in; remove the ranges or turn public access on',
    );
  }

  for (const [i, range] of network.trustedIpRanges.entries()) {
    const privateRange = PRIVATE_RANGES.find((r) => overlaps(cidr(range), cidr(r)));
    if (privateRange) {
      add(
        `network.trustedIpRanges.${i}`,
        `${range} overlaps the private range ${privateRange}; Key Vault and registry firewalls take public addresses only (private clients use the private endpoints)`,
      );
    }
  }

  // Outbound.
  if (network.outboundType === 'managedNATGateway' && vnet.mode !== 'aksManaged') {
    add('network.outboundType', "'managedNATGateway' works only in the AKS-managed VNet; with your own subnets use 'userAssignedNATGateway'");
  }
  if (network.outboundType === 'userAssignedNATGateway' && vnet.mode === 'aksManaged') {
    add(
      'network.outboundType',
      "'userAssignedNATGateway' needs node subnets to attach the NAT gateway to: use network.virtualNetwork mode 'create' or 'existing'",
    );
  }
  if (network.outboundType === 'userDefinedRouting' && vnet.mode !== 'existing') {
    add(
      'network.outboundType',
      "'userDefinedRouting' needs existing subnets whose route table sends 0.0.0.0/0 to your firewall (network.virtualNetwork mode 'existing')",
    );
  }

  // Address plan.
  const pods = cidr(network.podCidr);
  const services = cidr(network.serviceCidr);
  const vnetRanges: Array<[string, Ipv4Cidr]> =
    vnet.mode === 'create'
      ? [['network.virtualNetwork.addressSpace', cidr(vnet.addressSpace)]]
      : vnet.mode === 'existing'
        ? vnet.addressSpace.map((r, i) => [`network.virtualNetwork.addressSpace.${i}`, cidr(r)])
        : [['the AKS-managed VNet', cidr(AKS_MANAGED_VNET_CIDR)]];
  for (const [where, range] of vnetRanges) {
    if (overlaps(services, range))
      add('network.serviceCidr', `${services.text} overlaps ${where} (${range.text}); the service CIDR must lie outside the VNet`);
    if (overlaps(pods, range))
      add('network.podCidr', `${pods.text} overlaps ${where} (${range.text}); overlay pod addresses must lie outside the VNet`);
  }
  if (overlaps(pods, services)) add('network.podCidr', `${pods.text} overlaps network.serviceCidr (${services.text})`);
  for (const reserved of RESERVED_SERVICE_RANGES) {
    if (overlaps(services, cidr(reserved))) add('network.serviceCidr', `${services.text} overlaps ${reserved}, which AKS reserves`);
  }
  const dns = parseIpv4(network.dnsServiceIp) as number;
  if (!containsAddress(services, dns)) {
    add('network.dnsServiceIp', `${network.dnsServiceIp} must lie inside network.serviceCidr (${services.text})`);
  } else if (dns - services.start < 2) {
    add(
      'network.dnsServiceIp',
      `${network.dnsServiceIp} is the first or second address of ${services.text}, which Kubernetes keeps; use e.g. the .10 address`,
    );
  }
  const { systemPool, userPool } = env.kubernetes;
  const nodesAtPeak = peakNodes(systemPool) + peakNodes(userPool);
  if (pods.prefixLength > 24 || 2 ** (24 - pods.prefixLength) < nodesAtPeak) {
    // Overlay gives every node a /24 of the pod CIDR, whatever maxPods is (at most 250 pods per node).
    const blocks = pods.prefixLength > 24 ? 0 : 2 ** (24 - pods.prefixLength);
    add(
      'network.podCidr',
      `${pods.text} has ${blocks} /24 blocks, but overlay needs one per node and the pools can reach ${nodesAtPeak} nodes (maxCount + surge); use a larger range such as /16`,
    );
  }

  if (vnet.mode === 'create') problems.push(...createdVnetProblems(env, vnet, cidr(vnet.addressSpace)));
  if (vnet.mode === 'existing') {
    const home = virtualNetworkIdOf(vnet.subnets.systemNodes).toLowerCase();
    for (const key of ['userNodes', 'apiServer', 'privateEndpoints', 'internalLoadBalancers'] as const) {
      const id = vnet.subnets[key];
      if (id && virtualNetworkIdOf(id).toLowerCase() !== home) {
        add(
          `network.virtualNetwork.subnets.${key}`,
          `must be a subnet of the system nodes' VNet (${virtualNetworkIdOf(vnet.subnets.systemNodes)}); AKS keeps a cluster in one VNet`,
        );
      }
    }
    if (vnet.privateDnsZones && !network.privateEndpoints) {
      add(
        'network.virtualNetwork.privateDnsZones',
        'private DNS zones are used by private endpoints; set network.privateEndpoints: true or remove them',
      );
    }
    for (const [key, expected] of [
      ['keyVault', PRIVATE_DNS_ZONES.vault],
      ['registry', PRIVATE_DNS_ZONES.registry],
    ] as const) {
      const zoneId = vnet.privateDnsZones?.[key];
      const name = zoneId?.slice(zoneId.lastIndexOf('/') + 1).toLowerCase();
      if (name !== undefined && name !== expected)
        add(
          `network.virtualNetwork.privateDnsZones.${key}`,
          `is zone '${name}', but ${key === 'keyVault' ? 'Key Vault' : 'the registry'} records belong in '${expected}'`,
        );
    }
  }
  return problems;
}

type CreatedVnet = Extract<EnvironmentConfig['network']['virtualNetwork'], { mode: 'create' }>;

function createdVnetProblems(env: EnvironmentConfig, vnet: CreatedVnet, space: Ipv4Cidr): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const subnets = Object.entries(vnet.subnets).map(([key, text]) => ({ key, range: cidr(text) }));
  for (const { key, range } of subnets) {
    const at = `network.virtualNetwork.subnets.${key}`;
    if (!contains(space, range)) add(at, `${range.text} lies outside the VNet address space (${space.text})`);
    if (range.prefixLength > SUBNET_MAX_PREFIX) add(at, `${range.text} is smaller than /${SUBNET_MAX_PREFIX}, the smallest subnet Azure allows`);
  }
  for (let i = 0; i < subnets.length; i++) {
    for (let j = i + 1; j < subnets.length; j++) {
      if (overlaps(subnets[i].range, subnets[j].range)) {
        add(
          `network.virtualNetwork.subnets.${subnets[j].key}`,
          `${subnets[j].range.text} overlaps subnets.${subnets[i].key} (${subnets[i].range.text})`,
        );
      }
    }
  }
  const need = (key: keyof CreatedVnet['subnets'], addresses: number, why: string) => {
    const range = cidr(vnet.subnets[key]);
    if (usableAddresses(range) < addresses) {
      add(
        `network.virtualNetwork.subnets.${key}`,
        `${range.text} has ${usableAddresses(range)} usable addresses (${addressCount(range)} minus 5 Azure keeps), but ${why} needs ${addresses}`,
      );
    }
  };
  const { systemPool, userPool } = env.kubernetes;
  need('systemNodes', peakNodes(systemPool), `the system pool at maxCount ${systemPool.maxCount} plus surge ${systemPool.maxSurge}`);
  need('userNodes', peakNodes(userPool), `the user pool at maxCount ${userPool.maxCount} plus surge ${userPool.maxSurge}`);
  need('privateEndpoints', privateEndpointAddresses(env), 'Key Vault and the registry (one per replica region)');
  const apiServer = cidr(vnet.subnets.apiServer);
  if (apiServer.prefixLength > API_SERVER_SUBNET_MAX_PREFIX) {
    add(
      'network.virtualNetwork.subnets.apiServer',
      `${apiServer.text} is smaller than the /${API_SERVER_SUBNET_MAX_PREFIX} API server VNet integration needs`,
    );
  }
  return problems;
}

/**
 * The app's setting holding the Application Insights connection string. The chart sets it from the
 * platform: the resource takes only Entra ID-authenticated telemetry, so it is not a secret.
 */
// Also in workloads/photo-view/contract.ts (the image builds without config/); a test keeps them equal.
export const APPLICATION_INSIGHTS_SETTING = 'APPLICATIONINSIGHTS_CONNECTION_STRING';

/** Rules of `managedPrometheus`, `security` and `applicationInsights` that span fields. */
export function addOnProblems(env: EnvironmentConfig): Problem[] {
  const problems: Problem[] = [];
  if (env.managedPrometheus.grafana && !env.managedPrometheus.enabled) {
    problems.push({
      path: 'managedPrometheus.grafana',
      message: 'Grafana reads the managed Prometheus workspace; set managedPrometheus.enabled: true',
    });
  }
  if (env.app.secretNames.includes(APPLICATION_INSIGHTS_SETTING)) {
    problems.push({
      path: 'app.secretNames',
      message:
        `${APPLICATION_INSIGHTS_SETTING} is not a secret: Application Insights takes only Entra ID-authenticated telemetry, ` +
        'and the app gets the connection string as a setting from the platform (applicationInsights.enabled: true); remove it from app.secretNames',
    });
  }
  if (env.applicationInsights.enabled && env.app.settings[APPLICATION_INSIGHTS_SETTING] !== undefined) {
    problems.push({
      path: `app.settings.${APPLICATION_INSIGHTS_SETTING}`,
      message: "is set by the platform when applicationInsights.enabled is true (the environment's own Application Insights); remove it",
    });
  }
  const ingress = env.ingress;
  if (ingress?.dnsZoneId) {
    const zone = ingress.dnsZoneId.slice(ingress.dnsZoneId.lastIndexOf('/') + 1).toLowerCase();
    if (ingress.host !== zone && !ingress.host.endsWith(`.${zone}`)) {
      problems.push({
        path: 'ingress.host',
        message: `'${ingress.host}' is not in the DNS zone '${zone}' (ingress.dnsZoneId); the add-on could not write its record`,
      });
    }
  }
  return problems;
}
