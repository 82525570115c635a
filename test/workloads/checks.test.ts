import { Duration, Testing } from 'cdk8s';
import { environment } from '../config/fixtures';
import { WebApp, type WebAppProps } from '../../workloads/constructs/web-app';
import { PHOTO_VIEW_CONTRACT } from '../../workloads/photo-view/contract';
import { selectorProblems } from '../../workloads/constructs/checks';
import { AppTrack } from '../../workloads/constructs/app-track';
import { synthPhotoView } from './synth';

/** A WebApp outside this repository's config: every prop spelled out. */
const otherApp: WebAppProps = {
  name: 'other',
  instance: 'other',
  context: "environment 'test'",
  namespace: 'other',
  serviceAccountName: 'other',
  registry: 'cr.azurecr.io',
  repository: 'other',
  workloadIdentityClientId: 'id',
  release: { strategy: 'rolling', tag: '1.0.0' },
  replicas: 3,
  maxSurge: { percent: 25 },
  maxUnavailable: { count: 0 },
  maxUnavailableDuringDisruption: { count: 1 },
  contract: PHOTO_VIEW_CONTRACT,
  resources: { cpuRequestMillis: 100, cpuLimitMillis: 200, memoryRequestMiB: 64, memoryLimitMiB: 128 },
  internalLoadBalancer: true,
  settings: {},
  progressDeadline: Duration.minutes(5),
};

const problemsOf = (patch: Record<string, any>) => synthPhotoView(environment('dev', patch)).problems;

describe('synth-time checks reject', () => {
  it('an empty image tag, in the config, naming the field', () => {
    expect(() => environment('dev', { app: { release: { strategy: 'rolling', tag: '' } } })).toThrow(
      'environments/dev.yaml (environment \'dev\'): app.release.tag = "": image tag is empty; set an immutable tag such as 1.4.2',
    );
  });

  it('the latest tag, in the config, naming the field', () => {
    expect(() => environment('dev', { app: { release: { strategy: 'rolling', tag: 'latest' } } })).toThrow(
      "environments/dev.yaml (environment 'dev'): app.release.tag = \"latest\": image tag 'latest' is mutable; use an immutable tag",
    );
  });

  it('a digest in the wrong format, in the config and in the construct', () => {
    for (const tag of ['1.4.2@sha256:abc', '1.4.2@md5:' + 'a'.repeat(64), '1.4.2@sha256:' + 'A'.repeat(64), '1.4.2@@sha256:' + 'a'.repeat(64)]) {
      expect(() => environment('prod', { app: { release: { stableTag: tag } } })).toThrow(
        /environments\/prod\.yaml \(environment 'prod'\): app\.release\.stableTag = ".*": image digest '.*' is malformed; pin as <tag>@sha256:<64 lowercase hex digits>/,
      );
    }
    const chart = Testing.chart();
    new WebApp(chart, 'App', { ...otherApp, release: { strategy: 'rolling', tag: '1.0.0@sha256:abc' } });
    expect(chart.node.findAll().flatMap((c) => c.node.validate())).toEqual([
      "environment 'test': track 'main': image digest 'sha256:abc' is malformed; pin as <tag>@sha256:<64 lowercase hex digits>, as 'az acr repository show-manifests' or the image workflow prints it",
    ]);
  });

  it('a canary percentage that gives the canary zero replicas', () => {
    expect(problemsOf({ app: { release: { strategy: 'canary', stableTag: '1', canaryTag: '2', canaryPercent: 4 } } })).toContain(
      "environment 'dev': canaryPercent 4% of 10 replicas gives the canary 0 pods; raise it to at least 5%, or set 0 to roll the canary back",
    );
  });

  it('a canary percentage that gives the canary all replicas', () => {
    expect(problemsOf({ app: { release: { strategy: 'canary', stableTag: '1', canaryTag: '2', canaryPercent: 96 } } })).toContain(
      "environment 'dev': canaryPercent 96% of 10 replicas gives stable 0 pods; lower it, or promote the canary by making its tag the stable tag",
    );
  });

  it('maxSurge 0 with maxUnavailable 0, in the config, instead of a cdk8s-plus stack trace', () => {
    for (const zero of [0, '0%']) {
      expect(() => environment('dev', { app: { maxSurge: zero, maxUnavailable: 0 } })).toThrow(
        "environments/dev.yaml (environment 'dev'): app.maxSurge = " +
          JSON.stringify(zero) +
          ': maxSurge and maxUnavailable are both 0, so a rolling update could neither add nor remove a pod; set one of them above 0 (default 25%)',
      );
    }
    expect(problemsOf({ app: { maxSurge: 0, maxUnavailable: 1 } })).toEqual([]);
  });

  it('a PodDisruptionBudget that would block every drain', () => {
    expect(problemsOf({ app: { maxUnavailableDuringDisruption: 0 } })).toEqual([
      "environment 'dev': PodDisruptionBudget maxUnavailable (0) would block every node drain; allow at least 1 pod or 1%",
    ]);
    expect(problemsOf({ app: { maxUnavailableDuringDisruption: '0%' } })).toHaveLength(1);
  });

  it('replicas x requests that cannot fit into the user pool at its maximum size', () => {
    // dev: 3 x Standard_D4ds_v5, 3860m CPU allocatable per node -> 15 pods of 250m per node, 45 in all.
    expect(problemsOf({ app: { replicas: 46 } })).toEqual([
      "environment 'dev': 46 pods x (250m CPU, 256Mi memory) do not fit into user pool 'apps' (3 x Standard_D4ds_v5): at most 45 fit " +
        '(3860m CPU and 14034Mi allocatable per node); raise maxCount, use a larger VM size, or lower replicas or requests',
    ]);
    expect(problemsOf({ app: { replicas: 45 } })).toEqual([]);
  });

  it('counts the autoscaler maximum, not the minimum, against the pool', () => {
    expect(problemsOf({ app: { autoscaling: { minReplicas: 2, maxReplicas: 60 } } }).join()).toMatch(/60 pods x .* at most 45 fit/);
  });

  it('HPA minReplicas above maxReplicas (construct props, for apps other than photo-view)', () => {
    const chart = Testing.chart();
    new WebApp(chart, 'App', { ...otherApp, autoscaling: { minReplicas: 5, maxReplicas: 3, cpuUtilizationPercent: 70 } });
    expect(chart.node.findAll().flatMap((c) => c.node.validate())).toEqual([
      "environment 'test': HPA of track 'main': minReplicas (5) must be <= maxReplicas (3)",
    ]);
  });

  it('a Service selector that matches no Deployment or the wrong colour', () => {
    const deployments = [
      { track: 'blue', podLabels: { app: 'pv', track: 'blue' } },
      { track: 'green', podLabels: { app: 'pv', track: 'green' } },
    ];
    expect(selectorProblems([{ service: 'pv', selector: { app: 'pv', track: 'red' }, expectedTracks: ['blue'] }], deployments)).toEqual([
      'Service \'pv\' selector {"app":"pv","track":"red"} matches no Deployment',
    ]);
    expect(selectorProblems([{ service: 'pv', selector: { app: 'pv', track: 'green' }, expectedTracks: ['blue'] }], deployments)).toEqual([
      "Service 'pv' selects track(s) green but must select blue",
    ]);
    expect(selectorProblems([{ service: 'pv', selector: { app: 'pv' }, expectedTracks: ['blue'] }], deployments)).toEqual([
      "Service 'pv' selects track(s) blue, green but must select blue",
    ]);
  });
});

describe('pod labels the selector check reads', () => {
  // The check reads the pod template's metadata instead of serializing each Deployment again; this holds
  // it to what synthesis writes, for every release strategy (a JSON patch on the labels would break it).
  it.each(['dev', 'staging', 'prod'])('are the synthesized template labels of the Deployments (%s)', (name) => {
    const { chart, manifests } = synthPhotoView(environment(name));
    const tracks = chart.node.findAll().filter((c): c is AppTrack => c instanceof AppTrack);
    const deployments = manifests.filter((m) => m.kind === 'Deployment');
    expect(tracks.length).toBeGreaterThan(0);
    expect(tracks.map((t) => t.synthesizedPodLabels())).toEqual(
      tracks.map((t) => deployments.find((d) => d.metadata.name === t.deployment.name)?.spec.template.metadata.labels),
    );
  });
});
