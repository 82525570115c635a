/**
 * Who may reach a PaaS endpoint (Key Vault, registry) over the network. Authentication (Entra ID,
 * RBAC) still applies on top.
 */
export interface ServiceNetworkAccess {
  /** The public endpoint exists at all. With false, only private endpoints reach the service. */
  readonly publicNetworkAccess: boolean;
  /** `Deny`: the public endpoint accepts only `allowedIpRanges` and trusted Azure services. */
  readonly defaultAction: 'Allow' | 'Deny';
  /** Public source ranges (CIDR) let through when the default is Deny. */
  readonly allowedIpRanges: ReadonlyArray<string>;
}

/** Open to every network (authentication still required): the behaviour without a firewall. */
export const OPEN_NETWORK_ACCESS: ServiceNetworkAccess = { publicNetworkAccess: true, defaultAction: 'Allow', allowedIpRanges: [] };

/**
 * Key Vault's `public_network_access_enabled` and `network_acls`. Trusted Azure services
 * (`AzureServices`) bypass the firewall. Ranges stay in CIDR form (a.b.c.d/32, not a.b.c.d), which
 * avoids a perpetual diff (hashicorp/terraform-provider-azurerm#2164, #8701).
 * @see https://learn.microsoft.com/azure/key-vault/general/network-security
 */
export function keyVaultNetworkArguments(access: ServiceNetworkAccess) {
  return {
    publicNetworkAccessEnabled: access.publicNetworkAccess,
    networkAcls: { defaultAction: access.defaultAction, bypass: 'AzureServices', ipRules: [...access.allowedIpRanges] },
  };
}

/**
 * The registry's public access and firewall. Firewall rules and turning public access off are
 * Premium features, so anything but open access throws for other SKUs.
 * @see https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks
 */
export function registryNetworkArguments(access: ServiceNetworkAccess, sku: string, registryName: string) {
  const restricted = !access.publicNetworkAccess || access.defaultAction === 'Deny';
  if (restricted && sku !== 'Premium') {
    throw new Error(
      `registry '${registryName}': network restrictions (public access off or default action Deny) need sku 'Premium' (sku is '${sku}')`,
    );
  }
  if (!restricted) return {};
  return {
    publicNetworkAccessEnabled: access.publicNetworkAccess,
    // Lets trusted services (ACR import, Defender, Tasks' system identity) through the firewall.
    networkRuleBypassOption: 'AzureServices',
    networkRuleSet: [
      {
        defaultAction: access.defaultAction,
        ipRule: access.allowedIpRanges.map((ipRange) => ({ action: 'Allow', ipRange })),
      },
    ],
  };
}
