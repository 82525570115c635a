import * as fs from 'node:fs';
import * as path from 'node:path';
import { readYaml } from '../support/yaml';

/*
 * Jobs that hold an OIDC token (id-token: write) run no package's install script but the ones
 * .github/install-scripts.json allows, and install kubelogin pinned and checked, never with `az aks install-cli`.
 */
const ROOT = path.resolve(__dirname, '../..');
const DIR = path.join(ROOT, '.github/workflows');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yml'));
const allowList = JSON.parse(fs.readFileSync(path.join(ROOT, '.github/install-scripts.json'), 'utf8')) as {
  run: Record<string, string>;
  skip: Record<string, string>;
};
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { hasInstallScript?: boolean }>;
};
const NPM_CI_ACTION = './.github/actions/npm-ci';

/** Every job of every workflow, with its workflow file. */
const jobs = files.flatMap((file) => Object.entries<any>(readYaml(path.join(DIR, file)).jobs).map(([name, job]) => ({ file, name, job })));
const steps = (job: any): any[] => job.steps ?? [];
const runs = (job: any): string =>
  steps(job)
    .map((s) => s.run ?? '')
    .join('\n');

describe('install scripts in jobs that hold an OIDC token', () => {
  const withToken = jobs.filter(({ job }) => job.permissions?.['id-token'] === 'write' && job.steps);

  it('are the jobs that plan, deploy or build', () => {
    expect(withToken.map(({ file, name }) => `${file}:${name}`).sort()).toEqual([
      'deploy-environment.yml:deploy',
      'deploy-environment.yml:plan',
      'drift.yml:plan',
      'image.yml:build',
      'plan-pull-request.yml:plan',
    ]);
  });

  it.each(withToken.map(({ file, name, job }) => [`${file}:${name}`, job]))(
    '%s installs with npm ci --ignore-scripts (.github/actions/npm-ci)',
    (_, job) => {
      expect(steps(job).some((s) => s.uses === NPM_CI_ACTION)).toBe(true);
      // No other install: every npm ci, install or rebuild goes through the action.
      expect(runs(job)).not.toMatch(/\bnpm (ci|install|i|rebuild)\b/);
    },
  );

  it('the action installs without scripts, then rebuilds exactly the allowed packages', () => {
    const action = readYaml(path.join(ROOT, NPM_CI_ACTION, 'action.yml'));
    const run: string = action.runs.steps.map((s: any) => s.run).join('\n');
    expect(run).toMatch(/^npm ci --ignore-scripts$/m);
    expect(run).toContain(`jq -r '.run | keys[]' .github/install-scripts.json`);
    expect(run).toContain('npm rebuild "${allowed[@]}"');
    expect(Object.keys(allowList.run)).toEqual(['esbuild']);
  });

  it('the allow-list decides on every package of package-lock.json that has an install script', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([key]) => key.replace(/^.*node_modules\//, ''))
      .sort();
    expect(withScripts.length).toBeGreaterThan(0);
    const decided = [...Object.keys(allowList.run), ...Object.keys(allowList.skip)].sort();
    expect(decided).toEqual(withScripts);
    for (const why of [...Object.values(allowList.run), ...Object.values(allowList.skip)]) expect(why.length).toBeGreaterThan(20);
  });

  it('esbuild, which every job with a token runs (scripts/bundle.mjs), is allowed its install script', () => {
    expect(fs.readFileSync(path.join(ROOT, 'scripts/bundle.mjs'), 'utf8')).toContain("import('esbuild')");
    expect(allowList.run.esbuild).toBeDefined();
  });
});

describe('kubelogin', () => {
  it('is never installed with az aks install-cli (whatever version is current, unchecked)', () => {
    for (const file of files)
      expect([file, fs.readFileSync(path.join(DIR, file), 'utf8')]).toEqual([file, expect.not.stringContaining('install-cli')]);
  });

  it('is installed by the pinned, checksum-checked script in every job that plans or applies an apps stack', () => {
    const planning = jobs.filter(({ job }) => /reviewed-plan-command\.ts (plan|apply)|plan-stacks\.ts/.test(runs(job)));
    expect(planning.length).toBe(4);
    for (const { file, name, job } of planning) {
      const install = steps(job).findIndex((s) => s.run === 'bash .github/scripts/install-kubelogin.sh');
      const plan = steps(job).findIndex((s) => /reviewed-plan-command\.ts (plan|apply)|plan-stacks\.ts/.test(s.run ?? ''));
      expect([file, name, install >= 0 && install < plan]).toEqual([file, name, true]);
    }
  });

  it('the script pins a release and checks a recorded sha256 before unpacking', () => {
    const script = fs.readFileSync(path.join(ROOT, '.github/scripts/install-kubelogin.sh'), 'utf8');
    expect(script).toMatch(/^VERSION=v\d+\.\d+\.\d+$/m);
    expect(script).toMatch(/^SHA256_amd64=[0-9a-f]{64}$/m);
    expect(script.indexOf('sha256sum --check')).toBeLessThan(script.indexOf('unzip'));
    expect(script).not.toMatch(/latest|api\.github\.com/);
  });
});

describe("the cdktf CLI's terminal module", () => {
  // cdktf-cli 0.21.0 requires @cdktf/node-pty-prebuilt-multiarch, whose binaries stop at Node 22: on Node 24
  // its install script compiled it, so `npm ci` failed without a C++ toolchain. package.json points that
  // name at @lydell/node-pty, node-pty with a prebuilt package per platform (overrides, and a top-level
  // alias that the CLI's bundle resolves from).
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const NAME = '@cdktf/node-pty-prebuilt-multiarch';
  const packages = lock.packages as Record<string, { hasInstallScript?: boolean; name?: string; optionalDependencies?: Record<string, string> }>;

  it('installs without an install script, from a package locked for every platform the CLI runs on', () => {
    expect(pkg.overrides[NAME]).toBe(pkg.devDependencies[NAME]);
    const terminal = packages[`node_modules/${NAME}`];
    expect(terminal).toMatchObject({ name: '@lydell/node-pty' });
    expect(terminal.hasInstallScript).toBeUndefined();
    const platforms = Object.keys(terminal.optionalDependencies ?? {});
    expect(platforms.map((p) => p.replace('@lydell/node-pty-', '')).sort()).toEqual([
      'darwin-arm64',
      'darwin-x64',
      'linux-arm64',
      'linux-x64',
      'win32-arm64',
      'win32-x64',
    ]);
    for (const platform of platforms) expect(packages[`node_modules/${platform}`]).toBeDefined();
    // No other copy of the module, with its install script, is nested anywhere.
    expect(Object.keys(packages).filter((k) => k.endsWith(`/${NAME}`))).toEqual([`node_modules/${NAME}`]);
  });
});
