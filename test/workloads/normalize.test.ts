import { normalizeManifest } from '../../workloads/normalize';

const deployment = (spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec });

describe('normalizeManifest drops what the API server would not return', () => {
  it('drops empty lists (cdk8s-plus writes externalIPs: [] on every Service)', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { externalIPs: [], ports: [{ port: 80 }] } };
    expect(normalizeManifest(service).spec).toEqual({ ports: [{ port: 80 }] });
  });

  it('drops empty maps, and objects left empty', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', annotations: {} }, spec: {} };
    expect(normalizeManifest(ns)).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } });
  });

  it('drops zero values of non-pointer fields: minReadySeconds: 0, hostNetwork: false, empty strings', () => {
    const d = normalizeManifest(deployment({ minReadySeconds: 0, paused: false, template: { spec: { hostNetwork: false, setHostnameAsFQDN: false, containers: [{ name: 'c', image: 'i', workingDir: '', ports: [{ containerPort: 80, hostPort: 0 }] }] } } }));
    expect(d.spec).toEqual({ template: { spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }] }] } } });
  });

  it('keeps zero values that differ from leaving the field out', () => {
    const d = normalizeManifest(deployment({
      replicas: 0, revisionHistoryLimit: 0,
      strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: { spec: { automountServiceAccountToken: false, securityContext: { runAsUser: 0 }, containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false } }] } },
    }));
    expect(d.spec).toEqual({
      replicas: 0, revisionHistoryLimit: 0,
      strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: { spec: { automountServiceAccountToken: false, securityContext: { runAsUser: 0 }, containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false } }] } },
    });
  });

  it('keeps empty objects that mean something: emptyDir volumes and select-all label selectors', () => {
    const d = normalizeManifest(deployment({ template: { spec: { volumes: [{ name: 'tmp', emptyDir: {} }] } } }));
    expect(d.spec).toEqual({ template: { spec: { volumes: [{ name: 'tmp', emptyDir: {} }] } } });
    const policy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p' }, spec: { podSelector: {}, ingress: [{}] } };
    expect(normalizeManifest(policy).spec).toEqual({ podSelector: {}, ingress: [{}] });
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'b' }, spec: { selector: {}, maxUnavailable: 0 } };
    expect(normalizeManifest(pdb).spec).toEqual({ selector: {}, maxUnavailable: 0 });
  });

  it('drops an empty Service selector (a label map there, not a label selector)', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: {}, type: 'ClusterIP' } };
    expect(normalizeManifest(service).spec).toEqual({ type: 'ClusterIP' });
  });

  it('keeps user data exactly: empty label values and ConfigMap entries', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { tier: '' } }, data: { EMPTY: '', ZERO: '0' }, immutable: true };
    expect(normalizeManifest(cm)).toEqual(cm);
  });

  it('keeps zero values in custom resources, which the API server stores as sent', () => {
    const spc = { apiVersion: 'secrets-store.csi.x-k8s.io/v1', kind: 'SecretProviderClass', metadata: { name: 's' }, spec: { provider: 'azure', parameters: { usePodIdentity: 'false' }, secretObjects: [], flag: false } };
    expect(normalizeManifest(spc).spec).toEqual({ provider: 'azure', parameters: { usePodIdentity: 'false' }, flag: false });
  });

  it('does not change its input', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { externalIPs: [] } };
    normalizeManifest(service);
    expect(service.spec.externalIPs).toEqual([]);
  });
});
