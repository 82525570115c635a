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
  const blueGreen = (release: Record<string, unknown>, patch: Record<string, unknown> = {}) =>
    synthPhotoView(
      environment('staging', { app: { release: { strategy: 'blueGreen', blueTag: '1.4.2', greenTag: '1.5.0', ...release }, ...patch } }),
    );

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

  it('keeps the idle colour at full size until a reviewed change scales it down; no clock decides', () => {
    expect(deploymentsByTrack(blueGreen({ active: 'green' }).manifests).blue.spec.replicas).toBe(10);
    const scaledDown = deploymentsByTrack(blueGreen({ active: 'green', scaledDown: { colour: 'blue', replicas: 0 } }).manifests);
    expect([scaledDown.green.spec.replicas, scaledDown.blue.spec.replicas]).toEqual([10, 0]);
  });

  it('marks each colour serving or idle, which the apps stack orders the apply by', () => {
    const { find } = blueGreen({ active: 'green' });
    for (const kind of ['Deployment', 'PodDisruptionBudget']) {
      expect(Object.fromEntries(find(kind).map((m) => [m.metadata.name, m.metadata.annotations!['photo-view.io/traffic']]))).toEqual({
        'photo-view-blue': 'idle',
        'photo-view-green': 'serving',
      });
    }
  });

  describe('rejects', () => {
    const configError = (release: Record<string, unknown>, patch: Record<string, unknown> = {}) => {
      try {
        environment('staging', { app: { release: { strategy: 'blueGreen', blueTag: '1.4.2', greenTag: '1.5.0', ...release }, ...patch } });
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected a ConfigError');
    };

    it('scaling down the colour the Service selects', () => {
      expect(configError({ active: 'green', scaledDown: { colour: 'green', replicas: 0 } })).toContain(
        "environments/staging.yaml (environment 'staging'): app.release.scaledDown.colour = \"green\": 'green' is the active colour the Service sends traffic to; " +
          "scaling it down would take away the pods serving users. Scale down the idle colour ('blue'), or flip 'active' first",
      );
    });

    it('switchedAt and scaleDownDelaySeconds (time-based scale-down), pointing to scaledDown', () => {
      for (const field of ['switchedAt', 'scaleDownDelaySeconds']) {
        expect(configError({ active: 'green', [field]: field === 'switchedAt' ? '2099-01-01T00:00:00Z' : 600 })).toMatch(
          new RegExp(
            `app\\.release\\.${field} = .*: removed: synth no longer reads the clock .*; scale the idle colour down with scaledDown: \\{ colour, replicas \\} in a later change`,
          ),
        );
      }
    });

    it('holding an autoscaled idle colour at 0 pods (an HPA cannot)', () => {
      expect(
        configError({ active: 'blue', scaledDown: { colour: 'green', replicas: 0 } }, { autoscaling: { minReplicas: 4, maxReplicas: 8 } }),
      ).toContain('app.release.scaledDown.replicas = 0: with autoscaling the idle colour is held by an HPA, which cannot hold 0 pods');
    });
  });

  /**
   * What a cluster runs after each step: per Deployment, whether the main Service sends it traffic, who
   * sets its pod count, and the pods it keeps at least.
   */
  function clusterAfter(release: Record<string, unknown>, autoscaling?: Record<string, number>) {
    const { find, one, problems } = blueGreen(release, autoscaling ? { autoscaling } : {});
    expect(problems).toEqual([]);
    const serviceTrack = one('Service', 'photo-view').spec.selector[TRACK];
    return Object.fromEntries(
      find('Deployment').map((d) => {
        const hpa = find('HorizontalPodAutoscaler', d.metadata.name)[0];
        const pdb = one('PodDisruptionBudget', d.metadata.name);
        return [
          d.metadata.labels![TRACK],
          {
            serves: d.metadata.labels![TRACK] === serviceTrack,
            replicasSetBy: hpa ? 'hpa' : 'manifest',
            manifestReplicas: d.spec.replicas,
            pods: hpa ? [hpa.spec.minReplicas, hpa.spec.maxReplicas] : [d.spec.replicas, d.spec.replicas],
            readyBeforeTraffic: pdb.metadata.annotations!['photo-view.io/ready-before-traffic'],
          },
        ];
      }),
    );
  }

  it('with autoscaling, both colours always have an HPA: replicas never appears on a Deployment, the idle one is pinned', () => {
    const hpa = { minReplicas: 4, maxReplicas: 8 };
    const steps = [
      { step: 'blue active', release: { active: 'blue' } },
      { step: 'flip to green', release: { active: 'green' } },
      { step: 'roll back to blue', release: { active: 'blue' } },
      { step: 'scale idle green down', release: { active: 'blue', scaledDown: { colour: 'green', replicas: 1 } } },
      { step: 'release again: flip to the scaled-down green', release: { active: 'green' } },
    ];
    const cluster = steps.map(({ release }) => clusterAfter(release, hpa));
    for (const state of cluster) {
      for (const colour of ['blue', 'green']) {
        expect(state[colour].replicasSetBy).toBe('hpa');
        expect(state[colour].manifestReplicas).toBeUndefined();
      }
    }
    expect(cluster.map((s) => [s.blue.pods, s.green.pods])).toEqual([
      [
        [4, 8],
        [4, 4],
      ],
      [
        [4, 4],
        [4, 8],
      ],
      [
        [4, 8],
        [4, 4],
      ],
      [
        [4, 8],
        [1, 1],
      ],
      [
        [4, 4],
        [4, 8],
      ],
    ]);
    // At each switch the colour going live must have the HPA minimum of ready pods before the Service
    // moves. Warm (pinned at the minimum while idle) it has them already; after a scale-down it has not,
    // and its PDB's ready-before-traffic count makes the apply wait for them (see the apps stack's order).
    const switches = steps.flatMap(({ step }, i) => {
      const live = cluster[i].blue.serves ? 'blue' : 'green';
      if (i === 0 || cluster[i - 1][live].serves) return [];
      return [{ step, live, warmBefore: cluster[i - 1][live].pods[0] >= hpa.minReplicas, applyWaitsForReady: cluster[i][live].readyBeforeTraffic }];
    });
    expect(switches).toEqual([
      { step: 'flip to green', live: 'green', warmBefore: true, applyWaitsForReady: '4' },
      { step: 'roll back to blue', live: 'blue', warmBefore: true, applyWaitsForReady: '4' },
      { step: 'release again: flip to the scaled-down green', live: 'green', warmBefore: false, applyWaitsForReady: '4' },
    ]);
  });

  it('without autoscaling, the manifest sets replicas on both colours at every step', () => {
    const steps = [{ active: 'blue' }, { active: 'green' }, { active: 'blue' }, { active: 'blue', scaledDown: { colour: 'green', replicas: 0 } }];
    expect(
      steps
        .map((release) => clusterAfter(release))
        .map((s) => [s.blue.replicasSetBy, s.blue.manifestReplicas, s.green.replicasSetBy, s.green.manifestReplicas]),
    ).toEqual([
      ['manifest', 10, 'manifest', 10],
      ['manifest', 10, 'manifest', 10],
      ['manifest', 10, 'manifest', 10],
      ['manifest', 10, 'manifest', 0],
    ]);
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

  it('promotion (stable takes the canary tag, canary to 0%) and rollback leave the canary idle, applied after stable', () => {
    const promoted = canary(0, { release: { strategy: 'canary', stableTag: '1.5.0', canaryTag: '1.5.0', canaryPercent: 0 } });
    const tracks = deploymentsByTrack(promoted.manifests);
    expect(tagOf(tracks.stable)).toBe('1.5.0');
    expect(tracks.stable.metadata.annotations?.['photo-view.io/traffic']).toBe('serving');
    expect(tracks.canary.metadata.annotations?.['photo-view.io/traffic']).toBe('idle');
    expect(deploymentsByTrack(canary(10).manifests).canary.metadata.annotations?.['photo-view.io/traffic']).toBe('serving');
  });

  it('with an autoscaler, scales stable and keeps the canary at its share of the minimum', () => {
    const { manifests, find } = canary(10, { autoscaling: { minReplicas: 10, maxReplicas: 30 } });
    const tracks = deploymentsByTrack(manifests);
    expect(find('HorizontalPodAutoscaler').map((h) => [h.spec.scaleTargetRef.name, h.spec.minReplicas, h.spec.maxReplicas])).toEqual([
      ['photo-view-stable', 9, 29],
    ]);
    expect(tracks.stable.spec).not.toHaveProperty('replicas');
    expect(tracks.canary.spec.replicas).toBe(1);
  });
});

describe('synth stops on a failed check', () => {
  it('app.synth() throws before writing the manifests', () => {
    const app = Testing.app();
    new PhotoViewChart(app, { environment: environment('dev', { app: { replicas: 46 } }), platform: { appIdentityClientId: 'x' } });
    expect(() => app.synth()).toThrow(/Validation failed[\s\S]*environment 'dev': 46 pods x \(250m CPU, 256Mi memory\) do not fit/);
  });
});
