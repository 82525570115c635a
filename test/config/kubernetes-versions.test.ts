import { ConfigError, kubernetesVersionStatus, supportedMinors, AKS_KUBERNETES_VERSIONS, configWarnings } from '../../config';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadEnvironments } from '../../config/load';
import { ENVIRONMENTS_DIR, environment } from './fixtures';

const TODAY = new Date('2026-11-23T12:00:00Z');

describe('AKS Kubernetes versions', () => {
  it('lists the AKS calendar: 1.33 ends Jul 2026, 1.34 Nov 2026, 1.35 Mar 2027, 1.36 Jun 2027, 1.37 Oct 2027', () => {
    const end = Object.fromEntries(AKS_KUBERNETES_VERSIONS.map((v) => [v.minor, v.endOfSupport.slice(0, 7)]));
    expect(end).toMatchObject({ '1.32': '2026-03', '1.33': '2026-07', '1.34': '2026-11', '1.35': '2027-03', '1.36': '2027-06', '1.37': '2027-10' });
    expect(supportedMinors(TODAY)).toEqual(['1.34', '1.35', '1.36', '1.37']);
  });

  it.each(['1.99', '1.0', '2.36'])('refuses %s, a version AKS does not offer, naming what it supports', (version) => {
    expect(kubernetesVersionStatus(version, TODAY).problem).toBe(
      `Kubernetes ${version} is not a version AKS offers; AKS supports 1.34, 1.35, 1.36, 1.37 on 2026-11-23`,
    );
  });

  it('refuses a version past its end of AKS support (1.32)', () => {
    expect(kubernetesVersionStatus('1.32.4', TODAY).problem).toMatch(
      /^Kubernetes 1\.32 left AKS support on 2026-03-31; a cluster cannot be created at it/,
    );
  });

  it('warns within 60 days of the end of support, and not before', () => {
    expect(kubernetesVersionStatus('1.34', TODAY)).toEqual({
      warning:
        'Kubernetes 1.34 leaves AKS support on 2026-11-30 (in 7 days); upgrade to a newer minor version (AKS supports 1.34, 1.35, 1.36, 1.37 on 2026-11-23)',
    });
    expect(kubernetesVersionStatus('1.35', new Date('2027-01-30T00:00:00Z')).warning).toMatch(/in 60 days/);
    expect(kubernetesVersionStatus('1.35', new Date('2027-01-29T00:00:00Z'))).toEqual({});
    expect(kubernetesVersionStatus('1.36', TODAY)).toEqual({});
  });

  it('runs the shipped environments on a version AKS supports today, without warnings, with node pools in step', () => {
    for (const name of ['dev', 'staging', 'prod']) {
      const env = environment(name);
      expect(kubernetesVersionStatus(env.kubernetes.version, TODAY)).toEqual({});
      expect(configWarnings(env, TODAY)).toEqual([]);
      expect(env.kubernetes.systemPool.orchestratorVersion ?? env.kubernetes.version).toBe(env.kubernetes.version);
      expect(env.kubernetes.userPool.orchestratorVersion ?? env.kubernetes.version).toBe(env.kubernetes.version);
    }
  });
});

describe('the calendar judges only when given a date', () => {
  it('loads a version past its end of support (synth never refuses on the date) and warns about it on a given day', () => {
    const env = environment('dev', { kubernetes: { version: '1.32' } });
    expect(env.kubernetes.version).toBe('1.32');
    expect(configWarnings(env, TODAY)).toEqual([
      { path: 'kubernetes.version', value: '1.32', message: expect.stringMatching(/^Kubernetes 1\.32 left AKS support on 2026-03-31/) },
    ]);
    expect(configWarnings(env, new Date('2026-01-01T00:00:00Z'))).toEqual([]);
  });

  it('warns from loadEnvironments only when it is given the date', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'versions-'));
    fs.writeFileSync(
      path.join(dir, 'dev.yaml'),
      fs.readFileSync(path.join(ENVIRONMENTS_DIR, 'dev.yaml'), 'utf8').replace(/version: "1\.\d+"/, 'version: "1.34"'),
    );
    const warnings: string[] = [];
    expect(loadEnvironments(dir, { warn: (w) => warnings.push(w) })).toHaveLength(1);
    expect(warnings.filter((w) => w.includes('AKS support'))).toEqual([]);
    loadEnvironments(dir, { warn: (w) => warnings.push(w), today: TODAY });
    expect(warnings.filter((w) => w.includes('AKS support'))).toEqual([
      expect.stringMatching(
        /^warning: .*dev\.yaml \(environment 'dev'\): kubernetes\.version = "1\.34": Kubernetes 1\.34 leaves AKS support on 2026-11-30 \(in 7 days\)/,
      ),
    ]);
  });
});

it('warns about a node pool pinned to a version near its end of support', () => {
  const env = environment('dev', { kubernetes: { version: '1.35', userPool: { orchestratorVersion: '1.34' } } });
  expect(configWarnings(env, TODAY)).toEqual([
    {
      path: 'kubernetes.userPool.orchestratorVersion',
      value: '1.34',
      message: expect.stringMatching(/^Kubernetes 1\.34 leaves AKS support on 2026-11-30 \(in 7 days\)/),
    },
  ]);
});

describe('environment files with versions AKS does not offer, or upgrade channels that fight the pin', () => {
  const reject = (patch: Record<string, unknown>) => {
    try {
      environment('dev', patch);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('rejects kubernetes.version "1.99" with the file, environment, field, value and what is allowed', () => {
    expect(reject({ kubernetes: { version: '1.99' } })).toMatch(
      /environments\/dev\.yaml \(environment 'dev'\): kubernetes\.version = "1\.99": Kubernetes 1\.99 is not a version AKS offers; the AKS calendar \(config\/kubernetes-versions\.ts\) lists 1\.31, 1\.32, .*1\.37$/m,
    );
  });
  it('rejects kubernetes.version "1.0"', () => {
    expect(reject({ kubernetes: { version: '1.0' } })).toMatch(/kubernetes\.version = "1\.0": Kubernetes 1\.0 is not a version AKS offers/);
  });
  it('rejects a node pool pinned to a version AKS does not offer', () => {
    expect(reject({ kubernetes: { userPool: { orchestratorVersion: '1.10' } } })).toMatch(
      /kubernetes\.userPool\.orchestratorVersion = "1\.10": Kubernetes 1\.10 is not a version AKS offers/,
    );
  });
  it.each(['stable', 'rapid'])("rejects automaticUpgradeChannel '%s' with a pinned version", (channel) => {
    expect(reject({ kubernetes: { automaticUpgradeChannel: channel } })).toMatch(
      new RegExp(
        `kubernetes\\.automaticUpgradeChannel = "${channel}": '${channel}' upgrades the minor version past the pinned kubernetes\\.version 1\\.36.*allowed with a pinned version: 'patch' \\(default\\), 'node-image', 'none'`,
      ),
    );
  });
  it("rejects a patch-level pin with the 'patch' channel, which would downgrade after AKS patches", () => {
    expect(reject({ kubernetes: { version: '1.36.2' } })).toMatch(
      /kubernetes\.version = "1\.36\.2": automaticUpgradeChannel 'patch' moves the cluster past patch 1\.36\.2.*pin the minor version only \('1\.36'\)/,
    );
  });
  it("accepts a patch-level pin with 'none' or 'node-image'", () => {
    expect(environment('dev', { kubernetes: { version: '1.36.2', automaticUpgradeChannel: 'none' } }).kubernetes.version).toBe('1.36.2');
    expect(environment('dev', { kubernetes: { version: '1.36.2', automaticUpgradeChannel: 'node-image' } }).kubernetes.automaticUpgradeChannel).toBe(
      'node-image',
    );
  });
  it("rejects networkPolicy 'azure' (Network Policy Manager is being retired; Cilium is the data plane)", () => {
    expect(reject({ kubernetes: { networkPolicy: 'azure' } })).toMatch(
      /kubernetes\.networkPolicy = "azure": must be 'cilium': Azure CNI powered by Cilium is the data plane/,
    );
  });
});

it('says so when the calendar has no supported version left on the day, instead of an empty list', () => {
  const later = new Date('2031-01-01T00:00:00Z');
  expect(supportedMinors(later)).toEqual([]);
  expect(kubernetesVersionStatus('1.36', later).problem).toMatch(
    /left AKS support on 2027-06-30; .*; no version in config\/kubernetes-versions\.ts is supported on 2031-01-01; add the versions AKS has announced since$/,
  );
});
