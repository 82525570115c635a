import { environment, ENVIRONMENT_NAMES } from '../config/fixtures';
import { canonicalQuantity } from '../../workloads/quantity';
import { synthPhotoView } from './synth';

describe.each(ENVIRONMENT_NAMES)('namespace isolation in %s', (name) => {
  const env = environment(name);
  const { one, find } = synthPhotoView(env);

  it('caps the namespace with a ResourceQuota that still fits every Deployment at its peak, rolling all at once', () => {
    const quota = one('ResourceQuota', 'compute');
    expect(quota.metadata.namespace).toBe(env.app.namespace);
    const hard = quota.spec.hard;
    const hpaMax = Object.fromEntries(find('HorizontalPodAutoscaler').map((h) => [h.spec.scaleTargetRef.name, h.spec.maxReplicas]));
    // Each Deployment at its peak, with its own rolling step: the surge it adds (rounded up) and the pods it
    // replaces (rounded down), which count until they are gone. Blue/green: the idle colour may become live at full size.
    const peaks = find('Deployment').map((d) => hpaMax[d.metadata.name] ?? d.spec.replicas);
    const largest = Math.max(...peaks);
    const sizes = env.app.release.strategy === 'blueGreen' ? peaks.map(() => largest) : peaks;
    const step = (n: number) => Math.ceil(n * 0.25) + Math.floor(n * 0.25);
    const needed = sizes.reduce((sum, n) => sum + n + step(n), 0);
    expect(Number(hard.pods)).toBeGreaterThanOrEqual(needed);
    const r = env.app.resources;
    const pods = Number(hard.pods);
    expect(hard).toEqual({
      pods: String(pods),
      'requests.cpu': canonicalQuantity(`${pods * r.cpuRequestMillis}m`),
      'requests.memory': canonicalQuantity(`${pods * r.memoryRequestMiB}Mi`),
      'limits.cpu': canonicalQuantity(`${pods * r.cpuLimitMillis}m`),
      'limits.memory': canonicalQuantity(`${pods * r.memoryLimitMiB}Mi`),
    });
  });

  it('gives containers without requests and limits the app defaults (LimitRange)', () => {
    const r = env.app.resources;
    expect(one('LimitRange', 'container-defaults').spec.limits).toEqual([
      {
        type: 'Container',
        defaultRequest: { cpu: `${r.cpuRequestMillis}m`, memory: `${r.memoryRequestMiB}Mi` },
        default: { cpu: `${r.cpuLimitMillis}m`, memory: `${r.memoryLimitMiB}Mi` },
      },
    ]);
  });
});

describe('quota sizing', () => {
  it('prod (canary 10 %, HPA up to 30, surge and unavailable 25 %): stable 30 + 8 + 7, canary 3 + 1 + 0 = 49 pods', () => {
    expect(synthPhotoView(environment('prod')).one('ResourceQuota').spec.hard.pods).toBe('49');
  });

  it('staging (blue/green, 10 replicas): each colour 10 + 3 surge + 2 being replaced = 30 pods', () => {
    expect(synthPhotoView(environment('staging')).one('ResourceQuota').spec.hard.pods).toBe('30');
  });

  it('writes quantities as the API server returns them (8 pods x 500m is 4, x 512Mi is 4Gi)', () => {
    // 6 replicas + 1 surge + 1 being replaced (25 % of 6, rounded down)
    const env = environment('dev', { app: { replicas: 6, maxSurge: 1 } });
    expect(synthPhotoView(env).one('ResourceQuota').spec.hard).toMatchObject({
      pods: '8',
      'limits.cpu': '4',
      'limits.memory': '4Gi',
      'requests.cpu': '2',
      'requests.memory': '2Gi',
    });
  });

  it('counts one pod being replaced when surge and unavailable both round to 0, as Kubernetes does', () => {
    const env = environment('dev', { app: { replicas: 3, maxSurge: 0, maxUnavailable: '10%' } });
    expect(synthPhotoView(env).one('ResourceQuota').spec.hard.pods).toBe('4');
  });

  it('can be turned off', () => {
    expect(synthPhotoView(environment('dev', { isolation: { resourceQuota: false } })).find('ResourceQuota')).toEqual([]);
  });
});
