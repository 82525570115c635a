import { internalLoadBalancerSubnetName, parseCidr, peakNodes } from '../../config';
import { configErrorOf, environment } from './fixtures';

const SUBNET = (vnet: string, subnet: string) =>
  `/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${subnet}`;
const existing = (subnets: Record<string, string>) => ({
  network: {
    virtualNetwork: {
      mode: 'existing',
      addressSpace: ['10.50.0.0/16'],
      subnets: { systemNodes: SUBNET('vnet-spoke', 'nodes'), userNodes: SUBNET('vnet-spoke', 'apps'), ...subnets },
    },
  },
});

describe('address arithmetic', () => {
  it('parses a CIDR and rejects one that is not the start of its range', () => {
    expect(parseCidr('10.20.0.0/16')).toEqual({ text: '10.20.0.0/16', start: 10 * 2 ** 24 + 20 * 2 ** 16, prefixLength: 16 });
    expect(parseCidr('10.20.1.0/16')).toBe("'10.20.1.0/16' is not the start of its range; did you mean 10.20.0.0/16?");
    expect(parseCidr('10.20.0.0')).toMatch(/not an IPv4 CIDR range/);
    expect(parseCidr('10.300.0.0/16')).toMatch(/octet above 255/);
  });

  it('counts upgrade surge on top of maxCount (percent rounded up, or a count)', () => {
    expect(peakNodes({ maxCount: 12, maxSurge: '33%' })).toBe(16);
    expect(peakNodes({ maxCount: 3, maxSurge: '1' })).toBe(4);
  });
});

describe('shipped network plans', () => {
  it('prod: own VNet, private API server with VNet integration, private endpoints, no public access', () => {
    const { network } = environment('prod');
    expect(network.virtualNetwork.mode).toBe('create');
    expect(network.apiServer).toEqual({ access: 'private', vnetIntegration: true, authorizedIpRanges: [] });
    expect(network.privateEndpoints).toBe(true);
    expect(network.publicNetworkAccess).toBe(false);
  });

  it('names the internal load balancer subnet when the VNet has one, and none in the AKS-managed VNet', () => {
    expect(internalLoadBalancerSubnetName(environment('prod'))).toBe('snet-photoview-prod-weu-ilb');
    expect(internalLoadBalancerSubnetName(environment('dev'))).toBeUndefined();
    expect(internalLoadBalancerSubnetName(environment('dev', existing({ internalLoadBalancers: SUBNET('vnet-spoke', 'lbs') })))).toBe('lbs');
  });

  it('accepts existing subnets by resource ID, with private endpoints and VNet integration', () => {
    const env = environment('prod', existing({ apiServer: SUBNET('vnet-spoke', 'api'), privateEndpoints: SUBNET('vnet-spoke', 'pep') }));
    expect(env.network.virtualNetwork.mode).toBe('existing');
  });
});

describe('rejects impossible network plans', () => {
  const cases: Array<[string, string, Record<string, any>, RegExp]> = [
    [
      'a private cluster with authorized ranges',
      'prod',
      { network: { apiServer: { authorizedIpRanges: ['203.0.113.0/24'] } } },
      /network\.apiServer\.authorizedIpRanges = \["203\.0\.113\.0\/24"\]: a private cluster has no public endpoint to restrict/,
    ],
    [
      'authorized-ranges access without ranges',
      'dev',
      { network: { apiServer: { access: 'authorizedRanges' } } },
      /network\.apiServer\.authorizedIpRanges = \[\]: access 'authorizedRanges' needs at least one range/,
    ],
    [
      'ranges on a public API server',
      'dev',
      { network: { apiServer: { authorizedIpRanges: ['203.0.113.0/24'] } } },
      /ranges apply only with access 'authorizedRanges'/,
    ],
    [
      '0.0.0.0/0 as an authorized range',
      'dev',
      { network: { apiServer: { access: 'authorizedRanges', authorizedIpRanges: ['0.0.0.0/0'] } } },
      /network\.apiServer\.authorizedIpRanges\.0 = "0\.0\.0\.0\/0": 0\.0\.0\.0\/0 is the whole internet/,
    ],
    [
      'VNet integration in the AKS-managed VNet',
      'dev',
      { network: { apiServer: { vnetIntegration: true } } },
      /network\.apiServer\.vnetIntegration = true: VNet integration needs an API server subnet/,
    ],
    [
      'VNet integration without a subnet',
      'prod',
      existing({ privateEndpoints: SUBNET('vnet-spoke', 'pep') }),
      /network\.virtualNetwork\.subnets\.apiServer: VNet integration \(network\.apiServer\.vnetIntegration\) needs the resource ID of a subnet/,
    ],
    [
      'private endpoints without a VNet',
      'dev',
      { registry: { sku: 'Premium' }, network: { privateEndpoints: true } },
      /network\.privateEndpoints = true: private endpoints need a VNet/,
    ],
    [
      'private endpoints in an existing VNet without their subnet',
      'prod',
      existing({ apiServer: SUBNET('vnet-spoke', 'api') }),
      /network\.virtualNetwork\.subnets\.privateEndpoints: private endpoints \(network\.privateEndpoints\) need the resource ID/,
    ],
    [
      'private endpoints on a registry below Premium',
      'staging',
      { network: { privateEndpoints: true } },
      /registry\.sku = "Standard": registry private endpoints need sku 'Premium'/,
    ],
    [
      'public access off without private endpoints',
      'staging',
      { network: { publicNetworkAccess: false } },
      /network\.publicNetworkAccess = false: with public access off and no private endpoints nothing could reach Key Vault or the registry/,
    ],
    [
      'trusted ranges while public access is off',
      'prod',
      { network: { trustedIpRanges: ['203.0.113.0/24'] } },
      /network\.trustedIpRanges = \["203\.0\.113\.0\/24"\]: public access is off/,
    ],
    [
      'trusted ranges without a default-deny firewall',
      'dev',
      { network: { trustedIpRanges: ['203.0.113.0/24'] } },
      /firewall ranges apply when Key Vault and the registry deny by default/,
    ],
    [
      'a private address as a trusted firewall range',
      'prod',
      { network: { publicNetworkAccess: true, trustedIpRanges: ['203.0.113.0/24', '10.1.0.0/16'] } },
      /network\.trustedIpRanges\.1 = "10\.1\.0\.0\/16": 10\.1\.0\.0\/16 overlaps the private range 10\.0\.0\.0\/8; Key Vault and registry firewalls take public addresses only/,
    ],
    [
      'more authorized ranges than AKS accepts',
      'dev',
      {
        network: {
          apiServer: {
            access: 'authorizedRanges',
            authorizedIpRanges: Array.from({ length: 201 }, (_, i) => `203.0.${Math.floor(i / 64)}.${(i % 64) * 4}/30`),
          },
        },
      },
      /201 ranges; AKS accepts at most 200/,
    ],
    [
      'a managed NAT gateway with own subnets',
      'staging',
      { network: { outboundType: 'managedNATGateway' } },
      /network\.outboundType = "managedNATGateway": 'managedNATGateway' works only in the AKS-managed VNet/,
    ],
    [
      'a user-assigned NAT gateway in the AKS-managed VNet',
      'dev',
      { network: { outboundType: 'userAssignedNATGateway' } },
      /'userAssignedNATGateway' needs node subnets/,
    ],
    [
      'user-defined routing without existing subnets',
      'staging',
      { network: { outboundType: 'userDefinedRouting' } },
      /'userDefinedRouting' needs existing subnets whose route table sends 0\.0\.0\.0\/0 to your firewall/,
    ],
    [
      'a service CIDR inside the VNet',
      'prod',
      { network: { serviceCidr: '10.20.128.0/20', dnsServiceIp: '10.20.128.10' } },
      /network\.serviceCidr = "10\.20\.128\.0\/20": 10\.20\.128\.0\/20 overlaps network\.virtualNetwork\.addressSpace \(10\.20\.0\.0\/16\); the service CIDR must lie outside the VNet/,
    ],
    [
      'a service CIDR inside the AKS-managed VNet',
      'dev',
      { network: { serviceCidr: '10.224.0.0/16', dnsServiceIp: '10.224.0.10' } },
      /10\.224\.0\.0\/16 overlaps the AKS-managed VNet \(10\.224\.0\.0\/12\)/,
    ],
    [
      'a service CIDR AKS reserves',
      'dev',
      { network: { serviceCidr: '172.30.0.0/16', dnsServiceIp: '172.30.0.10' } },
      /overlaps 172\.30\.0\.0\/16, which AKS reserves/,
    ],
    [
      'a pod CIDR overlapping the VNet',
      'prod',
      { network: { podCidr: '10.0.0.0/8' } },
      /network\.podCidr = "10\.0\.0\.0\/8": 10\.0\.0\.0\/8 overlaps network\.virtualNetwork\.addressSpace/,
    ],
    [
      'a pod CIDR overlapping the service CIDR',
      'dev',
      { network: { podCidr: '10.0.0.0/16' } },
      /network\.podCidr = "10\.0\.0\.0\/16": 10\.0\.0\.0\/16 overlaps network\.serviceCidr/,
    ],
    [
      'a pod CIDR too small for one /24 per node',
      'prod',
      { network: { podCidr: '192.168.0.0/21' } },
      /192\.168\.0\.0\/21 has 8 \/24 blocks, but overlay needs one per node and the pools can reach 23 nodes/,
    ],
    [
      'a DNS service IP outside the service CIDR',
      'dev',
      { network: { dnsServiceIp: '10.1.0.10' } },
      /network\.dnsServiceIp = "10\.1\.0\.10": 10\.1\.0\.10 must lie inside network\.serviceCidr/,
    ],
    [
      'the first address of the service CIDR as DNS IP',
      'dev',
      { network: { dnsServiceIp: '10.0.0.1' } },
      /is the first or second address of 10\.0\.0\.0\/16/,
    ],
    [
      'a subnet outside the address space',
      'prod',
      { network: { virtualNetwork: { subnets: { internalLoadBalancers: '10.21.0.0/27' } } } },
      /network\.virtualNetwork\.subnets\.internalLoadBalancers = "10\.21\.0\.0\/27": 10\.21\.0\.0\/27 lies outside the VNet address space \(10\.20\.0\.0\/16\)/,
    ],
    [
      'overlapping subnets',
      'prod',
      { network: { virtualNetwork: { subnets: { userNodes: '10.20.0.128/25' } } } },
      /network\.virtualNetwork\.subnets\.userNodes = "10\.20\.0\.128\/25": 10\.20\.0\.128\/25 overlaps subnets\.systemNodes \(10\.20\.0\.0\/24\)/,
    ],
    [
      'a node subnet too small for maxCount plus surge',
      'prod',
      { network: { virtualNetwork: { subnets: { userNodes: '10.20.1.0/28' } } } },
      /subnets\.userNodes = "10\.20\.1\.0\/28": 10\.20\.1\.0\/28 has 11 usable addresses \(16 minus 5 Azure keeps\), but the user pool at maxCount 12 plus surge 33% needs 16/,
    ],
    [
      'an API server subnet smaller than /28',
      'prod',
      { network: { virtualNetwork: { subnets: { apiServer: '10.20.2.0/29' } } } },
      /subnets\.apiServer = "10\.20\.2\.0\/29": 10\.20\.2\.0\/29 is smaller than the \/28 API server VNet integration needs/,
    ],
    [
      'a private endpoint subnet too small for the registry replicas',
      'prod',
      { network: { virtualNetwork: { subnets: { privateEndpoints: '10.20.3.0/29' } } } },
      /subnets\.privateEndpoints = "10\.20\.3\.0\/29": 10\.20\.3\.0\/29 has 3 usable addresses .* needs 4/,
    ],
    [
      'a subnet Azure cannot create',
      'prod',
      { network: { virtualNetwork: { subnets: { internalLoadBalancers: '10.20.4.0/30' } } } },
      /10\.20\.4\.0\/30 is smaller than \/29, the smallest subnet Azure allows/,
    ],
    [
      'existing subnets in different VNets',
      'dev',
      existing({ userNodes: SUBNET('vnet-other', 'apps') }),
      /network\.virtualNetwork\.subnets\.userNodes = .*: must be a subnet of the system nodes' VNet/,
    ],
    [
      'a malformed subnet ID',
      'dev',
      existing({ userNodes: 'apps' }),
      /network\.virtualNetwork\.subnets\.userNodes = "apps": must be a subnet resource ID like \/subscriptions\//,
    ],
    [
      'a CIDR that is not the start of its range',
      'prod',
      { network: { virtualNetwork: { addressSpace: '10.20.1.0/16' } } },
      /network\.virtualNetwork\.addressSpace = "10\.20\.1\.0\/16": '10\.20\.1\.0\/16' is not the start of its range; did you mean 10\.20\.0\.0\/16\?/,
    ],
    [
      'an unknown network mode',
      'dev',
      { network: { virtualNetwork: { mode: 'hub' } } },
      /network\.virtualNetwork\.mode must be one of 'aksManaged', 'create', 'existing'/,
    ],
    [
      'Grafana without managed Prometheus',
      'dev',
      { managedPrometheus: { enabled: false, grafana: true } },
      /managedPrometheus\.grafana = true: Grafana reads the managed Prometheus workspace/,
    ],
  ];
  it.each(cases)('rejects %s', (_name, env, patch, expected) => {
    const message = configErrorOf(() => environment(env, patch));
    expect(message).toMatch(new RegExp(`environments/${env}\\.yaml \\(environment '${env}'\\)`));
    expect(message).toMatch(expected);
  });
});

describe('runner networks', () => {
  const RUNNERS = '/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-ci/providers/Microsoft.Network/virtualNetworks/vnet-ci';

  it('a private environment must name the VNets its runners work from', () => {
    expect(configErrorOf(() => environment('prod', { network: { runnerNetworks: [] } }))).toMatch(
      /network\.runnerNetworks = \[\]: a private environment \(private API server or private endpoints\) needs the VNet resource IDs/,
    );
    expect(environment('prod', { network: { runnerNetworks: [RUNNERS] } }).network.runnerNetworks).toEqual([RUNNERS]);
  });

  it('refuses what is not a VNet resource ID, and asks nothing of a public environment', () => {
    expect(configErrorOf(() => environment('prod', { network: { runnerNetworks: [`${RUNNERS}/subnets/runners`] } }))).toMatch(
      /network\.runnerNetworks\.0 = .*must be a virtual network resource ID/,
    );
    expect(environment('dev').network.runnerNetworks).toEqual([]);
  });
});

describe('Application Insights', () => {
  it('refuses the connection string as a secret name: it is a setting the platform provides', () => {
    for (const enabled of [true, false]) {
      expect(
        configErrorOf(() =>
          environment('prod', {
            app: { secretNames: ['STORAGE_CONNECTION_STRING', 'APPLICATIONINSIGHTS_CONNECTION_STRING'] },
            applicationInsights: { enabled },
          }),
        ),
      ).toMatch(
        /app\.secretNames = \["STORAGE_CONNECTION_STRING","APPLICATIONINSIGHTS_CONNECTION_STRING"\]: APPLICATIONINSIGHTS_CONNECTION_STRING is not a secret: .*remove it from app\.secretNames/,
      );
    }
  });

  it('refuses the connection string in app.settings when the platform sets it', () => {
    const settings = { GALLERY_TITLE: 'x', APPLICATIONINSIGHTS_CONNECTION_STRING: 'IngestionEndpoint=https://example.invalid/' };
    expect(configErrorOf(() => environment('prod', { app: { settings } }))).toMatch(
      /app\.settings\.APPLICATIONINSIGHTS_CONNECTION_STRING: is set by the platform when applicationInsights\.enabled is true/,
    );
  });
});

describe('ingress', () => {
  const zone = (name: string) =>
    `/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg-dns/providers/Microsoft.Network/dnszones/${name}`;
  it('rejects a host outside the DNS zone', () => {
    expect(
      configErrorOf(() =>
        environment('prod', { ingress: { host: 'photos.example.org', certificateName: 'photos', dnsZoneId: zone('example.com') } }),
      ),
    ).toMatch(/ingress\.host = "photos\.example\.org": 'photos\.example\.org' is not in the DNS zone 'example\.com'/);
  });
  it('rejects a host that is not a DNS name', () => {
    expect(configErrorOf(() => environment('prod', { ingress: { host: 'https://photos', certificateName: 'photos' } }))).toMatch(
      /ingress\.host = "https:\/\/photos": must be a lowercase DNS name/,
    );
  });
  it('rejects a certificate name Key Vault cannot hold', () => {
    expect(configErrorOf(() => environment('prod', { ingress: { host: 'photos.example.com', certificateName: 'photos.example.com' } }))).toMatch(
      /ingress\.certificateName = "photos\.example\.com": must be a Key Vault object name/,
    );
  });
});

describe('central private DNS zones', () => {
  const ZONE = (name: string) =>
    `/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones/${name}`;
  const withZones = (keyVault: string, registry: string) => ({
    network: {
      virtualNetwork: {
        mode: 'existing',
        addressSpace: ['10.50.0.0/16'],
        subnets: {
          systemNodes: SUBNET('vnet-spoke', 'nodes'),
          userNodes: SUBNET('vnet-spoke', 'apps'),
          apiServer: SUBNET('vnet-spoke', 'api'),
          privateEndpoints: SUBNET('vnet-spoke', 'pep'),
        },
        privateDnsZones: { keyVault, registry },
      },
    },
  });
  it('accepts the hub zones by resource ID', () => {
    expect(
      environment('prod', withZones(ZONE('privatelink.vaultcore.azure.net'), ZONE('privatelink.azurecr.io'))).network.virtualNetwork,
    ).toHaveProperty('privateDnsZones');
  });
  it('rejects a zone that does not hold the service records', () => {
    expect(configErrorOf(() => environment('prod', withZones(ZONE('privatelink.azurecr.io'), ZONE('privatelink.azurecr.io'))))).toMatch(
      /network\.virtualNetwork\.privateDnsZones\.keyVault = ".*": is zone 'privatelink\.azurecr\.io', but Key Vault records belong in 'privatelink\.vaultcore\.azure\.net'/,
    );
  });
  it('rejects zones without private endpoints', () => {
    const patch = withZones(ZONE('privatelink.vaultcore.azure.net'), ZONE('privatelink.azurecr.io'));
    expect(
      configErrorOf(() => environment('prod', { ...patch, network: { ...patch.network, privateEndpoints: false, publicNetworkAccess: true } })),
    ).toMatch(/network\.virtualNetwork\.privateDnsZones = .*: private DNS zones are used by private endpoints/);
  });
});
