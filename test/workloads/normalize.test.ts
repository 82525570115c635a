import { normalizeManifest } from '../../workloads/normalize';
import { canonicalQuantity } from '../../workloads/quantity';

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
    const d = normalizeManifest(
      deployment({
        minReadySeconds: 0,
        paused: false,
        template: {
          spec: {
            hostNetwork: false,
            setHostnameAsFQDN: false,
            containers: [{ name: 'c', image: 'i', workingDir: '', ports: [{ containerPort: 80, hostPort: 0 }] }],
          },
        },
      }),
    );
    expect(d.spec).toEqual({ template: { spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }] }] } } });
  });

  it('keeps zero values that differ from leaving the field out', () => {
    const d = normalizeManifest(
      deployment({
        replicas: 0,
        revisionHistoryLimit: 0,
        strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsUser: 0 },
            containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false } }],
          },
        },
      }),
    );
    expect(d.spec).toEqual({
      replicas: 0,
      revisionHistoryLimit: 0,
      strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsUser: 0 },
          containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false } }],
        },
      },
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
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', labels: { tier: '' } },
      data: { EMPTY: '', ZERO: '0' },
      immutable: true,
    };
    expect(normalizeManifest(cm)).toEqual(cm);
  });

  it('keeps zero values in custom resources, which the API server stores as sent', () => {
    const spc = {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: 's' },
      spec: { provider: 'azure', parameters: { usePodIdentity: 'false' }, secretObjects: [], flag: false },
    };
    expect(normalizeManifest(spc).spec).toEqual({ provider: 'azure', parameters: { usePodIdentity: 'false' }, flag: false });
  });

  it('does not change its input', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { externalIPs: [] } };
    normalizeManifest(service);
    expect(service.spec.externalIPs).toEqual([]);
  });
});

describe('canonicalQuantity writes quantities as the API server returns them', () => {
  it.each([
    ['1000m', '1'],
    ['2000m', '2'],
    ['1500m', '1500m'],
    ['250m', '250m'],
    ['0.5', '500m'],
    ['1.0', '1'],
    ['1000', '1k'],
    ['0', '0'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['512Mi', '512Mi'],
    ['2048Ki', '2Mi'],
    ['1Ki', '1Ki'],
    ['0.5Ki', '512'],
    ['64Mi', '64Mi'],
    ['1e3', '1e3'],
    ['-1', '-1'],
  ])('%s is %s', (written, returned) => {
    expect(canonicalQuantity(written)).toBe(returned);
  });

  it('canonicalizes container resources, emptyDir size limits and HPA value targets', () => {
    const d = normalizeManifest(
      deployment({
        template: {
          spec: {
            containers: [{ name: 'c', resources: { limits: { cpu: '1000m', memory: '1024Mi' }, requests: { cpu: '250m', memory: '256Mi' } } }],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '1024Mi' } }],
          },
        },
      }),
    );
    expect(d.spec).toEqual({
      template: {
        spec: {
          containers: [{ name: 'c', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '250m', memory: '256Mi' } } }],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '1Gi' } }],
        },
      },
    });
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h' },
      spec: { metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '2048Mi' } } }] },
    };
    expect(normalizeManifest(hpa).spec.metrics[0].resource.target.averageValue).toBe('2Gi');
  });

  it('leaves other strings alone, even quantity-like ones (an environment variable value)', () => {
    const d = normalizeManifest(deployment({ template: { spec: { containers: [{ name: 'c', env: [{ name: 'X', value: '1000m' }] }] } } }));
    expect((d.spec as { template: { spec: { containers: Array<{ env: unknown }> } } }).template.spec.containers[0].env).toEqual([
      { name: 'X', value: '1000m' },
    ]);
  });
});
