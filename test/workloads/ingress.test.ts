import { environment } from '../config/fixtures';
import { kubernetesProblems } from '../support/kubernetes-schema';
import { synthPhotoView } from './synth';

const INGRESS = { host: 'photos.example.com', certificateName: 'photos-example-com' };

describe('HTTPS ingress through the application routing add-on', () => {
  const env = environment('prod', { ingress: INGRESS });
  const { one, manifests } = synthPhotoView(env);

  it('serves the host with the Key Vault certificate and forwards to the photo-view Service', () => {
    const ingress = one('Ingress', 'photo-view');
    expect(ingress.metadata).toMatchObject({
      namespace: 'photo-view',
      annotations: { 'kubernetes.azure.com/tls-cert-keyvault-uri': 'https://kv-photoview-prod-yrr6.vault.azure.net/certificates/photos-example-com' },
    });
    expect(ingress.spec).toEqual({
      ingressClassName: 'webapprouting.kubernetes.azure.com',
      tls: [{ hosts: ['photos.example.com'], secretName: 'keyvault-photo-view' }],
      rules: [
        {
          host: 'photos.example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'photo-view', port: { number: 80 } } } }] },
        },
      ],
    });
  });

  it('turns the Service into ClusterIP (no load balancer of its own)', () => {
    const service = one('Service', 'photo-view');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.metadata.annotations).toBeUndefined();
  });

  it('lets only the ingress controller namespace reach the app port', () => {
    expect(one('NetworkPolicy', 'photo-view-allow-http').spec.ingress).toEqual([
      {
        ports: [{ port: 8080, protocol: 'TCP' }],
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'app-routing-system' } } }],
      },
    ]);
  });

  it('is valid Kubernetes 1.32', () => {
    expect(manifests.flatMap(kubernetesProblems)).toEqual([]);
  });

  it('without ingress: a LoadBalancer Service reachable on its port from any source, and no Ingress', () => {
    const plain = synthPhotoView(environment('prod'));
    expect(plain.find('Ingress')).toEqual([]);
    expect(plain.one('Service', 'photo-view').spec.type).toBe('LoadBalancer');
    expect(plain.one('NetworkPolicy', 'photo-view-allow-http').spec.ingress).toEqual([{ ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });
});
