import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import { PhotoViewChart } from '../../workloads/charts/photo-view';
import { environment, ENVIRONMENT_NAMES } from '../config/fixtures';
import { synthAppsManifests } from './synth';
import { kubernetesProblems } from '../support/kubernetes-schema';

/*
 * kubernetes_manifest fails an apply when the API server returns an object without a value the plan
 * had ("Provider produced inconsistent result after apply", terraform-provider-kubernetes #2783, #1719).
 * The server drops empty lists and maps, and the zero values of non-pointer fields. This walks every
 * applied object, of every environment under every release strategy, for anything the server would drop.
 */

/** Zero values the chart may send because their Go fields are pointers: the server returns them. */
const POINTER_FIELDS = new Set([
  'automountServiceAccountToken',
  'allowPrivilegeEscalation',
  'privileged',
  'replicas',
  'stabilizationWindowSeconds',
  'maxUnavailable',
  'maxSurge',
]);
/** Empty objects the server returns as {}: an emptyDir volume, a select-all label selector. */
const RETURNED_WHEN_EMPTY = new Set(['emptyDir', 'podSelector']);
const USER_DATA = new Set(['labels', 'annotations', 'data', 'parameters', 'volumeAttributes', 'matchLabels', 'nodeSelector']);

function droppedByServer(value: unknown, at: string, key: string, builtIn: boolean, found: string[]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) found.push(`${at}: []`);
    value.forEach((item, i) => droppedByServer(item, `${at}[${i}]`, '', builtIn, found));
  } else if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0 && key !== '' && !RETURNED_WHEN_EMPTY.has(key)) found.push(`${at}: {}`);
    if (USER_DATA.has(key)) return;
    for (const [k, v] of entries) droppedByServer(v, `${at}.${k}`, k, builtIn, found);
  } else if (builtIn && (value === false || value === 0 || value === '') && !POINTER_FIELDS.has(key)) {
    found.push(`${at}: ${JSON.stringify(value)}`);
  }
}

const STRATEGIES: Record<string, Record<string, unknown>> = {
  rolling: { strategy: 'rolling', tag: '1.4.2' },
  'blue/green, blue active': { strategy: 'blueGreen', active: 'blue', blueTag: '1.4.2', greenTag: '1.5.0' },
  'blue/green, green active, idle colour scaled down': {
    strategy: 'blueGreen',
    active: 'green',
    blueTag: '1.4.2',
    greenTag: '1.5.0',
    scaledDown: { colour: 'blue', replicas: 1 },
  },
  'canary 10 %': { strategy: 'canary', stableTag: '1.4.2', canaryTag: '1.5.0', canaryPercent: 10 },
  'canary rolled back (0 %)': { strategy: 'canary', stableTag: '1.4.2', canaryTag: '1.5.0', canaryPercent: 0 },
};

describe.each(ENVIRONMENT_NAMES)('objects applied to %s survive the API server round trip', (name) => {
  it.each(Object.keys(STRATEGIES))('%s', (strategy) => {
    const manifests = synthAppsManifests(environment(name, { app: { release: STRATEGIES[strategy] } }));
    expect(manifests.length).toBeGreaterThan(5);
    const found: string[] = [];
    for (const m of manifests) {
      droppedByServer(m, `${m.kind}/${m.metadata.name}`, '', !m.apiVersion.includes('.') || m.apiVersion.startsWith('networking.k8s.io/'), found);
      expect(kubernetesProblems(m as never)).toEqual([]);
    }
    expect(found).toEqual([]);
  });
});

it('sends resource quantities in the form the API server returns (1000m is 1, 1024Mi is 1Gi)', () => {
  const manifests = synthAppsManifests(
    environment('dev', { app: { resources: { cpuLimitMillis: 1000, memoryLimitMiB: 1024, cpuRequestMillis: 500, memoryRequestMiB: 512 } } }),
  );
  const deployment = manifests.find((m) => m.kind === 'Deployment') as unknown as {
    spec: { template: { spec: { containers: Array<{ resources: unknown }> } } };
  };
  expect(deployment.spec.template.spec.containers[0].resources).toEqual({
    limits: { cpu: '1', memory: '1Gi' },
    requests: { cpu: '500m', memory: '512Mi' },
  });
});

it('writes the same clean objects to dist/ (cdk8s App synth, one file per chart)', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dist-'));
  try {
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    new PhotoViewChart(app, { environment: environment('prod'), platform: { appIdentityClientId: '12345678-1234-1234-1234-123456789abc' } });
    app.synth();
    const text = fs.readFileSync(path.join(outdir, 'photo-view-prod.k8s.yaml'), 'utf8');
    expect(text).toContain('kind: Service');
    expect(text).not.toMatch(/externalIPs|minReadySeconds|hostNetwork|: \[\]$/m);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

it('keeps the replicas: 0 of an idle blue/green colour, which the server returns', () => {
  // staging has no autoscaling, so the idle colour can be held at 0 pods by the manifest.
  const release = { ...STRATEGIES['blue/green, green active, idle colour scaled down'], scaledDown: { colour: 'blue', replicas: 0 } };
  const manifests = synthAppsManifests(environment('staging', { app: { release } }));
  const blue = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'photo-view-blue') as unknown as { spec: { replicas: number } };
  expect(blue.spec.replicas).toBe(0);
});
