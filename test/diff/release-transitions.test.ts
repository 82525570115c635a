import { compareOutputs, type SynthOutput } from '../../scripts/diff/compare';
import type { DiffReport, JsonObject, Risk } from '../../scripts/diff/model';
import type { StackJson } from '../../scripts/diff/terraform';
import type { EnvironmentConfig } from '../../config';
import { environment } from '../config/fixtures';
import { synthApps, synthPlatform } from '../infra/synth';
import { synthPhotoView } from '../workloads/synth';

/*
 * The risks of release steps, on the stacks and objects synthesized from the test fixtures' environments
 * with another release config. The apps stack applies them make-before-break (docs/releases.md, "Apply
 * order by role" and "Changing strategy"): a strategy change or a blue/green step is no high risk. What
 * would break traffic once applied stays high.
 */

/**
 * The platform stack does not read `app.release` (the first test checks that), so each environment's is
 * synthesized once: it is most of the synthesis time here.
 */
const platforms = new Map<string, StackJson>();
function platformOf(env: EnvironmentConfig): StackJson {
  if (!platforms.has(env.name)) platforms.set(env.name, JSON.parse(synthPlatform(env).text) as StackJson);
  return platforms.get(env.name)!;
}

/** What `npm run synth` writes for one environment: its two stacks and its Kubernetes objects. */
function output(env: EnvironmentConfig): SynthOutput {
  return {
    stacks: new Map<string, StackJson>([
      [`apps-${env.name}`, JSON.parse(synthApps(env).text) as StackJson],
      [`platform-${env.name}`, platformOf(env)],
    ]),
    objects: new Map([[env.name, synthPhotoView(env).manifests as unknown as JsonObject[]]]),
  };
}

const REFS = { base: { ref: 'base', commit: 'a'.repeat(40) }, head: { ref: 'working tree', commit: 'b'.repeat(40) } };
const diff = (base: SynthOutput, head: SynthOutput) => compareOutputs(base, head, REFS);
const high = (report: DiffReport) => report.risks.filter((r) => r.level === 'high').map((r) => r.message);
const MAIN = 'Service/photo-view/photo-view';
const trafficOf = (report: DiffReport, address = MAIN) => report.risks.find((r) => r.kind === 'traffic' && r.address === address) as Risk;
const tracks = (shares: ReadonlyArray<{ track: string; percent: number }> | undefined) => shares?.map((s) => [s.track, s.percent]);

const RELEASES = {
  rolling: { strategy: 'rolling', tag: '1.4.2' },
  blueGreen: { strategy: 'blueGreen', active: 'blue', blueTag: '1.4.2', greenTag: '1.5.0' },
  canary: { strategy: 'canary', stableTag: '1.4.2', canaryTag: '1.5.0', canaryPercent: 20 },
} as const;
type Strategy = keyof typeof RELEASES;

/** The tracks a strategy runs, and whether the main Service selects all of them (or one colour). */
const TRACKS: Record<Strategy, { deployments: string[]; serviceSelectsEvery: boolean }> = {
  rolling: { deployments: ['photo-view'], serviceSelectsEvery: true },
  blueGreen: { deployments: ['photo-view-blue', 'photo-view-green'], serviceSelectsEvery: false },
  canary: { deployments: ['photo-view-stable', 'photo-view-canary'], serviceSelectsEvery: true },
};

const TRANSITIONS: Array<[Strategy, Strategy]> = [
  ['rolling', 'blueGreen'],
  ['rolling', 'canary'],
  ['blueGreen', 'rolling'],
  ['blueGreen', 'canary'],
  ['canary', 'rolling'],
  ['canary', 'blueGreen'],
];

it('the platform stack is the same whatever the release strategy', () => {
  const platform = (strategy: Strategy) => synthPlatform(environment('staging', { app: { release: RELEASES[strategy] } })).text;
  expect(platform('canary')).toBe(platform('rolling'));
});

// dev: replicas from the manifest, a public load balancer; prod: autoscaled, an internal one.
describe.each(['dev', 'prod'])('changing strategy in %s', (name) => {
  const withRelease = (strategy: Strategy) => output(environment(name, { app: { release: RELEASES[strategy] } }));

  it.each(TRANSITIONS)('%s → %s: no high risk; the traffic line says where requests go, meanwhile included', (from, to) => {
    const report = diff(withRelease(from), withRelease(to));
    expect(high(report)).toEqual([]);
    // The old Deployments are deleted, never updated: no field of theirs is "immutable".
    const deleted = report.changes.filter((c) => c.layer === 'kubernetes' && c.type === 'Deployment' && c.action === 'delete');
    expect(deleted.map((c) => c.name).sort()).toEqual([...TRACKS[from].deployments].sort());
    expect(deleted.flatMap((c) => c.attributes).filter((a) => a.effect === 'immutable')).toEqual([]);
    // No risk of their own: what they carry are the Services' lines (traffic, the preview), which they are part of.
    expect(deleted.flatMap((c) => c.risks.filter((r) => r.address === c.address))).toEqual([]);

    const traffic = trafficOf(report);
    expect(traffic.level).toBe('medium');
    // The old tracks get requests until they are deleted, after the Services: only when the new Service selects every track.
    if (TRACKS[to].serviceSelectsEvery) {
      expect(traffic.message).toContain(`until the removed ${TRACKS[from].deployments.join(', ')}`);
      expect(traffic.message).toContain('after the Services are applied, it also sends requests to');
    } else {
      expect(traffic.message).not.toContain('until the removed');
    }
    // Leaving blue/green removes the preview of the idle colour: no users' traffic, so medium.
    const preview = report.risks.filter((r) => r.address === 'Service/photo-view/photo-view-preview');
    expect(preview.map((r) => [r.kind, r.level])).toEqual(from === 'blueGreen' ? [['serving-deleted', 'medium']] : []);
  });

  it('relies on the apps stack deleting a removed Deployment after the Services (create_before_destroy)', () => {
    const { json } = synthApps(environment(name, { app: { release: RELEASES.rolling } }));
    const resources = Object.values(json.resource.kubernetes_manifest);
    const deployment = resources.find((r) => r.manifest.kind === 'Deployment');
    expect(deployment?.lifecycle).toEqual({ create_before_destroy: true });
    const service = Object.entries(json.resource.kubernetes_manifest).find(([, r]) => r.manifest.kind === 'Service');
    const deploymentKey = Object.entries(json.resource.kubernetes_manifest).find(([, r]) => r === deployment)?.[0];
    expect(service?.[1].depends_on).toContain(`kubernetes_manifest.${deploymentKey}`);
  });
});

describe('blue/green steps', () => {
  // staging: blue/green, blue active, replicas from the manifest; the same with autoscaling.
  const staging = (release: Record<string, unknown>, autoscaling = false) =>
    environment('staging', {
      app: {
        release: { ...RELEASES.blueGreen, ...release },
        ...(autoscaling ? { autoscaling: { minReplicas: 4, maxReplicas: 8, cpuUtilizationPercent: 70 } } : {}),
      },
    });
  const STEPS: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ['flip to green', {}, { active: 'green' }],
    ['roll back to blue', { active: 'green' }, {}],
    ['flip and scale the old colour down in one change', {}, { active: 'green', scaledDown: { colour: 'blue', replicas: 1 } }],
    ['scale the idle colour down', {}, { scaledDown: { colour: 'green', replicas: 1 } }],
    ['warm the idle colour up again', { scaledDown: { colour: 'green', replicas: 1 } }, {}],
    ['release a new tag on the idle colour', {}, { greenTag: '1.6.0' }],
    ['flip to a colour warmed up in the same change', { scaledDown: { colour: 'green', replicas: 1 } }, { active: 'green' }],
  ];

  it.each(STEPS)('%s: no high risk', (_step, from, to) => {
    for (const autoscaling of [false, true]) {
      expect(high(diff(output(staging(from, autoscaling)), output(staging(to, autoscaling))))).toEqual([]);
    }
  });

  it('scaling the idle colour to 0 pods empties only the preview: medium', () => {
    const report = diff(output(staging({})), output(staging({ scaledDown: { colour: 'green', replicas: 0 } })));
    expect(high(report)).toEqual([]);
    expect(trafficOf(report, 'Service/photo-view/photo-view-preview')).toMatchObject({ level: 'medium', live: { after: [] } });
  });

  it('says which colour goes live on a flip', () => {
    const traffic = trafficOf(diff(output(staging({})), output(staging({ active: 'green' }))));
    expect(tracks(traffic.live?.before)).toEqual([['blue', 100]]);
    expect(tracks(traffic.live?.after)).toEqual([['green', 100]]);
    expect(traffic.message).toMatch(/^Service\/photo-view\/photo-view goes live on green \(photo-view:1\.5\.0\) 100 % \(was blue/);
  });
});

describe('canary steps in prod', () => {
  const prod = (release: Record<string, unknown>) => output(environment('prod', { app: { release: { ...RELEASES.canary, ...release } } }));
  it.each([
    ['move the canary', {}, { canaryPercent: 50 }],
    ['roll the canary back', {}, { canaryPercent: 0 }],
    ['promote', {}, { stableTag: '1.5.0', canaryPercent: 0 }],
  ])('%s: no high risk', (_step, from, to) => {
    expect(high(diff(prod(from), prod(to)))).toEqual([]);
  });
});

describe('what stays high', () => {
  const objectsOf = (out: SynthOutput, env: string) => JSON.parse(JSON.stringify(out.objects.get(env))) as JsonObject[];
  const withObjects = (out: SynthOutput, env: string, objects: JsonObject[]): SynthOutput => ({ ...out, objects: new Map([[env, objects]]) });
  const named = (o: JsonObject, kind: string, name: string) => o.kind === kind && (o.metadata as JsonObject).name === name;

  it('scaling the serving colour down to no pods leaves the Service without pods', () => {
    const base = output(environment('staging'));
    const objects = objectsOf(base, 'staging');
    const blue = objects.find((o) => named(o, 'Deployment', 'photo-view-blue')) as JsonObject;
    (blue.spec as JsonObject).replicas = 0;
    const report = diff(base, withObjects(base, 'staging', objects));
    expect(trafficOf(report)).toMatchObject({
      level: 'high',
      message: expect.stringMatching(/^Service\/photo-view\/photo-view is left with no pods to send requests to \(was blue .* 100 %\)/),
    });
  });

  it('deleting the Deployment a Service still selects after the apply', () => {
    const base = output(environment('dev'));
    const objects = objectsOf(base, 'dev').filter((o) => !named(o, 'Deployment', 'photo-view'));
    const report = diff(base, withObjects(base, 'dev', objects));
    const deployment = report.changes.find((c) => c.address === 'Deployment/photo-view/photo-view');
    expect(deployment).toMatchObject({ action: 'delete', level: 'high' });
    expect(deployment?.risks).toContainEqual(
      expect.objectContaining({
        kind: 'serving-deleted',
        message: `Deployment/photo-view/photo-view is deleted while ${MAIN} still sends it traffic: once applied, the Service has no other pods`,
      }),
    );
    expect(trafficOf(report).level).toBe('high');
  });

  it('deleting the active colour while the Service keeps selecting it', () => {
    const base = output(environment('staging'));
    const objects = objectsOf(base, 'staging').filter((o) => !named(o, 'Deployment', 'photo-view-blue'));
    expect(high(diff(base, withObjects(base, 'staging', objects)))).toContain(
      `Deployment/photo-view/photo-view-blue is deleted while ${MAIN} still sends it traffic: once applied, the Service has no other pods`,
    );
  });
});
