import { environment, ENVIRONMENT_NAMES } from '../config/fixtures';
import { APPLICATION_INSIGHTS_SETTING as CONFIG_APPLICATION_INSIGHTS_SETTING } from '../../config';
import { APPLICATION_INSIGHTS_SETTING, PHOTO_VIEW_CONTRACT, type AppContract } from '../../workloads/photo-view/contract';
import { synthPhotoView, type Manifest } from './synth';

/** What the pods of an environment promise the image, read back from the synthesized manifests. */
function podContract(manifests: Manifest[]) {
  return manifests
    .filter((m) => m.kind === 'Deployment')
    .map((d) => {
      const spec = d.spec.template.spec;
      const container = spec.containers[0];
      const mounts = Object.fromEntries(container.volumeMounts.map((m: { name: string; mountPath: string }) => [m.name, m.mountPath]));
      return {
        port: container.ports[0].containerPort,
        startup: container.startupProbe.httpGet,
        liveness: container.livenessProbe.httpGet,
        readiness: container.readinessProbe.httpGet,
        podUser: [spec.securityContext.runAsUser, spec.securityContext.runAsGroup, spec.securityContext.fsGroup],
        containerUser: [container.securityContext.runAsUser, container.securityContext.runAsGroup],
        mounts,
        terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
        preStop: container.lifecycle.preStop,
      };
    });
}

const expected = (c: AppContract) => ({
  port: c.port,
  startup: { path: c.livenessPath, port: c.port },
  liveness: { path: c.livenessPath, port: c.port },
  readiness: { path: c.readinessPath, port: c.port },
  podUser: [c.uid, c.uid, c.uid],
  containerUser: [c.uid, c.uid],
  mounts: { tmp: c.tmpMountPath, settings: c.settingsMountPath, secrets: c.secretsMountPath },
  terminationGracePeriodSeconds: c.terminationGracePeriodSeconds,
  preStop: { sleep: { seconds: c.preStopDelaySeconds } },
});

describe.each(ENVIRONMENT_NAMES)('photo-view pods in %s keep the image contract', (name) => {
  it('port, probes, user, mounts, grace period and pre-stop delay are the contract values', () => {
    const { manifests, one } = synthPhotoView(environment(name));
    for (const pods of podContract(manifests)) expect(pods).toMatchObject(expected(PHOTO_VIEW_CONTRACT));
    expect(one('Service', 'photo-view').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: PHOTO_VIEW_CONTRACT.port }]);
    expect(one('NetworkPolicy', 'photo-view-allow-http').spec.ingress[0].ports).toEqual([{ port: PHOTO_VIEW_CONTRACT.port, protocol: 'TCP' }]);
  });
});

describe('the chart takes its values from the contract module', () => {
  afterEach(() => jest.restoreAllMocks());

  it('follows a changed contract everywhere (nothing is written twice)', () => {
    const changed: AppContract = {
      ...PHOTO_VIEW_CONTRACT,
      port: 9191,
      livenessPath: '/live',
      readinessPath: '/ready',
      uid: 20002,
      settingsMountPath: '/etc/other',
      secretsMountPath: '/var/run/secrets/app',
      tmpMountPath: '/scratch',
      terminationGracePeriodSeconds: 45,
      preStopDelaySeconds: 9,
    };
    for (const [key, value] of Object.entries(changed)) jest.replaceProperty(PHOTO_VIEW_CONTRACT, key as keyof AppContract, value);
    const { manifests, one } = synthPhotoView(environment('prod'));
    const pods = podContract(manifests);
    expect(pods).toHaveLength(2);
    for (const p of pods) expect(p).toMatchObject(expected(changed));
    expect(one('Service', 'photo-view').spec.ports[0].targetPort).toBe(9191);
  });

  it('rejects an environment without a setting the image requires', () => {
    const env = environment('dev');
    const { problems } = synthPhotoView({ ...env, app: { ...env.app, settings: { LOG_LEVEL: 'info' } } });
    expect(problems).toEqual([
      "environment 'dev': app.settings.GALLERY_TITLE is required by the photo-view image (workloads/photo-view/contract.ts)",
    ]);
  });

  it('rejects an environment without a secret the image requires', () => {
    const { problems } = synthPhotoView(environment('staging', { app: { secretNames: [] }, applicationInsights: { enabled: false } }));
    expect(problems).toEqual([
      "environment 'staging': app.secretNames must include STORAGE_CONNECTION_STRING, which the photo-view image requires (workloads/photo-view/contract.ts)",
    ]);
  });
});

// The image is built from workloads/photo-view alone, so its contract cannot import config/; the two
// names of the Application Insights setting (the config refuses it as a secret, the app reads it) must agree.
it('names the Application Insights setting as the config knows it', () => {
  expect(APPLICATION_INSIGHTS_SETTING).toBe(CONFIG_APPLICATION_INSIGHTS_SETTING);
});
