import { kubernetesProblems, SCHEMA_KUBERNETES_VERSION } from '../support/kubernetes-schema';

// The strict validator must catch what a plain schema check lets through.
describe('strict Kubernetes validation', () => {
  const deployment = (podSpec: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'x:1' }], ...podSpec } },
      ...spec,
    },
  });

  it('accepts a valid Deployment', () => {
    expect(kubernetesProblems(deployment({}))).toEqual([]);
  });
  it('rejects an unknown field deep in the pod template', () => {
    expect(kubernetesProblems(deployment({ containers: [{ name: 'web', image: 'x:1', imagePullPolicyy: 'Always' }] }))).toEqual([
      'Deployment/web.spec.template.spec.containers[0].imagePullPolicyy: unknown field (not in V1Container)',
    ]);
  });
  it('knows the fields of Kubernetes 1.36, the version the environments run (lifecycle.stopSignal came in 1.33)', () => {
    expect(SCHEMA_KUBERNETES_VERSION).toBe('1.36');
    expect(kubernetesProblems(deployment({ containers: [{ name: 'web', image: 'x:1', lifecycle: { stopSignal: 'SIGTERM' } }] }))).toEqual([]);
  });
  it('rejects a field Kubernetes removed (Service spec.topologyKeys, gone since 1.22)', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }], topologyKeys: ['*'] } };
    expect(kubernetesProblems(service)).toEqual(['Service/s.spec.topologyKeys: unknown field (not in V1ServiceSpec)']);
  });
  it('rejects a wrong type', () => {
    expect(kubernetesProblems(deployment({}, { replicas: 'ten' })).join()).toMatch(/spec\/replicas must be integer/);
  });
  it('rejects a missing required field', () => {
    expect(kubernetesProblems(deployment({ containers: [{ image: 'x:1' }] })).join()).toMatch(/containers\/0 must have required property name/);
  });
  it('rejects an unknown field in a SecretProviderClass', () => {
    const spc = {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: 's' },
      spec: { provider: 'azure', secretObject: [] },
    };
    expect(kubernetesProblems(spc).join()).toMatch(/must NOT have additional properties.*secretObject/);
  });
  it('rejects a kind it has no schema for', () => {
    expect(kubernetesProblems({ apiVersion: 'v1', kind: 'Gadget', metadata: { name: 'g' } })).toEqual([
      'Gadget/g: no Kubernetes 1.36 schema for v1 Gadget',
    ]);
    // Known to client-node (Kubernetes 1.36), not to kubernetes-models 4.5 (no resource.k8s.io group).
    expect(kubernetesProblems({ apiVersion: 'resource.k8s.io/v1', kind: 'DeviceClass', metadata: { name: 'd' }, spec: {} } as never)).toEqual([
      'DeviceClass/d: no kubernetes-models schema for resource.k8s.io/v1 DeviceClass',
    ]);
  });
});
