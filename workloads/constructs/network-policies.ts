import { Construct } from 'constructs';
import { IntOrString, KubeNetworkPolicy } from 'cdk8s-plus-28/lib/imports/k8s';
import type { EnvironmentConfig } from '../../config';
import { AKS_MANAGED_VNET_CIDR } from '../../config/network-validate';

/**
 * Destinations the app never talks to directly, blocked even on port 443. The pod reaches the internet
 * only: Application Insights ingestion and Microsoft Entra ID (workload identity token exchange) are
 * public endpoints. Key Vault is read by the Secrets Store CSI driver in kube-system and images are
 * pulled by the kubelet, so the private endpoints in the VNet are not the app's to reach.
 * - 169.254.169.254/32: the instance metadata service (IMDS), which hands out the node's identity tokens;
 * - 168.63.129.16/32: Azure's platform address (wire server, platform DNS), which CoreDNS uses, not the app;
 * - RFC 1918 and shared (100.64.0.0/10) space: peered and on-premises networks behind the VNet;
 * - 169.254.0.0/16: the rest of link-local.
 * @see https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service
 * @see https://learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16
 */
export const BLOCKED_EGRESS_RANGES = [
  '169.254.169.254/32',
  '168.63.129.16/32',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
] as const;

/**
 * The environment's own ranges (VNet address space, or the AKS-managed VNet's; pod and Service CIDRs)
 * followed by {@link BLOCKED_EGRESS_RANGES}: a VNet may use public address space, which the fixed list
 * does not cover.
 */
export function egressBlockedRanges(env: EnvironmentConfig): string[] {
  const vnet = env.network.virtualNetwork;
  const own = vnet.mode === 'aksManaged' ? [AKS_MANAGED_VNET_CIDR] : vnet.mode === 'create' ? [vnet.addressSpace] : [...vnet.addressSpace];
  return [...new Set([...own, env.network.podCidr, env.network.serviceCidr, ...BLOCKED_EGRESS_RANGES])];
}

/** CoreDNS as AKS deploys it. @see https://learn.microsoft.com/azure/aks/coredns-custom */
const KUBE_DNS = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } } as const;

/** Properties of {@link AppNetworkPolicies}. */
export interface AppNetworkPoliciesProps {
  readonly name: string;
  readonly namespace: string;
  /** Labels of every pod of the app. */
  readonly podSelector: Readonly<Record<string, string>>;
  readonly port: number;
  /** Only pods in these namespaces may reach the port (e.g. the ingress controller's). @default any source */
  readonly allowedFromNamespaces?: ReadonlyArray<string>;
  /**
   * Ranges HTTPS egress excludes: {@link egressBlockedRanges} of the environment.
   * @default {@link BLOCKED_EGRESS_RANGES} (which contain every range an environment can have unless its VNet uses public space)
   */
  readonly egressBlockedRanges?: ReadonlyArray<string>;
}

/**
 * Default-deny ingress and egress for the namespace; ingress to the app's port only; egress to cluster
 * DNS, and HTTPS to the internet outside the blocked ranges.
 *
 * NetworkPolicy cannot name FQDNs, so "Application Insights and Entra ID only" is not expressible; the
 * cluster's engine is Cilium (infra/constructs/kubernetes-cluster.ts), whose FQDN rules need the
 * CiliumNetworkPolicy CRD and Advanced Container Networking Services. The honest choice is TCP 443 to
 * public addresses. Under Cilium an ipBlock never matches node or pod addresses ("Network policies cannot
 * use ipBlock to allow access to node or pod IPs"), so those stay denied twice over; the except list
 * keeps them out for any engine that does match them.
 * @see https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium#limitations
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic
 */
export class AppNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: AppNetworkPoliciesProps) {
    super(scope, id);
    const metadata = (name: string) => ({ name, namespace: props.namespace });
    const pods = { matchLabels: { ...props.podSelector } };
    new KubeNetworkPolicy(this, 'DenyIngress', {
      metadata: metadata('default-deny-ingress'),
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
    new KubeNetworkPolicy(this, 'AllowHttp', {
      metadata: metadata(`${props.name}-allow-http`),
      spec: {
        podSelector: pods,
        policyTypes: ['Ingress'],
        ingress: [
          {
            ports: [{ port: IntOrString.fromNumber(props.port), protocol: 'TCP' }],
            from: props.allowedFromNamespaces?.map((ns) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } })),
          },
        ],
      },
    });
    new KubeNetworkPolicy(this, 'DenyEgress', {
      metadata: metadata('default-deny-egress'),
      spec: { podSelector: {}, policyTypes: ['Egress'] },
    });
    // Every pod of the namespace resolves names (the Service IP is translated to a CoreDNS pod before policy).
    new KubeNetworkPolicy(this, 'AllowDns', {
      metadata: metadata('allow-dns'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': KUBE_DNS.namespace } },
                podSelector: { matchLabels: { ...KUBE_DNS.labels } },
              },
            ],
            ports: (['UDP', 'TCP'] as const).map((protocol) => ({ port: IntOrString.fromNumber(53), protocol })),
          },
        ],
      },
    });
    new KubeNetworkPolicy(this, 'AllowHttpsOut', {
      metadata: metadata(`${props.name}-allow-https-internet`),
      spec: {
        podSelector: pods,
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...(props.egressBlockedRanges ?? BLOCKED_EGRESS_RANGES)] } }],
            ports: [{ port: IntOrString.fromNumber(443), protocol: 'TCP' }],
          },
        ],
      },
    });
  }
}
