import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, SYNTH_SECRET, sharedSynth, type SynthRun } from './support/shared-synth';

/*
 * End to end: `npm run synth` (scripts/synth.mjs) as users run it, into a temporary folder.
 * One successful run is shared by the tests that read its output.
 */
const SECRET = SYNTH_SECRET;

function synth(outdir: string, env: Record<string, string> = {}, args: string[] = ['--outdir', outdir]) {
  return spawnSync(process.execPath, ['scripts/synth.mjs', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));

describe('npm run synth', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
  let result: Pick<SynthRun, 'status' | 'stdout' | 'stderr'>;
  // Secret values in the environment of the synth must not end up anywhere it writes or prints.
  /** What the first run wrote, by path relative to `out` (later tests change `out`). */
  const original = new Map<string, string>();
  // The run's one shared `npm run synth` (test/support/shared-synth.ts, with the secrets in its
  // environment), copied: the tests below synthesize into `out` again, which must not disturb the other
  // files reading the shared output.
  beforeAll(async () => {
    const shared = await sharedSynth();
    result = shared;
    fs.cpSync(shared.outdir, out, { recursive: true });
    for (const f of files(out)) original.set(path.relative(out, f), fs.readFileSync(f, 'utf8'));
  }, 120_000);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-envs-'));
  afterAll(() => [out, scratch].forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('synthesizes every environment: Terraform JSON per stack and manifests per environment', () => {
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(0);
    const stacks = fs.readdirSync(path.join(out, 'cdktf.out/stacks')).sort();
    expect(stacks).toEqual(expect.arrayContaining(['platform-dev', 'platform-prod', 'platform-staging']));
    for (const stack of stacks) expect(fs.existsSync(path.join(out, 'cdktf.out/stacks', stack, 'cdk.tf.json'))).toBe(true);
    expect(fs.readdirSync(path.join(out, 'dist')).sort()).toEqual(
      expect.arrayContaining(['photo-view-dev.k8s.yaml', 'photo-view-prod.k8s.yaml', 'photo-view-staging.k8s.yaml']),
    );
    expect(result.stdout).toMatch(/synthesized \d+ stacks .* in \d+ ms/);
  });

  it('writes no secret value to dist/, cdktf.out/ or the log', () => {
    const written = files(out).map((f) => fs.readFileSync(f, 'utf8'));
    expect(written.length).toBeGreaterThan(5);
    for (const text of [...written, result.stdout, result.stderr]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('s3cr3t');
    }
  });

  it('stops before writing anything when a config is invalid, leaving earlier output intact', () => {
    const envs = fs.mkdtempSync(path.join(scratch, 'envs-'));
    const dev = fs.readFileSync(path.join(ROOT, 'test/fixtures/environments/dev.yaml'), 'utf8');
    fs.writeFileSync(path.join(envs, 'dev.yaml'), dev.replace('minCount: 1, maxCount: 3', 'minCount: 4, maxCount: 3'));
    const before = files(out).map((f) => [f, fs.readFileSync(f, 'utf8')]);

    const failed = synth(out, { ENVIRONMENTS_DIR: envs });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(
      `${envs}/dev.yaml (environment 'dev'): kubernetes.userPool.minCount = 4: autoscaler minCount (4) must be <= maxCount (3)`,
    );
    expect(failed.stderr).toContain('synth failed; cdktf.out/ and dist/ were left as they were');
    expect(failed.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(files(out).map((f) => [f, fs.readFileSync(f, 'utf8')])).toEqual(before);
  });

  it('stops on a failed workload check the same way: its message, no stack trace', () => {
    const envs = fs.mkdtempSync(path.join(scratch, 'envs-'));
    const dev = fs.readFileSync(path.join(ROOT, 'test/fixtures/environments/dev.yaml'), 'utf8');
    fs.writeFileSync(path.join(envs, 'dev.yaml'), dev.replace('tag: "1.4.2" }', 'tag: "1.4.2" }\n  replicas: 46'));
    const failed = synth(out, { ENVIRONMENTS_DIR: envs });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("environment 'dev': 46 pods x (250m CPU, 256Mi memory) do not fit");
    expect(failed.stderr).toContain('synth failed; cdktf.out/ and dist/ were left as they were');
    expect(failed.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(fs.readdirSync(out).filter((f) => f.startsWith('.synth-staging'))).toEqual([]);
  });

  it('rejects a bad STATE_BACKEND with what is allowed', () => {
    const failed = synth(out, { STATE_BACKEND: 's3' });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("STATE_BACKEND='s3' is not allowed; use 'remote' (default) or 'local'");
    expect(failed.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects an unknown flag in one line pointing to --help, writing nothing', () => {
    const before = files(out).map((f) => [f, fs.readFileSync(f, 'utf8')]);
    for (const flag of ['--out-dir', '--dry-run']) {
      const bad = synth(out, {}, [flag, out]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toBe(`npm run synth: unknown option '${flag}' (npm run synth -- --help lists the options)\n`);
    }
    expect(synth(out, {}, ['--env']).stderr).toContain('--env needs a value');
    expect(synth(out, {}, ['--env', ' , ']).stderr).toContain('--env needs at least one environment name');
    expect(files(out).map((f) => [f, fs.readFileSync(f, 'utf8')])).toEqual(before);
  });

  it('prints its usage with --help', () => {
    const help = synth(out, {}, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--env NAMES    only these environments, comma-separated (e.g. dev,prod)');
    expect(help.stdout).toContain('--strict');
  });

  it('warns about placeholder IDs, and --strict refuses them (running from the build cache)', () => {
    expect(result.stderr).toContain(
      "environments/dev.yaml (environment 'dev'): subscriptionId, tenantId, kubernetes.adminGroupObjectIds.0, isolation.appTeam.groupObjectId: are placeholders",
    );
    const strict = synth(out, {}, ['--outdir', out, '--strict']);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain(
      `environments/dev.yaml (environment 'dev'): tenantId = "00000000-0000-0000-0000-000000000000": is a placeholder, not a real ID`,
    );
    expect(strict.stderr).toContain('synth failed; cdktf.out/ and dist/ were left as they were');
    expect(strict.stderr).not.toContain('bundling'); // no source changed since the first run
  });

  it('refuses an --outdir that is a file, in one line', () => {
    const file = path.join(scratch, 'a-file');
    fs.writeFileSync(file, '');
    const run = synth(out, {}, ['--outdir', file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^npm run synth: --outdir '[^'\n]+' is a file, not a folder; name a folder \(it is created when missing\)\n$/);
  });

  it("--env synthesizes only those environments and keeps the others' output as it was", () => {
    const before = new Map(files(out).map((f) => [path.relative(out, f), fs.readFileSync(f, 'utf8')]));
    const envs = fs.mkdtempSync(path.join(scratch, 'envs-'));
    for (const name of ['dev', 'prod', 'staging']) {
      const text = fs.readFileSync(path.join(ROOT, `test/fixtures/environments/${name}.yaml`), 'utf8');
      fs.writeFileSync(path.join(envs, `${name}.yaml`), text.replace(/costCenter: [\w-]+/, 'costCenter: changed'));
    }
    const only = synth(out, { ENVIRONMENTS_DIR: envs }, ['--outdir', out, '--env', 'dev,prod']);
    expect(only.status).toBe(0);
    expect(only.stdout).toMatch(
      /synthesized 4 stacks \(cdktf\.out\/stacks: apps-dev, apps-prod, platform-dev, platform-prod\) and 2 manifest sets .*; other environments' output kept as it was/,
    );
    const after = new Map(files(out).map((f) => [path.relative(out, f), fs.readFileSync(f, 'utf8')]));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const changed = [...after.keys()].filter((f) => after.get(f) !== before.get(f)).sort();
    expect(changed).toEqual(['cdktf.out/stacks/platform-dev/cdk.tf.json', 'cdktf.out/stacks/platform-prod/cdk.tf.json']);
    // The merged manifest is byte for byte what a full synth writes.
    expect(after.get('cdktf.out/manifest.json')).toBe(before.get('cdktf.out/manifest.json'));

    const unknown = synth(out, {}, ['--outdir', out, '--env', 'qa']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain(
      `unknown environment(s) 'qa'; environments in '${path.join(ROOT, 'test/fixtures/environments')}': dev, prod, staging`,
    );
  });

  it('shares many environments between two workers, with the same output per environment and a summarised closing line', () => {
    const envs = fs.mkdtempSync(path.join(scratch, 'envs-'));
    for (const name of ['dev', 'prod', 'staging'])
      fs.copyFileSync(path.join(ROOT, `test/fixtures/environments/${name}.yaml`), path.join(envs, `${name}.yaml`));
    for (let i = 1; i <= 5; i++) fs.copyFileSync(path.join(ROOT, 'test/fixtures/environments/dev.yaml'), path.join(envs, `qa${i}.yaml`));
    const many = fs.mkdtempSync(path.join(scratch, 'many-'));
    const run = synth(many, { ENVIRONMENTS_DIR: envs });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^synthesized 16 stacks into cdktf\.out\/stacks and 8 manifest sets into dist\/ \(8 environments\) in \d+ ms\n$/);
    const manifest = JSON.parse(fs.readFileSync(path.join(many, 'cdktf.out/manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks)).toHaveLength(16);
    for (const file of ['cdktf.out/stacks/platform-prod/cdk.tf.json', 'cdktf.out/stacks/apps-staging/cdk.tf.json', 'dist/photo-view-dev.k8s.yaml']) {
      expect(fs.readFileSync(path.join(many, file), 'utf8')).toBe(original.get(file));
    }
  });

  it('checks what spans files over the whole folder when it shares the environments between two workers', () => {
    const envs = fs.mkdtempSync(path.join(scratch, 'envs-'));
    const prod = fs.readFileSync(path.join(ROOT, 'test/fixtures/environments/prod.yaml'), 'utf8').replace(/after: \[staging\]/, 'after: []');
    // Two private environments on prod's runner network, one in each share (sorted, they alternate).
    for (const name of ['prod', 'prodb']) fs.writeFileSync(path.join(envs, `${name}.yaml`), prod);
    for (let i = 1; i <= 6; i++) fs.copyFileSync(path.join(ROOT, 'test/fixtures/environments/dev.yaml'), path.join(envs, `qa${i}.yaml`));
    const many = fs.mkdtempSync(path.join(scratch, 'many-'));
    const run = synth(many, { ENVIRONMENTS_DIR: envs });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${path.join(envs, 'prodb.yaml')} (environment 'prodb'): network.runnerNetworks.0`);
    expect(run.stderr).toContain("'prod' also links its privatelink.vaultcore.azure.net and privatelink.azurecr.io zones to this network");
    expect(run.stderr).toContain('synth failed; cdktf.out/ and dist/ were left as they were');
  });

  it('checks the policy of each share in its own thread and refuses the findings of both in one report', () => {
    const envs = fs.mkdtempSync(path.join(scratch, 'envs-'));
    const dev = fs.readFileSync(path.join(ROOT, 'test/fixtures/environments/dev.yaml'), 'utf8');
    // Without its waiver, dev's public load balancer is an error.
    const unwaived = dev.replace(/ {2}- rule: NET004\n(?: {4}.*\n)+/, '').replace(/waivers:\n$/, 'waivers: []\n');
    expect(unwaived).not.toBe(dev);
    for (const name of ['prod', 'staging'])
      fs.copyFileSync(path.join(ROOT, `test/fixtures/environments/${name}.yaml`), path.join(envs, `${name}.yaml`));
    for (let i = 1; i <= 5; i++) fs.writeFileSync(path.join(envs, `qa${i}.yaml`), dev);
    // Sorted, the environments alternate between the worker (dev, qa1, qa3) and the main thread (prod, qa2, ...).
    fs.writeFileSync(path.join(envs, 'dev.yaml'), unwaived);
    fs.writeFileSync(path.join(envs, 'qa2.yaml'), unwaived);
    const many = fs.mkdtempSync(path.join(scratch, 'many-'));
    const run = synth(many, { ENVIRONMENTS_DIR: envs });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Policy: 2 un-waived error finding(s)');
    const order = ['dev', 'prod', 'qa1', 'qa2', 'qa3', 'qa4', 'qa5', 'staging'].map((e) => run.stderr.indexOf(`\nenvironment ${e}`));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]))).toBe(true);
    // Each share's findings name the files as the swap would put them (relative to --outdir), not their staging copies.
    expect(run.stderr).toMatch(
      /environment dev\n {2}Service\/photo-view\/photo-view {2}cdktf\.out\/stacks\/apps-dev\/cdk\.tf\.json:\d+\n\s+error {3}NET004/,
    );
    expect(run.stderr).toMatch(
      /environment qa2\n {2}Service\/photo-view\/photo-view {2}cdktf\.out\/stacks\/apps-qa2\/cdk\.tf\.json:\d+\n\s+error {3}NET004/,
    );
    expect(run.stderr).not.toContain('.synth-staging');
    expect(run.stderr).toContain('synth failed; cdktf.out/ and dist/ were left as they were');
    expect(fs.readdirSync(many).filter((f) => !f.startsWith('.'))).toEqual([]);
  });

  it("runs the CDK apps through cdktf.json's app command (scripts/run-app.mjs) with the same output", () => {
    const app = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')).app.split(' ');
    const outdir = fs.mkdtempSync(path.join(scratch, 'cdktf-'));
    const run = spawnSync(app[0] === 'node' ? process.execPath : app[0], app.slice(1), {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CDKTF_OUTDIR: path.join(outdir, 'cdktf.out') },
    });
    expect(run.status).toBe(0);
    for (const stack of ['platform-dev', 'apps-prod']) {
      const file = `cdktf.out/stacks/${stack}/cdk.tf.json`;
      expect(fs.readFileSync(path.join(outdir, file), 'utf8')).toBe(original.get(file));
    }
  });
});

describe('the commands that synthesize', () => {
  it('run the same apps as published Node runs them: no V8 flags', () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts.synth).toBe('node scripts/synth.mjs');
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')).app).toBe('node scripts/run-app.mjs infra/main.ts');
    expect(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8')).toContain('\napp: node scripts/run-app.mjs workloads/main.ts\n');
  });
});
