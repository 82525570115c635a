import { environment } from '../config/fixtures';
import { synthPhotoView } from './synth';

const SUBNET_ANNOTATION = 'service.beta.kubernetes.io/azure-load-balancer-internal-subnet';
const annotations = (env: ReturnType<typeof environment>) => synthPhotoView(env).one('Service', 'photo-view').metadata.annotations;
const EXISTING = (subnet: string) =>
  `/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/${subnet}`;

describe('internal load balancer subnet', () => {
  it('puts the Service frontend into the VNet subnet for internal load balancers', () => {
    expect(annotations(environment('prod'))).toMatchObject({
      'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
      [SUBNET_ANNOTATION]: 'snet-photoview-prod-weu-ilb',
    });
  });

  it('uses the named existing subnet', () => {
    const env = environment('dev', {
      app: { internalLoadBalancer: true },
      network: {
        virtualNetwork: {
          mode: 'existing',
          addressSpace: ['10.50.0.0/16'],
          subnets: { systemNodes: EXISTING('nodes'), userNodes: EXISTING('apps'), internalLoadBalancers: EXISTING('lbs') },
        },
      },
    });
    expect(annotations(env)).toMatchObject({ [SUBNET_ANNOTATION]: 'lbs' });
  });

  it('names no subnet in the AKS-managed VNet, or for a public load balancer', () => {
    expect(annotations(environment('dev', { app: { internalLoadBalancer: true } }))).not.toHaveProperty([SUBNET_ANNOTATION]);
    const publicInExisting = environment('dev', {
      network: {
        virtualNetwork: {
          mode: 'existing',
          addressSpace: ['10.50.0.0/16'],
          subnets: { systemNodes: EXISTING('nodes'), userNodes: EXISTING('apps'), internalLoadBalancers: EXISTING('lbs') },
        },
      },
    });
    expect(annotations(publicInExisting)).toMatchObject({ 'service.beta.kubernetes.io/azure-load-balancer-internal': 'false' });
    expect(annotations(publicInExisting)).not.toHaveProperty([SUBNET_ANNOTATION]);
  });
});
