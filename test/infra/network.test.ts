import { Testing } from '../../infra/cdktf';
import { AppsStack } from '../../infra/stacks/apps-stack';
import { PlatformStack } from '../../infra/stacks/platform-stack';
import { environment, ENVIRONMENT_NAMES } from '../config/fixtures';
import { azurermProblems } from '../support/azurerm-schema';
import { only, synthPlatform } from './synth';
import { terraformTestApp } from '../support/test-apps';

type Json = ReturnType<typeof synthPlatform>['json'];
const all = (json: Json, type: string): any[] => Object.values(json.resource[type] ?? {});
const ref = (json: Json, type: string, attribute = 'id') => `\${${type}.${Object.keys(json.resource[type])[0]}.${attribute}}`;
const subnetRef = (json: Json, role: string) => {
  const key = Object.keys(json.resource.azurerm_subnet).find((k) => k.startsWith(`Network_${role}_`));
  return `\${azurerm_subnet.${key}.id}`;
};
const roleAssignments = (json: Json, role: string) => all(json, 'azurerm_role_assignment').filter((a) => a.role_definition_name === role);
const keyOf = (json: Json, type: string, value: unknown) => Object.keys(json.resource[type]).find((k) => json.resource[type][k] === value);
/** The private DNS zones the private endpoints use (not the API server's). */
const endpointZoneKeys = (json: Json) =>
  Object.keys(json.resource.azurerm_private_dns_zone ?? {}).filter((k) => !json.resource.azurerm_private_dns_zone[k].name.endsWith('.azmk8s.io'));

const SUBNET = (subnet: string) =>
  `/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/${subnet}`;

const synthesized = Object.fromEntries(ENVIRONMENT_NAMES.map((name) => [name, synthPlatform(environment(name))]));

describe.each(ENVIRONMENT_NAMES)('network, identity and encryption of %s', (name) => {
  const { json } = synthesized[name];
  const env = environment(name);
  const cluster = only(json, 'azurerm_kubernetes_cluster');
  const userPool = only(json, 'azurerm_kubernetes_cluster_node_pool');

  it('runs the control plane and kubelet as user-assigned identities created before the cluster', () => {
    const identities = json.resource.azurerm_user_assigned_identity;
    const key = (id: string) => Object.keys(identities).find((k) => k.startsWith(`ClusterIdentity_${id}_`));
    expect(cluster.identity).toEqual({ type: 'UserAssigned', identity_ids: [`\${azurerm_user_assigned_identity.${key('ControlPlane')}.id}`] });
    expect(cluster.kubelet_identity).toEqual({
      client_id: `\${azurerm_user_assigned_identity.${key('Kubelet')}.client_id}`,
      object_id: `\${azurerm_user_assigned_identity.${key('Kubelet')}.principal_id}`,
      user_assigned_identity_id: `\${azurerm_user_assigned_identity.${key('Kubelet')}.id}`,
    });
    expect(identities[key('ControlPlane')!].name).toBe(`id-photoview-${name}-weu-aks`);
    const [operator] = roleAssignments(json, 'Managed Identity Operator');
    expect(operator).toMatchObject({
      scope: `\${azurerm_user_assigned_identity.${key('Kubelet')}.id}`,
      principal_id: `\${azurerm_user_assigned_identity.${key('ControlPlane')}.principal_id}`,
    });
    // The cluster must not start before the control plane may use the kubelet identity and subnets.
    const operatorKey = Object.keys(json.resource.azurerm_role_assignment).find((k) => json.resource.azurerm_role_assignment[k] === operator);
    expect(cluster.depends_on).toContain(`azurerm_role_assignment.${operatorKey}`);
  });

  it('encrypts at host on every pool as configured', () => {
    expect(cluster.default_node_pool.host_encryption_enabled).toBe(env.security.hostEncryption);
    expect(userPool.host_encryption_enabled).toBe(env.security.hostEncryption);
    expect(userPool.temporary_name_for_rotation).toBe('appstmp');
  });

  it('sets the pod and service ranges, cluster DNS and outbound type from config', () => {
    expect(cluster.network_profile).toMatchObject({
      pod_cidr: env.network.podCidr,
      service_cidr: env.network.serviceCidr,
      dns_service_ip: env.network.dnsServiceIp,
      outbound_type: env.network.outboundType,
    });
  });

  it('turns cost analysis on exactly on the Standard and Premium tiers', () => {
    expect(cluster.cost_analysis_enabled).toBe(env.kubernetes.skuTier !== 'Free');
  });
});

describe('prod: nothing reachable from the internet', () => {
  const { json } = synthesized.prod;
  const cluster = only(json, 'azurerm_kubernetes_cluster');

  it('is valid against the azurerm schema', () => {
    expect(azurermProblems(json)).toEqual([]);
  });

  it('creates the VNet with one subnet per role, each with its NSG, and the API server subnet delegated to AKS', () => {
    expect(only(json, 'azurerm_virtual_network')).toMatchObject({ name: 'vnet-photoview-prod-weu', address_space: ['10.20.0.0/16'] });
    const subnets: Record<string, any> = Object.fromEntries(all(json, 'azurerm_subnet').map((s) => [s.name, s]));
    expect(Object.fromEntries(Object.entries(subnets).map(([n, s]) => [n, s.address_prefixes]))).toEqual({
      'snet-photoview-prod-weu-system': ['10.20.0.0/24'],
      'snet-photoview-prod-weu-user': ['10.20.1.0/24'],
      'snet-photoview-prod-weu-apiserver': ['10.20.2.0/28'],
      'snet-photoview-prod-weu-pep': ['10.20.3.0/27'],
      'snet-photoview-prod-weu-ilb': ['10.20.4.0/27'],
    });
    expect(subnets['snet-photoview-prod-weu-apiserver'].delegation).toEqual([
      {
        name: 'aks-apiserver',
        service_delegation: {
          name: 'Microsoft.ContainerService/managedClusters',
          actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'],
        },
      },
    ]);
    for (const subnet of Object.values(subnets)) expect(subnet.default_outbound_access_enabled).toBe(false);
    expect(
      all(json, 'azurerm_network_security_group')
        .map((n) => n.name)
        .sort(),
    ).toEqual(['apiserver', 'ilb', 'pep', 'system', 'user'].map((q) => `nsg-photoview-prod-weu-${q}`));
    expect(all(json, 'azurerm_subnet_network_security_group_association')).toHaveLength(5);
  });

  it('puts the pools into their subnets', () => {
    expect(cluster.default_node_pool.vnet_subnet_id).toBe(subnetRef(json, 'systemNodes'));
    expect(only(json, 'azurerm_kubernetes_cluster_node_pool').vnet_subnet_id).toBe(subnetRef(json, 'userNodes'));
  });

  it('is a private cluster (no public FQDN) with the API server in its subnet', () => {
    expect(cluster).toMatchObject({ private_cluster_enabled: true, private_cluster_public_fqdn_enabled: false });
    expect(cluster.api_server_access_profile).toEqual({ subnet_id: subnetRef(json, 'apiServer'), virtual_network_integration_enabled: true });
  });

  it("registers the API server in the platform's private DNS zone, linked to the VNet and every runner network", () => {
    const zones = json.resource.azurerm_private_dns_zone;
    const zoneKey = Object.keys(zones).find((k) => zones[k].name.endsWith('.azmk8s.io'))!;
    // <subzone>.privatelink.<region>.azmk8s.io, one of the two names AKS accepts for a bring-your-own zone.
    expect(zones[zoneKey].name).toBe('aks-photoview-prod-weu.privatelink.westeurope.azmk8s.io');
    expect(cluster.private_dns_zone_id).toBe(`\${azurerm_private_dns_zone.${zoneKey}.id}`);
    const runners = environment('prod').network.runnerNetworks;
    const links = all(json, 'azurerm_private_dns_zone_virtual_network_link').filter(
      (l) => l.private_dns_zone_name === `\${azurerm_private_dns_zone.${zoneKey}.name}`,
    );
    expect(links.map((l) => l.virtual_network_id).sort()).toEqual([ref(json, 'azurerm_virtual_network'), ...runners].sort());
    for (const link of links) expect(link.registration_enabled).toBe(false);
  });

  it('gives the control plane Private DNS Zone Contributor on that zone and Network Contributor on the VNet before the cluster starts', () => {
    const zoneKey = Object.keys(json.resource.azurerm_private_dns_zone).find((k) => !endpointZoneKeys(json).includes(k));
    const controlPlane = `\${azurerm_user_assigned_identity.${Object.keys(json.resource.azurerm_user_assigned_identity).find((k) => k.startsWith('ClusterIdentity_ControlPlane_'))}.principal_id}`;
    const [dns] = roleAssignments(json, 'Private DNS Zone Contributor');
    expect(dns).toMatchObject({ scope: `\${azurerm_private_dns_zone.${zoneKey}.id}`, principal_id: controlPlane });
    const vnet = roleAssignments(json, 'Network Contributor').find((a) => a.scope === ref(json, 'azurerm_virtual_network'));
    expect(vnet).toMatchObject({ principal_id: controlPlane });
    for (const assignment of [dns, vnet])
      expect(cluster.depends_on).toContain(`azurerm_role_assignment.${keyOf(json, 'azurerm_role_assignment', assignment)}`);
  });

  it('gives the control plane Network Contributor on the node, API server and load balancer subnets, not the endpoint subnet', () => {
    expect(
      roleAssignments(json, 'Network Contributor')
        .map((a) => a.scope)
        .filter((scope) => scope !== ref(json, 'azurerm_virtual_network'))
        .sort(),
    ).toEqual(['systemNodes', 'userNodes', 'apiServer', 'internalLoadBalancers'].map((r) => subnetRef(json, r)).sort());
  });

  it('closes Key Vault and the registry to public networks; trusted Azure services bypass', () => {
    expect(only(json, 'azurerm_key_vault')).toMatchObject({
      public_network_access_enabled: false,
      network_acls: { default_action: 'Deny', bypass: 'AzureServices', ip_rules: [] },
    });
    expect(only(json, 'azurerm_container_registry')).toMatchObject({
      public_network_access_enabled: false,
      network_rule_bypass_option: 'AzureServices',
      network_rule_set: [{ default_action: 'Deny', ip_rule: [] }],
    });
  });

  it('reaches Key Vault and the registry through private endpoints with private DNS zones linked to the VNet', () => {
    const endpoints: Record<string, any> = Object.fromEntries(
      all(json, 'azurerm_private_endpoint').map((e) => [e.private_service_connection.subresource_names[0], e]),
    );
    expect(Object.keys(endpoints).sort()).toEqual(['registry', 'vault']);
    expect(endpoints.vault).toMatchObject({
      name: 'pep-photoview-prod-weu-kv',
      subnet_id: subnetRef(json, 'privateEndpoints'),
      private_service_connection: { private_connection_resource_id: ref(json, 'azurerm_key_vault'), is_manual_connection: false },
    });
    expect(endpoints.registry.private_service_connection.private_connection_resource_id).toBe(ref(json, 'azurerm_container_registry'));
    const zones = json.resource.azurerm_private_dns_zone;
    expect(
      endpointZoneKeys(json)
        .map((k) => zones[k].name)
        .sort(),
    ).toEqual(['privatelink.azurecr.io', 'privatelink.vaultcore.azure.net']);
    for (const endpoint of Object.values(endpoints)) {
      const zoneKey = endpointZoneKeys(json).find(
        (k) => endpoint.private_dns_zone_group.private_dns_zone_ids[0] === `\${azurerm_private_dns_zone.${k}.id}`,
      );
      expect(zoneKey).toBeDefined();
    }
    // Each zone is linked to the environment's VNet and to every runner network the config names.
    const runners = environment('prod').network.runnerNetworks;
    expect(runners).toHaveLength(1);
    const links = all(json, 'azurerm_private_dns_zone_virtual_network_link');
    for (const zone of endpointZoneKeys(json)) {
      const linked = links.filter((l) => l.private_dns_zone_name === `\${azurerm_private_dns_zone.${zone}.name}`).map((l) => l.virtual_network_id);
      expect(linked.sort()).toEqual([ref(json, 'azurerm_virtual_network'), ...runners].sort());
    }
    for (const link of links) expect(link.registration_enabled).toBe(false);
    expect(azurermProblems(json)).toEqual([]);
  });
});

describe('dev: AKS-managed VNet, public endpoints (Entra ID and RBAC only)', () => {
  const { json } = synthesized.dev;
  const cluster = only(json, 'azurerm_kubernetes_cluster');

  it('creates no VNet, endpoints or subnet rights, and a public API server', () => {
    for (const type of ['azurerm_virtual_network', 'azurerm_subnet', 'azurerm_private_endpoint', 'azurerm_private_dns_zone'])
      expect(json.resource[type]).toBeUndefined();
    expect(roleAssignments(json, 'Network Contributor')).toEqual([]);
    expect(cluster.default_node_pool).not.toHaveProperty('vnet_subnet_id');
    expect(cluster.private_cluster_enabled).toBe(false);
    expect(cluster).not.toHaveProperty('api_server_access_profile');
    expect(cluster).not.toHaveProperty('private_dns_zone_id');
    expect(roleAssignments(json, 'Private DNS Zone Contributor')).toEqual([]);
  });

  it('leaves Key Vault open with an explicit Allow and the registry without a firewall', () => {
    expect(only(json, 'azurerm_key_vault')).toMatchObject({
      public_network_access_enabled: true,
      network_acls: { default_action: 'Allow', bypass: 'AzureServices' },
    });
    expect(only(json, 'azurerm_container_registry')).not.toHaveProperty('network_rule_set');
  });
});

describe('network options', () => {
  it('authorized ranges: a public API server that only the listed ranges reach', () => {
    const { json } = synthPlatform(
      environment('dev', { network: { apiServer: { access: 'authorizedRanges', authorizedIpRanges: ['203.0.113.0/24', '198.51.100.7/32'] } } }),
    );
    const cluster = only(json, 'azurerm_kubernetes_cluster');
    expect(cluster.api_server_access_profile).toEqual({ authorized_ip_ranges: ['203.0.113.0/24', '198.51.100.7/32'] });
    expect(cluster.private_cluster_enabled).toBe(false);
    expect(azurermProblems(json)).toEqual([]);
  });

  it('a private cluster without VNet integration uses a private endpoint for the API server (no access profile)', () => {
    const { json } = synthPlatform(environment('prod', { network: { apiServer: { vnetIntegration: false } } }));
    const cluster = only(json, 'azurerm_kubernetes_cluster');
    expect(cluster.private_cluster_enabled).toBe(true);
    expect(cluster).not.toHaveProperty('api_server_access_profile');
    // Node and load balancer subnets, and the VNet (the API server's private DNS zone is linked to it).
    expect(roleAssignments(json, 'Network Contributor')).toHaveLength(4);
  });

  it('a public API server in a created VNet gets no API server zone or VNet-wide rights', () => {
    const { json } = synthesized.staging;
    expect(environment('staging').network.apiServer.access).not.toBe('private');
    expect(all(json, 'azurerm_private_dns_zone').filter((z) => z.name.endsWith('.azmk8s.io'))).toEqual([]);
    expect(only(json, 'azurerm_kubernetes_cluster')).not.toHaveProperty('private_dns_zone_id');
    expect(roleAssignments(json, 'Network Contributor').map((a) => a.scope)).not.toContain(ref(json, 'azurerm_virtual_network'));
  });

  it('a private cluster in the AKS-managed VNet keeps the AKS-managed zone (no VNet to link the platform zone to)', () => {
    const runnerNetworks = environment('prod').network.runnerNetworks;
    const { json } = synthPlatform(
      environment('dev', { network: { apiServer: { access: 'private' }, runnerNetworks }, deploy: { runner: 'self-hosted-vnet' } }),
    );
    expect(only(json, 'azurerm_kubernetes_cluster')).toMatchObject({ private_cluster_enabled: true, private_dns_zone_id: 'System' });
    expect(json.resource.azurerm_private_dns_zone).toBeUndefined();
    expect(azurermProblems(json)).toEqual([]);
  });

  it('VNet integration with authorized ranges on a public API server', () => {
    const { json } = synthPlatform(
      environment('staging', {
        network: { apiServer: { access: 'authorizedRanges', authorizedIpRanges: ['203.0.113.0/24'], vnetIntegration: true } },
      }),
    );
    expect(only(json, 'azurerm_kubernetes_cluster').api_server_access_profile).toEqual({
      authorized_ip_ranges: ['203.0.113.0/24'],
      subnet_id: subnetRef(json, 'apiServer'),
      virtual_network_integration_enabled: true,
    });
  });

  it('existing subnets: no VNet created, pools and rights on the given IDs, load balancers in the user subnet by default', () => {
    const { json } = synthPlatform(
      environment('prod', {
        network: {
          virtualNetwork: {
            mode: 'existing',
            addressSpace: ['10.50.0.0/16'],
            subnets: { systemNodes: SUBNET('nodes'), userNodes: SUBNET('apps'), apiServer: SUBNET('api'), privateEndpoints: SUBNET('pep') },
          },
        },
      }),
    );
    expect(json.resource.azurerm_virtual_network).toBeUndefined();
    expect(json.resource.azurerm_subnet).toBeUndefined();
    const cluster = only(json, 'azurerm_kubernetes_cluster');
    expect(cluster.default_node_pool.vnet_subnet_id).toBe(SUBNET('nodes'));
    expect(only(json, 'azurerm_kubernetes_cluster_node_pool').vnet_subnet_id).toBe(SUBNET('apps'));
    expect(cluster.api_server_access_profile.subnet_id).toBe(SUBNET('api'));
    // The user subnet also hosts the load balancers: one assignment, not a duplicate that Azure would reject.
    expect(
      roleAssignments(json, 'Network Contributor')
        .map((a) => a.scope)
        .sort(),
    ).toEqual([SUBNET('x').replace(/\/subnets\/x$/, ''), SUBNET('api'), SUBNET('apps'), SUBNET('nodes')]);
    for (const endpoint of all(json, 'azurerm_private_endpoint')) expect(endpoint.subnet_id).toBe(SUBNET('pep'));
    for (const link of all(json, 'azurerm_private_dns_zone_virtual_network_link').filter((l) => !l.name.includes('-runner-')))
      expect(link.virtual_network_id).toBe(SUBNET('x').replace(/\/subnets\/x$/, ''));
    expect(azurermProblems(json)).toEqual([]);
  });

  it('user-defined routing with existing subnets sets the outbound type only', () => {
    const { json } = synthPlatform(
      environment('dev', {
        network: {
          outboundType: 'userDefinedRouting',
          virtualNetwork: { mode: 'existing', addressSpace: ['10.50.0.0/16'], subnets: { systemNodes: SUBNET('nodes'), userNodes: SUBNET('apps') } },
        },
      }),
    );
    expect(only(json, 'azurerm_kubernetes_cluster').network_profile.outbound_type).toBe('userDefinedRouting');
    expect(json.resource.azurerm_nat_gateway).toBeUndefined();
  });

  it('a user-assigned NAT gateway with a static IP on both node subnets', () => {
    const { json } = synthPlatform(environment('staging', { network: { outboundType: 'userAssignedNATGateway' } }));
    expect(only(json, 'azurerm_nat_gateway')).toMatchObject({ name: 'ng-photoview-staging-weu', sku_name: 'Standard' });
    expect(only(json, 'azurerm_public_ip')).toMatchObject({ name: 'pip-photoview-staging-weu-egress', allocation_method: 'Static', sku: 'Standard' });
    expect(
      all(json, 'azurerm_subnet_nat_gateway_association')
        .map((a) => a.subnet_id)
        .sort(),
    ).toEqual([subnetRef(json, 'systemNodes'), subnetRef(json, 'userNodes')].sort());
    expect(only(json, 'azurerm_kubernetes_cluster').network_profile.outbound_type).toBe('userAssignedNATGateway');
    expect(azurermProblems(json)).toEqual([]);
  });

  it('a managed NAT gateway in the AKS-managed VNet', () => {
    const { json } = synthPlatform(environment('dev', { network: { outboundType: 'managedNATGateway' } }));
    expect(only(json, 'azurerm_kubernetes_cluster').network_profile.outbound_type).toBe('managedNATGateway');
  });

  it('trusted ranges: Key Vault and registry firewalls let CI egress ranges through while public access stays on', () => {
    const { json } = synthPlatform(environment('prod', { network: { publicNetworkAccess: true, trustedIpRanges: ['203.0.113.0/24'] } }));
    expect(only(json, 'azurerm_key_vault')).toMatchObject({
      public_network_access_enabled: true,
      network_acls: { default_action: 'Deny', ip_rules: ['203.0.113.0/24'] },
    });
    expect(only(json, 'azurerm_container_registry')).toMatchObject({
      public_network_access_enabled: true,
      network_rule_set: [{ default_action: 'Deny', ip_rule: [{ action: 'Allow', ip_range: '203.0.113.0/24' }] }],
    });
  });

  it('host encryption off leaves the pools unencrypted', () => {
    const { json } = synthPlatform(environment('dev', { security: { hostEncryption: false } }));
    expect(only(json, 'azurerm_kubernetes_cluster').default_node_pool.host_encryption_enabled).toBe(false);
    expect(only(json, 'azurerm_kubernetes_cluster_node_pool').host_encryption_enabled).toBe(false);
  });
});

describe('the apps stack in every API server access mode', () => {
  // One provider configuration serves all modes: the host comes from the cluster's kube_config, which is
  // the public FQDN (public, authorized ranges) or the private FQDN (private cluster); where CI runs decides
  // whether it resolves and is allowed (docs/network.md, "API server access, and how CI reaches it").
  const modes: Array<[string, ReturnType<typeof environment>]> = [
    ['public', environment('dev')],
    ['authorized ranges', environment('dev', { network: { apiServer: { access: 'authorizedRanges', authorizedIpRanges: ['203.0.113.0/24'] } } })],
    ['private with VNet integration', environment('prod')],
    ['private with a private endpoint', environment('prod', { network: { apiServer: { vnetIntegration: false } } })],
  ];
  it.each(modes)('%s: host and CA from the cluster data source, Entra ID tokens from kubelogin', (_mode, env) => {
    const app = terraformTestApp();
    const platform = new PlatformStack(app, { environment: env });
    const json = JSON.parse(Testing.synth(new AppsStack(app, { environment: env, platform }), true));
    expect(json.provider.kubernetes[0]).toMatchObject({
      host: '${data.azurerm_kubernetes_cluster.Cluster.kube_config[0].host}',
      cluster_ca_certificate: '${base64decode(data.azurerm_kubernetes_cluster.Cluster.kube_config[0].cluster_ca_certificate)}',
      exec: [{ command: 'kubelogin' }],
    });
  });
});

describe('central private DNS zones (hub/spoke)', () => {
  const ZONE = (name: string) =>
    `/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones/${name}`;
  it('registers the endpoints in the hub zones and creates no zones or links of its own', () => {
    const { json } = synthPlatform(
      environment('prod', {
        network: {
          virtualNetwork: {
            mode: 'existing',
            addressSpace: ['10.50.0.0/16'],
            subnets: { systemNodes: SUBNET('nodes'), userNodes: SUBNET('apps'), apiServer: SUBNET('api'), privateEndpoints: SUBNET('pep') },
            privateDnsZones: { keyVault: ZONE('privatelink.vaultcore.azure.net'), registry: ZONE('privatelink.azurecr.io') },
          },
        },
      }),
    );
    // Only the API server's zone, which the central zones do not cover.
    expect(all(json, 'azurerm_private_dns_zone').map((z) => z.name)).toEqual(['aks-photoview-prod-weu.privatelink.westeurope.azmk8s.io']);
    for (const link of all(json, 'azurerm_private_dns_zone_virtual_network_link')) expect(link.name).toMatch(/^aks-photoview-prod-weu-/);
    const zoneOf = Object.fromEntries(
      all(json, 'azurerm_private_endpoint').map((e) => [
        e.private_service_connection.subresource_names[0],
        e.private_dns_zone_group.private_dns_zone_ids,
      ]),
    );
    expect(zoneOf).toEqual({ vault: [ZONE('privatelink.vaultcore.azure.net')], registry: [ZONE('privatelink.azurecr.io')] });
    expect(azurermProblems(json)).toEqual([]);
  });
});

describe('network diagnostics', () => {
  it('sends the VNet, NSG and NAT public IP logs to the workspace (policy AZ001)', () => {
    const { json } = synthPlatform(environment('staging', { network: { outboundType: 'userAssignedNATGateway' } }));
    const settings = all(json, 'azurerm_monitor_diagnostic_setting');
    const categoriesOf = (target: string) => settings.find((s) => s.target_resource_id === target)?.enabled_log.map((l: any) => l.category);
    expect(categoriesOf(ref(json, 'azurerm_virtual_network'))).toEqual(['VMProtectionAlerts']);
    for (const key of Object.keys(json.resource.azurerm_network_security_group)) {
      const setting = settings.find((s) => s.target_resource_id === `\${azurerm_network_security_group.${key}.id}`);
      expect(setting.enabled_log.map((l: any) => l.category)).toEqual(['NetworkSecurityGroupEvent', 'NetworkSecurityGroupRuleCounter']);
      // NSGs have no platform metrics; asking for AllMetrics would fail at apply.
      expect(setting).not.toHaveProperty('enabled_metric');
    }
    expect(categoriesOf(ref(json, 'azurerm_public_ip'))).toContain('DDoSProtectionNotifications');
  });
});

describe('a public load balancer in a created VNet', () => {
  it('opens HTTP and HTTPS from the internet on the user node subnet only', () => {
    const { json } = synthPlatform(environment('staging', { app: { internalLoadBalancer: false } }));
    const nsgs: Record<string, any> = Object.fromEntries(all(json, 'azurerm_network_security_group').map((n) => [n.name, n]));
    expect(nsgs['nsg-photoview-staging-weu-user'].security_rule).toEqual([
      expect.objectContaining({
        name: 'AllowInternetWebToLoadBalancers',
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        source_address_prefix: 'Internet',
        destination_port_ranges: ['80', '443'],
      }),
    ]);
    for (const [name, nsg] of Object.entries(nsgs)) if (!name.endsWith('-user')) expect(nsg).not.toHaveProperty('security_rule');
    expect(azurermProblems(json)).toEqual([]);
  });

  it('keeps every NSG at Azure defaults when the app is internal', () => {
    for (const nsg of all(synthesized.prod.json, 'azurerm_network_security_group')) expect(nsg).not.toHaveProperty('security_rule');
  });
});
