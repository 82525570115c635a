import { Testing } from 'cdk8s';
import { PhotoViewChart } from '../../workloads/charts/photo-view';
import { environment } from '../config/fixtures';
import { kubernetesProblems } from '../support/kubernetes-schema';
import { synthPhotoView, type Manifest } from './synth';

const TRACK = 'photo-view.io/track';
const deploymentsByTrack = (manifests: Manifest[]) =>
  Object.fromEntries(manifests.filter((m) => m.kind === 'Deployment').map((d) => [d.metadata.labels![TRACK], d]));
const tagOf = (d: Manifest) => d.spec.template.spec.containers[0].image.split(':').pop();

describe('rolling (default)', () => {
  it('is one Deployment with everything, selected by the Service without a track', () => {
    const { manifests, one } = synthPhotoView(environment('dev'));
    expect(Object.keys(deploymentsByTrack(manifests))).toEqual(['main']);
    expect(one('Deployment').metadata.name).toBe('photo-view');
    expect(one('Service').spec.selector).toEqual({ 'app.kubernetes.io/name': 'photo-view', 'app.kubernetes.io/instance': 'photo-view-dev' });
  });
});

describe('blue/green', () => {
  const blueGreen = (release: Record<string, unknown>, now?: Date) =>
    synthPhotoView(environment('staging', { app: { release: { strategy: 'blueGreen', blueTag: '1.4.2', greenTag: '1.5.0', ...release } } }), now);

  it('runs both colours, each with its own tag; the main Service points at the active colour, the preview Service at the other', () => {
    const { manifests, one, problems } = blueGreen({ active: 'blue' });
    const tracks = deploymentsByTrack(manifests);
    expect(Object.keys(tracks).sort()).toEqual(['blue', 'green']);
    expect(tagOf(tracks.blue)).toBe('1.4.2');
    expect(tagOf(tracks.green)).toBe('1.5.0');
    expect(one('Service', 'photo-view').spec.selector[TRACK]).toBe('blue');
    expect(one('Service', 'photo-view-preview').spec).toMatchObject({ type: 'ClusterIP', selector: { [TRACK]: 'green' } });
    expect(problems).toEqual([]);
    expect(manifests.flatMap(kubernetesProblems)).toEqual([]);
  });

  it('switching is changing `active`; rollback is changing it back', () => {
    const toGreen = blueGreen({ active: 'green' });
    expect(toGreen.one('Service', 'photo-view').spec.selector[TRACK]).toBe('green');
    expect(toGreen.one('Service', 'photo-view-preview').spec.selector[TRACK]).toBe('blue');
    const back = blueGreen({ active: 'blue' });
    expect(back.one('Service', 'photo-view').spec.selector[TRACK]).toBe('blue');
  });

  it('keeps the idle colour running until the scale-down delay after a switch has passed, then scales it to zero', () => {
    const switchedAt = '2026-11-22T12:00:00Z';
    const idleReplicas = (now: string) =>
      deploymentsByTrack(blueGreen({ active: 'green', switchedAt, scaleDownDelaySeconds: 600 }, new Date(now)).manifests).blue.spec.replicas;
    expect(idleReplicas('2026-11-22T12:09:59Z')).toBe(10);
    expect(idleReplicas('2026-11-22T12:10:00Z')).toBe(0);
  });

  it('autoscales only the active colour (the idle one is a fixed preview), with one PDB per colour', () => {
    const { find } = synthPhotoView(environment('staging', { app: { autoscaling: { minReplicas: 4, maxReplicas: 8 } } }));
    expect(find('HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name)).toEqual(['photo-view-blue']);
    expect(find('PodDisruptionBudget').map((p) => p.metadata.name).sort()).toEqual(['photo-view-blue', 'photo-view-green']);
  });
});

describe('canary', () => {
  const canary = (canaryPercent: number, patch: Record<string, unknown> = {}) =>
    synthPhotoView(environment('dev', { app: { release: { strategy: 'canary', stableTag: '1.4.2', canaryTag: '1.5.0', canaryPercent }, ...patch } }));

  it('turns the percentage into replica counts: 10% of 10 is 1 canary and 9 stable', () => {
    const { manifests, one, problems } = canary(10);
    const tracks = deploymentsByTrack(manifests);
    expect(tracks.stable.spec.replicas).toBe(9);
    expect(tracks.canary.spec.replicas).toBe(1);
    expect(tagOf(tracks.canary)).toBe('1.5.0');
    expect(tagOf(tracks.stable)).toBe('1.4.2');
    expect(problems).toEqual([]);
    // Both behind the one Service: traffic follows the pod share.
    expect(one('Service').spec.selector).not.toHaveProperty(TRACK);
  });

  it('moving the canary is changing the percentage', () => {
    const tracks = deploymentsByTrack(canary(30).manifests);
    expect([tracks.stable.spec.replicas, tracks.canary.spec.replicas]).toEqual([7, 3]);
  });

  it('rolling the canary back is setting the percentage to 0: the canary keeps no pods', () => {
    const { manifests, problems } = canary(0);
    const tracks = deploymentsByTrack(manifests);
    expect(problems).toEqual([]);
    expect([tracks.stable.spec.replicas, tracks.canary.spec.replicas]).toEqual([10, 0]);
  });

  it('labels canary pods so Azure Monitor (KubePodInventory) can tell them apart', () => {
    const tracks = deploymentsByTrack(canary(10).manifests);
    expect(tracks.canary.spec.template.metadata.labels).toMatchObject({ [TRACK]: 'canary', 'app.kubernetes.io/version': '1.5.0' });
    expect(tracks.stable.spec.template.metadata.labels).toMatchObject({ [TRACK]: 'stable', 'app.kubernetes.io/version': '1.4.2' });
  });

  it('with an autoscaler, scales stable and keeps the canary at its share of the minimum', () => {
    const { manifests, find } = canary(10, { autoscaling: { minReplicas: 10, maxReplicas: 30 } });
    const tracks = deploymentsByTrack(manifests);
    expect(find('HorizontalPodAutoscaler').map((h) => [h.spec.scaleTargetRef.name, h.spec.minReplicas, h.spec.maxReplicas])).toEqual([['photo-view-stable', 9, 29]]);
    expect(tracks.stable.spec).not.toHaveProperty('replicas');
    expect(tracks.canary.spec.replicas).toBe(1);
  });
});

describe('synth stops on a failed check', () => {
  it('app.synth() throws before writing the manifests', () => {
    const app = Testing.app();
    new PhotoViewChart(app, { environment: environment('dev', { app: { release: { strategy: 'rolling', tag: 'latest' } } }), platform: { appIdentityClientId: 'x' } });
    expect(() => app.synth()).toThrow(/Validation failed[\s\S]*environment 'dev': image tag of track 'main' is 'latest'/);
  });
});
