import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, SYNTH_SECRET, runSynth, sharedSynth, type SynthRun } from './support/shared-synth';

/*
 * End to end: `npm run synth` (scripts/synth.mjs) as users run it, into a temporary folder.
 * One successful run is shared by the tests that read its output (and by pr-comment.test.ts).
 */
const synth = (outdir: string, env: Record<string, string> = {}, args: string[] = ['--outdir', outdir]) => runSynth(args, env);

const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));

/** An environments folder with only dev.yaml, its text changed (one environment synthesizes fastest). */
function devEnvironmentWith(change: (dev: string) => string): string {
  const envs = fs.mkdtempSync(path.join(os.tmpdir(), 'envs-'));
  const dev = fs.readFileSync(path.join(ROOT, 'environments/dev.yaml'), 'utf8');
  const changed = change(dev);
  if (changed === dev) throw new Error('the change did not apply to dev.yaml');
  fs.writeFileSync(path.join(envs, 'dev.yaml'), changed);
  return envs;
}

describe('npm run synth', () => {
  let result: SynthRun;
  let out: string;
  // Secret values in the environment of the synth must not end up anywhere it writes or prints.
  beforeAll(async () => {
    result = await sharedSynth();
    out = result.outdir;
  }, 120_000);

  it('synthesizes every environment: Terraform JSON per stack and manifests per environment', () => {
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(0);
    const stacks = fs.readdirSync(path.join(out, 'cdktf.out/stacks')).sort();
    expect(stacks).toEqual(expect.arrayContaining(['platform-dev', 'platform-prod', 'platform-staging']));
    for (const stack of stacks) expect(fs.existsSync(path.join(out, 'cdktf.out/stacks', stack, 'cdk.tf.json'))).toBe(true);
    expect(fs.readdirSync(path.join(out, 'dist')).sort()).toEqual(expect.arrayContaining(['photo-view-dev.k8s.yaml', 'photo-view-prod.k8s.yaml', 'photo-view-staging.k8s.yaml']));
    expect(result.stdout).toMatch(/synthesized \d+ stacks .* in \d+ ms/);
  });

  it('writes no secret value to dist/, cdktf.out/ or the log', () => {
    const written = files(out).map((f) => fs.readFileSync(f, 'utf8'));
    expect(written.length).toBeGreaterThan(5);
    for (const text of [...written, result.stdout, result.stderr]) {
      expect(text).not.toContain(SYNTH_SECRET);
      expect(text).not.toContain('s3cr3t');
    }
  });

  it('stops before writing anything when a config is invalid, leaving earlier output intact', async () => {
    const envs = devEnvironmentWith((dev) => dev.replace('minCount: 1, maxCount: 3', 'minCount: 4, maxCount: 3'));
    const before = files(out).map((f) => [f, fs.readFileSync(f, 'utf8')]);

    const failed = await synth(out, { ENVIRONMENTS_DIR: envs });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`${envs}/dev.yaml (environment 'dev'): kubernetes.userPool.minCount = 4: autoscaler minCount (4) must be <= maxCount (3)`);
    expect(failed.stderr).toContain('synth failed; cdktf.out/ and dist/ were left as they were');
    expect(failed.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(files(out).map((f) => [f, fs.readFileSync(f, 'utf8')])).toEqual(before);
  }, 60_000);

  it('stops on a failed workload check the same way: its message, no stack trace, earlier output intact', async () => {
    const envs = devEnvironmentWith((dev) => dev.replace('tag: "1.4.2" }', 'tag: "1.4.2" }\n  replicas: 46'));
    const before = files(out).map((f) => [f, fs.readFileSync(f, 'utf8')]);

    const failed = await synth(out, { ENVIRONMENTS_DIR: envs });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("environment 'dev': 46 pods x (250m CPU, 256Mi memory) do not fit");
    expect(failed.stderr).toContain('synth failed; cdktf.out/ and dist/ were left as they were');
    expect(failed.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(out).filter((f) => f.startsWith('.synth-staging'))).toEqual([]);
    expect(files(out).map((f) => [f, fs.readFileSync(f, 'utf8')])).toEqual(before);
  }, 60_000);

  it('rejects a bad STATE_BACKEND with what is allowed', async () => {
    const failed = await synth(out, { STATE_BACKEND: 's3' });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("STATE_BACKEND='s3' is not allowed; use 'remote' (default) or 'local'");
    expect(failed.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('rejects an unknown flag with its usage', async () => {
    const bad = await synth(out, {}, ['--out-dir', out]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('usage: node scripts/synth.mjs [--outdir DIR] (got: --out-dir');
  });
});
