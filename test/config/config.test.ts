import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listEntryLines, loadEnvironmentFile, loadEnvironments } from '../../config';
import { configErrorOf, ENVIRONMENTS_DIR, environment } from '../config/fixtures';

/** Every folder this file creates, removed at the end. */
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'config-test-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

describe('environment files', () => {
  it('loads dev, staging and prod with defaults applied', () => {
    const envs = loadEnvironments(ENVIRONMENTS_DIR, { warn: () => undefined });
    expect(envs.map((e) => e.name)).toEqual(expect.arrayContaining(['dev', 'prod', 'staging']));
    const dev = envs.find((e) => e.name === 'dev')!;

    expect(dev.kubernetes.systemPool.osDiskType).toBe('Ephemeral');
    expect(dev.kubernetes.autoscalerProfile.expander).toBe('least-waste');
    expect(dev.app.replicas).toBe(10);
    expect(dev.app.maxSurge).toEqual({ percent: 25 });
    expect(dev.monitoring.alerts.nodeCpuPercent).toEqual({ threshold: 80, severity: 2 });
  });

  it('names the file, the environment, the field, the value and what is allowed', () => {
    const message = configErrorOf(() => environment('dev', { location: 'atlantis' }));
    expect(message).toContain('environments/dev.yaml (environment \'dev\'): location = "atlantis": unknown Azure region; allowed: ');
    expect(message).toContain('westeurope');
  });

  it('reports the problems of every file at once', () => {
    const dir = fs.mkdtempSync(path.join(TMP, 'envs-'));
    for (const name of ['dev', 'prod']) {
      const text = fs.readFileSync(path.join(ENVIRONMENTS_DIR, `${name}.yaml`), 'utf8');
      fs.writeFileSync(path.join(dir, `${name}.yaml`), text.replace('location: westeurope', 'location: moon'));
    }
    const message = configErrorOf(() => loadEnvironments(dir, { warn: () => undefined }));
    expect(message).toMatch(/dev\.yaml \(environment 'dev'\): location = "moon"/);
    expect(message).toMatch(/prod\.yaml \(environment 'prod'\): location = "moon"/);
  });
});

describe('rejects bad input', () => {
  const cases: Array<[string, Record<string, any>, RegExp]> = [
    [
      'autoscaler minCount above maxCount',
      { kubernetes: { userPool: { minCount: 5, maxCount: 3 } } },
      /kubernetes\.userPool\.minCount = 5: autoscaler minCount \(5\) must be <= maxCount \(3\)/,
    ],
    [
      'autoscaler maxCount out of range',
      { kubernetes: { systemPool: { maxCount: 5000 } } },
      /kubernetes\.systemPool\.maxCount = 5000: must be a whole number from 1 to 1000/,
    ],
    [
      'autoscaler minCount of zero',
      { kubernetes: { userPool: { minCount: 0 } } },
      /kubernetes\.userPool\.minCount = 0: must be a whole number from 1 to 1000/,
    ],
    [
      'a node count outside min..max',
      { kubernetes: { userPool: { nodeCount: 7 } } },
      /kubernetes\.userPool\.nodeCount = 7: nodeCount \(7\) must be within minCount\.\.maxCount \(1\.\.3\)/,
    ],
    ['an unknown Azure region', { location: 'mars-north' }, /location = "mars-north": unknown Azure region; allowed: .*westeurope/],
    [
      'a malformed Kubernetes version',
      { kubernetes: { version: 'v1.32' } },
      /kubernetes\.version = "v1\.32": malformed Kubernetes version; expected <major>\.<minor>/,
    ],
    [
      'an unknown VM size family',
      { kubernetes: { userPool: { vmSize: 'Standard_Q4s_v5' } } },
      /kubernetes\.userPool\.vmSize = "Standard_Q4s_v5": VM family 'Q' is unknown; allowed families: D, E, F, L/,
    ],
    [
      'a VM size that is not a size name',
      { kubernetes: { userPool: { vmSize: 'large' } } },
      /kubernetes\.userPool\.vmSize = "large": must look like Standard_<family><vCPUs>/,
    ],
    [
      'zones on a region without zones',
      { location: 'westus', kubernetes: { userPool: { zones: ['1', '2'] } } },
      /kubernetes\.userPool\.zones = \["1","2"\]: zones \[1, 2\] given, but region 'westus' has no availability zones/,
    ],
    [
      'a maintenance window on a bad day',
      { kubernetes: { maintenance: { dayOfWeek: 'Funday' } } },
      /kubernetes\.maintenance\.dayOfWeek = "Funday": Invalid option: expected one of "Monday"\|"Tuesday"/,
    ],
    [
      'a maintenance window at a bad time',
      { kubernetes: { maintenance: { startTime: '25:00' } } },
      /kubernetes\.maintenance\.startTime = "25:00": must be a time HH:MM from 00:00 to 23:59/,
    ],
    [
      'a maintenance window shorter than AKS allows',
      { kubernetes: { maintenance: { durationHours: 2 } } },
      /kubernetes\.maintenance\.durationHours = 2: must be a whole number from 4 to 24/,
    ],
    [
      'unknown keys (typos)',
      { kubernetes: { systemPool: { minCuont: 1 } } },
      /kubernetes\.systemPool: unknown key\(s\) 'minCuont'; allowed keys: vmSize, minCount, maxCount/,
    ],
    ['an unknown top-level key', { regoin: 'westeurope' }, /\(file\): unknown key\(s\) 'regoin'; allowed keys: subscriptionId/],
    [
      'a node pool version ahead of the control plane',
      { kubernetes: { userPool: { orchestratorVersion: '1.37' } } },
      /kubernetes\.userPool\.orchestratorVersion = "1\.37": orchestratorVersion \(1\.37\) must not be ahead of the control plane \(kubernetes\.version 1\.36\)/,
    ],
    [
      'geo-replication without Premium',
      { registry: { geoReplicationLocations: ['northeurope'] } },
      /registry\.geoReplicationLocations = \["northeurope"\]: geo-replication needs sku 'Premium' \(sku is 'Basic'\)/,
    ],
    [
      'zone redundancy without Premium',
      { registry: { zoneRedundancy: true } },
      /registry\.zoneRedundancy = true: zone redundancy needs sku 'Premium' \(sku is 'Basic'\)/,
    ],
    [
      'HPA minReplicas above maxReplicas',
      { app: { autoscaling: { minReplicas: 8, maxReplicas: 4 } } },
      /app\.autoscaling\.minReplicas = 8: HPA minReplicas \(8\) must be <= maxReplicas \(4\)/,
    ],
    [
      'an unknown release strategy',
      { app: { release: { strategy: 'yolo' } } },
      /app\.release\.strategy = "yolo": release\.strategy must be one of 'rolling', 'blueGreen', 'canary'/,
    ],
    ['a malformed subscription ID', { subscriptionId: 'my-sub' }, /subscriptionId = "my-sub": must be a GUID/],
  ];
  it.each(cases)('rejects %s', (_name, patch, expected) => {
    expect(configErrorOf(() => environment('dev', patch))).toMatch(expected);
  });

  it('rejects an ACR or Key Vault name the naming rules cannot satisfy', () => {
    // 'kv' + 'photoview' + 'integration1' + suffix is 27 characters even without hyphens; Key Vault allows 24.
    const message = configErrorOf(() => loadEnvironmentFileAs('integration1'));
    expect(message).toMatch(
      /environment 'integration1'\): workload = "photoview": keyVault name 'kvphotoviewintegration1\w{4}' \(27 characters\) cannot satisfy Azure's rule \(3-24 letters, digits and single hyphens, starting with a letter, at most 24\)/,
    );
  });

  it('rejects a file name that is not a valid environment name', () => {
    const message = configErrorOf(() => loadEnvironmentFileAs('Prod_EU'));
    expect(message).toMatch(/Prod_EU\.yaml.*file name must be <environment>\.yaml where <environment> is 2-12 lowercase letters or digits/);
  });

  it('rejects YAML syntax errors with the line', () => {
    const file = path.join(fs.mkdtempSync(path.join(TMP, 'envs-')), 'qa.yaml');
    fs.writeFileSync(file, 'location: westeurope\nkubernetes: [unclosed\n');
    expect(configErrorOf(() => loadEnvironmentFile(file))).toMatch(/qa\.yaml \(environment 'qa'\): \(file\): YAML syntax: .*line/);
  });
});

describe('environment files parsed once per process', () => {
  // One synth loads each file in the infra app, the workloads app and the policy gate; later loads reuse
  // the parse only while the file's bytes are the same.
  const copyOfDev = () => {
    const file = path.join(fs.mkdtempSync(path.join(TMP, 'memo-')), 'qa.yaml');
    fs.copyFileSync(path.join(ENVIRONMENTS_DIR, 'dev.yaml'), file);
    return file;
  };

  it('re-reads a file edited since it was loaded', () => {
    const file = copyOfDev();
    expect(loadEnvironmentFile(file).location).toBe('westeurope');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^location: westeurope$/m, 'location: northeurope'));
    expect(loadEnvironmentFile(file).location).toBe('northeurope');
    // An edit that breaks the file is reported, not hidden by the earlier parse.
    fs.writeFileSync(file, 'location: westeurope\nkubernetes: [unclosed\n');
    expect(configErrorOf(() => loadEnvironmentFile(file))).toMatch(/YAML syntax/);
  });

  it('gives every load its own copy', () => {
    const file = copyOfDev();
    const first = loadEnvironmentFile(file);
    first.tags.changed = 'by the first app';
    expect(loadEnvironmentFile(file).tags).not.toHaveProperty('changed');
  });

  it('finds the lines of list entries (waivers) from the parse, and from the file again once it changed', () => {
    const file = copyOfDev();
    loadEnvironmentFile(file);
    const text = fs.readFileSync(file, 'utf8');
    const line = text.split('\n').findIndex((l) => l.startsWith('  - rule: NET004')) + 1;
    expect(line).toBeGreaterThan(1);
    expect(listEntryLines(file, 'waivers')).toEqual([line]);
    fs.writeFileSync(file, `# a comment\n# and another\n${text}`);
    expect(listEntryLines(file, 'waivers')).toEqual([line + 2]);
  });
});

/** Copies dev.yaml to a file of another name and loads it. */
function loadEnvironmentFileAs(name: string) {
  const file = path.join(fs.mkdtempSync(path.join(TMP, 'envs-')), `${name}.yaml`);
  fs.copyFileSync(path.join(ENVIRONMENTS_DIR, 'dev.yaml'), file);
  return loadEnvironmentFile(file);
}
