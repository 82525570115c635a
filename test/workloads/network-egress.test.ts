import { contains, parseCidr, type Ipv4Cidr } from '../../config/address-plan';
import { AppNetworkPolicies, BLOCKED_EGRESS_RANGES, egressBlockedRanges } from '../../workloads/constructs/network-policies';
import { Chart, Testing } from 'cdk8s';
import { environment } from '../config/fixtures';
import { allowed, type Cluster, type Endpoint, type Pod, type Protocol } from './network-reachability';
import { synthPhotoView, type Manifest } from './synth';

/*
 * The app namespace denies egress by default; the reachability table is evaluated over the synthesized
 * NetworkPolicies with a small NetworkPolicy evaluator (network-reachability.ts).
 */

const cidr = (text: string) => parseCidr(text) as Ipv4Cidr;

function appCluster(name: string, engine: Cluster['engine'] = 'cilium') {
  const { find } = synthPhotoView(environment(name));
  // A pod of each release track (blue/green and canary run two Deployments).
  const pods = find('Deployment').map((d, i): Pod => ({
    kind: 'pod',
    namespace: d.metadata.namespace!,
    labels: d.spec.template.metadata.labels,
    ip: `10.244.0.${17 + i}`,
  }));
  return { cluster: { policies: find('NetworkPolicy'), engine } satisfies Cluster, app: pods[0], pods };
}

const kubeDns: Pod = { kind: 'pod', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ip: '10.244.3.4' };
const otherPod: Pod = { kind: 'pod', namespace: 'shop', labels: { app: 'shop' }, ip: '10.244.2.5' };
const external = (ip: string): Endpoint => ({ kind: 'external', ip });

describe.each(['dev', 'staging'])('egress of the photo-view pods in %s', (name) => {
  const { cluster, app, pods } = appCluster(name);
  const sameNamespacePod: Pod = { kind: 'pod', namespace: app.namespace, labels: { app: 'debug' }, ip: '10.244.1.9' };
  const nodeIp = name === 'dev' ? '10.224.0.4' : '10.10.1.4';

  const table: Array<[string, Endpoint, number, Protocol, boolean]> = [
    ['DNS over UDP to CoreDNS', kubeDns, 53, 'UDP', true],
    ['DNS over TCP to CoreDNS', kubeDns, 53, 'TCP', true],
    ['HTTPS to a public address (Application Insights ingestion, Entra ID)', external('20.50.64.9'), 443, 'TCP', true],
    ['HTTP to a public address', external('20.50.64.9'), 80, 'TCP', false],
    ['UDP 443 (QUIC) to a public address', external('20.50.64.9'), 443, 'UDP', false],
    ['DNS to a public resolver', external('8.8.8.8'), 53, 'UDP', false],
    ['IMDS on port 80', external('169.254.169.254'), 80, 'TCP', false],
    ['IMDS on port 443', external('169.254.169.254'), 443, 'TCP', false],
    ['the Azure platform address (wire server, platform DNS)', external('168.63.129.16'), 443, 'TCP', false],
    ['a private endpoint in the VNet', external(name === 'dev' ? '10.224.1.4' : '10.10.3.4'), 443, 'TCP', false],
    ['a peered or on-premises network', external('192.168.10.5'), 443, 'TCP', false],
    ['the kubelet on a node', { kind: 'node', ip: nodeIp }, 10250, 'TCP', false],
    ['a node on 443', { kind: 'node', ip: nodeIp }, 443, 'TCP', false],
    ['a pod in another namespace', otherPod, 8080, 'TCP', false],
    ['a pod in another namespace on 443', otherPod, 443, 'TCP', false],
    ['another pod of its namespace', sameNamespacePod, 8080, 'TCP', false],
    ['DNS on a pod that is not CoreDNS', { ...otherPod, namespace: 'kube-system' }, 53, 'UDP', false],
  ];

  it.each(table)('%s: allowed = %s', (_what, destination, port, protocol, expected) => {
    for (const pod of pods) expect(allowed(cluster, pod, destination, port, protocol)).toBe(expected);
  });

  it('blocks the same destinations when the engine matches ipBlocks against node and pod addresses too', () => {
    const generic = { ...cluster, engine: 'generic' as const };
    expect(allowed(generic, app, external(nodeIp), 443)).toBe(false);
    expect(allowed(generic, app, external(app.ip), 443)).toBe(false);
    expect(allowed(generic, app, external('10.0.0.1'), 443)).toBe(false); // the Service range
    expect(allowed(generic, app, external('20.50.64.9'), 443)).toBe(true);
  });

  it('leaves ingress as it was: the app port from other namespaces, nothing else', () => {
    expect(allowed(cluster, otherPod, app, 8080)).toBe(true);
    expect(allowed(cluster, otherPod, app, 9090)).toBe(false);
    expect(allowed(cluster, external('20.50.64.9'), app, 8080)).toBe(true);
  });

  it("excludes every range of the environment's network plan from HTTPS egress", () => {
    const excepted = BLOCKED_EGRESS_RANGES.map(cidr);
    for (const range of egressBlockedRanges(environment(name))) expect(excepted.some((e) => contains(e, cidr(range)))).toBe(true);
  });
});

describe('egress policies', () => {
  it('are a default deny, DNS for the namespace, and HTTPS for the app pods', () => {
    const { find } = synthPhotoView(environment('dev'));
    const egress = find('NetworkPolicy').filter((p) => p.spec.policyTypes.includes('Egress'));
    expect(egress.map((p) => [p.metadata.name, p.spec.podSelector])).toEqual([
      ['default-deny-egress', {}],
      ['allow-dns', {}],
      [
        'photo-view-allow-https-internet',
        { matchLabels: { 'app.kubernetes.io/name': 'photo-view', 'app.kubernetes.io/instance': 'photo-view-dev' } },
      ],
    ]);
    expect(egress[2].spec.egress[0].to[0].ipBlock).toEqual({ cidr: '0.0.0.0/0', except: egressBlockedRanges(environment('dev')) });
  });

  it("block the environment's own VNet when it is in public address space (the chart passes egressBlockedRanges)", () => {
    const subnets = { systemNodes: '52.10.0.0/24', userNodes: '52.10.1.0/24', apiServer: '52.10.2.0/28', privateEndpoints: '52.10.3.0/27' };
    const env = environment('staging', {
      network: { virtualNetwork: { addressSpace: '52.10.0.0/16', subnets: { ...subnets, internalLoadBalancers: '52.10.4.0/27' } } },
    });
    const { find } = synthPhotoView(env);
    const policies = find('NetworkPolicy');
    const labels = find('Deployment')[0].spec.template.metadata.labels;
    const pod: Pod = { kind: 'pod', namespace: env.app.namespace, labels, ip: '10.244.0.9' };
    for (const engine of ['cilium', 'generic'] as const) {
      // A private endpoint or node in the VNet, then the internet next to it.
      expect(allowed({ policies, engine }, pod, external('52.10.3.4'), 443)).toBe(false);
      expect(allowed({ policies, engine }, pod, external('52.11.1.4'), 443)).toBe(true);
    }
  });

  it("derive the blocked ranges from the environment's network, including a VNet in public address space", () => {
    expect(egressBlockedRanges(environment('dev')).slice(0, 3)).toEqual(['10.224.0.0/12', '10.244.0.0/16', '10.0.0.0/16']);
    expect(egressBlockedRanges(environment('staging')).slice(0, 3)).toEqual(['10.10.0.0/16', '10.244.0.0/16', '10.0.0.0/16']);
    const publicVnet = { ...environment('staging') };
    (publicVnet.network as any) = { ...publicVnet.network, virtualNetwork: { ...publicVnet.network.virtualNetwork, addressSpace: '52.10.0.0/16' } };
    const ranges = egressBlockedRanges(publicVnet);
    expect(ranges).toContain('52.10.0.0/16');
    expect(ranges).toEqual(expect.arrayContaining([...BLOCKED_EGRESS_RANGES]));

    // Passed to the construct, they reach the policy: a node in that VNet is then blocked for any engine.
    const chart = new Chart(Testing.app(), 'test');
    const labels = { app: 'x' };
    new AppNetworkPolicies(chart, 'p', { name: 'x', namespace: 'x', podSelector: labels, port: 8080, egressBlockedRanges: ranges });
    const cluster: Cluster = { policies: Testing.synth(chart) as Manifest[], engine: 'generic' };
    const pod: Pod = { kind: 'pod', namespace: 'x', labels, ip: '10.244.0.9' };
    expect(allowed(cluster, pod, external('52.10.1.4'), 443)).toBe(false);
    expect(allowed(cluster, pod, external('52.11.1.4'), 443)).toBe(true);
  });
});
