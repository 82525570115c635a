import { kubernetesProblems } from '../support/kubernetes-schema';

// The strict validator must catch what a plain schema check lets through.
describe('strict Kubernetes validation', () => {
  const deployment = (podSpec: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'x:1' }], ...podSpec } }, ...spec },
  });

  it('accepts a valid Deployment', () => {
    expect(kubernetesProblems(deployment({}))).toEqual([]);
  });
  it('rejects an unknown field deep in the pod template', () => {
    expect(kubernetesProblems(deployment({ containers: [{ name: 'web', image: 'x:1', imagePullPolicyy: 'Always' }] })))
      .toEqual(['Deployment/web.spec.template.spec.containers[0].imagePullPolicyy: unknown field (not in V1Container)']);
  });
  it('rejects a field added after Kubernetes 1.32', () => {
    expect(kubernetesProblems(deployment({ containers: [{ name: 'web', image: 'x:1', lifecycle: { stopSignal: 'SIGTERM' } }] })))
      .toEqual(['Deployment/web.spec.template.spec.containers[0].lifecycle.stopSignal: unknown field (not in V1Lifecycle)']);
  });
  it('rejects a wrong type', () => {
    expect(kubernetesProblems(deployment({}, { replicas: 'ten' })).join()).toMatch(/spec\/replicas must be integer/);
  });
  it('rejects a missing required field', () => {
    expect(kubernetesProblems(deployment({ containers: [{ image: 'x:1' }] })).join()).toMatch(/containers\/0 must have required property name/);
  });
  it('rejects an unknown field in a SecretProviderClass', () => {
    const spc = { apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', metadata: { name: 's' }, spec: { provider: 'azure', secretObject: [] } };
    expect(kubernetesProblems(spc).join()).toMatch(/must NOT have additional properties.*secretObject/);
  });
  it('rejects a kind it has no schema for', () => {
    expect(kubernetesProblems({ apiVersion: 'v1', kind: 'Gadget', metadata: { name: 'g' } })).toEqual(['Gadget/g: no Kubernetes 1.32 schema for v1 Gadget']);
  });
});
