import { Construct } from 'constructs';
import { VirtualNetwork as Vnet } from '@cdktf/provider-azurerm/lib/virtual-network';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { NatGateway } from '@cdktf/provider-azurerm/lib/nat-gateway';
import { NatGatewayPublicIpAssociation } from '@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { SubnetNatGatewayAssociation } from '@cdktf/provider-azurerm/lib/subnet-nat-gateway-association';
import type { SubnetRole } from '../../config';
import type { ITerraformDependable } from '../cdktf';
import { DiagnosticSettings } from './diagnostic-settings';
import type { ResourceGroup } from './resource-group';

/** One subnet of a created VNet. */
export interface SubnetSpec {
  readonly name: string;
  /** CIDR inside the VNet's address space. */
  readonly addressPrefix: string;
  /** NSG name; every subnet gets one (Azure's default rules: VNet and load balancer in, internet in denied). */
  readonly networkSecurityGroupName: string;
}

/** Properties of a {@link VirtualNetwork}. */
export interface VirtualNetworkProps {
  readonly resourceGroup: ResourceGroup;
  readonly name: string;
  readonly addressSpace: string;
  readonly subnets: Readonly<Record<SubnetRole, SubnetSpec>>;
  /**
   * A NAT gateway (Standard, with one static public IP) for the node subnets' outbound traffic, for
   * the cluster's `userAssignedNATGateway` outbound type.
   * @default none (outbound through the cluster's load balancer)
   */
  readonly natGateway?: { readonly name: string; readonly publicIpName: string };
  /** Where the VNet's, NSGs' and public IP's logs go. */
  readonly logAnalyticsWorkspaceId: string;
  /**
   * Let the internet reach public load balancers on the user nodes (HTTP and HTTPS only). A subnet NSG
   * is not managed by AKS, so without this rule its default DenyAllInBound drops a public Service's
   * traffic. @default false (internal load balancers only)
   */
  readonly allowPublicWebTraffic?: boolean;
}

/**
 * The one inbound rule a public Service needs on the node subnet: Azure's load balancer keeps the
 * frontend address as destination (floating IP), so the rule names ports, not addresses.
 * @see https://learn.microsoft.com/azure/aks/concepts-network#network-security-groups
 */
const PUBLIC_WEB_RULE = {
  name: 'AllowInternetWebToLoadBalancers',
  priority: 100,
  direction: 'Inbound',
  access: 'Allow',
  protocol: 'Tcp',
  sourceAddressPrefix: 'Internet',
  sourcePortRange: '*',
  destinationAddressPrefix: '*',
  destinationPortRanges: ['80', '443'],
  description: 'Public LoadBalancer Services and the ingress controller (HTTP, HTTPS)',
};

/**
 * Log categories per network resource type; none of them has resource-specific tables.
 * @see https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/logs-index
 */
const NETWORK_LOGS = {
  virtualNetwork: { resourceType: 'Microsoft.Network/virtualNetworks', logCategories: ['VMProtectionAlerts'], metrics: true },
  networkSecurityGroup: {
    resourceType: 'Microsoft.Network/networkSecurityGroups',
    logCategories: ['NetworkSecurityGroupEvent', 'NetworkSecurityGroupRuleCounter'],
    metrics: false,
  },
  publicIp: {
    resourceType: 'Microsoft.Network/publicIPAddresses',
    logCategories: ['DDoSProtectionNotifications', 'DDoSMitigationFlowLogs', 'DDoSMitigationReports'],
    metrics: true,
  },
} as const;

/**
 * Delegation AKS requires on the API server VNet integration subnet.
 * @see https://learn.microsoft.com/azure/aks/api-server-vnet-integration
 */
const API_SERVER_DELEGATION = {
  name: 'aks-apiserver',
  serviceDelegation: { name: 'Microsoft.ContainerService/managedClusters', actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'] },
};

/**
 * The environment's VNet: one subnet per role (system nodes, user nodes, API server, private endpoints,
 * internal load balancers), each with an NSG, and optionally a NAT gateway for node egress. Subnets are
 * separate resources (not inline blocks) so role assignments and associations can target them.
 */
export class VirtualNetwork extends Construct {
  public readonly virtualNetworkId: string;
  /** Subnet resource IDs by role. */
  public readonly subnetIds: Readonly<Record<SubnetRole, string>>;
  /** What must exist before the cluster uses the subnets (NSG and NAT associations). */
  public readonly dependables: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: VirtualNetworkProps) {
    super(scope, id);
    const rg = props.resourceGroup;
    const vnet = new Vnet(this, 'Resource', {
      name: props.name,
      resourceGroupName: rg.resourceGroupName,
      location: rg.location,
      addressSpace: [props.addressSpace],
    });
    const diagnostics = (did: string, targetResourceId: string, kind: keyof typeof NETWORK_LOGS) =>
      new DiagnosticSettings(this, did, {
        targetResourceId,
        logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
        logCategories: NETWORK_LOGS[kind].logCategories,
        metrics: NETWORK_LOGS[kind].metrics,
        resourceType: NETWORK_LOGS[kind].resourceType,
      });
    diagnostics('Diagnostics', vnet.id, 'virtualNetwork');
    const subnetIds = {} as Record<SubnetRole, string>;
    const subnets = {} as Record<SubnetRole, Subnet>;
    for (const [role, spec] of Object.entries(props.subnets) as Array<[SubnetRole, SubnetSpec]>) {
      const subnet = new Subnet(this, role, {
        name: spec.name,
        resourceGroupName: rg.resourceGroupName,
        virtualNetworkName: vnet.name,
        addressPrefixes: [spec.addressPrefix],
        // Nothing leaves through Azure's implicit default outbound IPs (retired for new VNets in 2025).
        defaultOutboundAccessEnabled: false,
        delegation: role === 'apiServer' ? [API_SERVER_DELEGATION] : undefined,
        // NSGs and route tables apply to private endpoints too.
        privateEndpointNetworkPolicies: role === 'privateEndpoints' ? 'Enabled' : undefined,
      });
      const nsg = new NetworkSecurityGroup(this, `${role}Nsg`, {
        name: spec.networkSecurityGroupName,
        resourceGroupName: rg.resourceGroupName,
        location: rg.location,
        securityRule: role === 'userNodes' && props.allowPublicWebTraffic ? [PUBLIC_WEB_RULE] : undefined,
      });
      diagnostics(`${role}NsgDiagnostics`, nsg.id, 'networkSecurityGroup');
      this.dependables.push(
        new SubnetNetworkSecurityGroupAssociation(this, `${role}NsgAssociation`, { subnetId: subnet.id, networkSecurityGroupId: nsg.id }),
      );
      subnetIds[role] = subnet.id;
      subnets[role] = subnet;
    }

    if (props.natGateway) {
      const nat = new NatGateway(this, 'NatGateway', {
        name: props.natGateway.name,
        resourceGroupName: rg.resourceGroupName,
        location: rg.location,
        skuName: 'Standard',
        idleTimeoutInMinutes: 4,
      });
      const ip = new PublicIp(this, 'NatGatewayIp', {
        name: props.natGateway.publicIpName,
        resourceGroupName: rg.resourceGroupName,
        location: rg.location,
        allocationMethod: 'Static',
        sku: 'Standard',
      });
      diagnostics('NatGatewayIpDiagnostics', ip.id, 'publicIp');
      this.dependables.push(new NatGatewayPublicIpAssociation(this, 'NatGatewayIpAssociation', { natGatewayId: nat.id, publicIpAddressId: ip.id }));
      for (const role of ['systemNodes', 'userNodes'] as const) {
        this.dependables.push(new SubnetNatGatewayAssociation(this, `${role}NatGateway`, { subnetId: subnets[role].id, natGatewayId: nat.id }));
      }
    }
    this.virtualNetworkId = vnet.id;
    this.subnetIds = subnetIds;
  }
}
