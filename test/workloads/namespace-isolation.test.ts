import { environment, ENVIRONMENT_NAMES } from '../config/fixtures';
import { synthPhotoView } from './synth';

describe.each(ENVIRONMENT_NAMES)('namespace isolation in %s', (name) => {
  const env = environment(name);
  const { one, find } = synthPhotoView(env);

  it('caps the namespace with a ResourceQuota that still fits every Deployment at its peak plus surge', () => {
    const quota = one('ResourceQuota', 'compute');
    expect(quota.metadata.namespace).toBe(env.app.namespace);
    const hard = quota.spec.hard;
    const hpaMax = Object.fromEntries(find('HorizontalPodAutoscaler').map((h) => [h.spec.scaleTargetRef.name, h.spec.maxReplicas]));
    const peaks = find('Deployment').map((d) => hpaMax[d.metadata.name] ?? d.spec.replicas);
    // Blue/green: the idle colour may become live at full size, so count every track at the largest peak.
    const largest = Math.max(...peaks);
    const surge = Math.ceil(largest * 0.25);
    const needed = (env.app.release.strategy === 'blueGreen' ? peaks.length * largest : peaks.reduce((a, b) => a + b, 0)) + surge;
    expect(Number(hard.pods)).toBeGreaterThanOrEqual(needed);
    const r = env.app.resources;
    expect(hard).toEqual({
      pods: hard.pods,
      'requests.cpu': `${hard.pods * r.cpuRequestMillis}m`,
      'requests.memory': `${hard.pods * r.memoryRequestMiB}Mi`,
      'limits.cpu': `${hard.pods * r.cpuLimitMillis}m`,
      'limits.memory': `${hard.pods * r.memoryLimitMiB}Mi`,
    });
  });

  it('gives containers without requests and limits the app defaults (LimitRange)', () => {
    const r = env.app.resources;
    expect(one('LimitRange', 'container-defaults').spec.limits).toEqual([{
      type: 'Container',
      defaultRequest: { cpu: `${r.cpuRequestMillis}m`, memory: `${r.memoryRequestMiB}Mi` },
      default: { cpu: `${r.cpuLimitMillis}m`, memory: `${r.memoryLimitMiB}Mi` },
    }]);
  });
});

describe('quota sizing', () => {
  it('prod (canary 10 %, HPA up to 30, surge 25 %): 30 + 3 canary + 8 surge = 41 pods', () => {
    expect(synthPhotoView(environment('prod')).one('ResourceQuota').spec.hard.pods).toBe(41);
  });

  it('staging (blue/green, 10 replicas): both colours full + 3 surge = 23 pods', () => {
    expect(synthPhotoView(environment('staging')).one('ResourceQuota').spec.hard.pods).toBe(23);
  });

  it('can be turned off', () => {
    expect(synthPhotoView(environment('dev', { isolation: { resourceQuota: false } })).find('ResourceQuota')).toEqual([]);
  });
});
