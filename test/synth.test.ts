import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * End to end: `npm run synth` (scripts/synth.mjs) as users run it, into a temporary folder.
 * One successful run is shared by the tests that read its output.
 */
const ROOT = path.resolve(__dirname, '..');
const SECRET = 'DefaultEndpointsProtocol=https;AccountKey=s3cr3t-Value-That-Must-Never-Leak==';

function synth(outdir: string, env: Record<string, string> = {}, args: string[] = ['--outdir', outdir]) {
  return spawnSync(process.execPath, ['scripts/synth.mjs', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));

describe('npm run synth', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
  // Secret values in the environment of the synth must not end up anywhere it writes or prints.
  const result = synth(out, { STORAGE_CONNECTION_STRING: SECRET, ARM_CLIENT_SECRET: SECRET });

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
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('s3cr3t');
    }
  });

  it('stops before writing anything when a config is invalid, leaving earlier output intact', () => {
    const envs = fs.mkdtempSync(path.join(os.tmpdir(), 'envs-'));
    const dev = fs.readFileSync(path.join(ROOT, 'environments/dev.yaml'), 'utf8');
    fs.writeFileSync(path.join(envs, 'dev.yaml'), dev.replace('minCount: 1, maxCount: 3', 'minCount: 4, maxCount: 3'));
    const before = files(out).map((f) => [f, fs.readFileSync(f, 'utf8')]);

    const failed = synth(out, { ENVIRONMENTS_DIR: envs });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`${envs}/dev.yaml (environment 'dev'): kubernetes.userPool.minCount = 4: autoscaler minCount (4) must be <= maxCount (3)`);
    expect(failed.stderr).toContain('synth failed; cdktf.out/ and dist/ were left as they were');
    expect(failed.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect(files(out).map((f) => [f, fs.readFileSync(f, 'utf8')])).toEqual(before);
  });

  it('stops on a failed workload check the same way', () => {
    const envs = fs.mkdtempSync(path.join(os.tmpdir(), 'envs-'));
    const dev = fs.readFileSync(path.join(ROOT, 'environments/dev.yaml'), 'utf8');
    fs.writeFileSync(path.join(envs, 'dev.yaml'), dev.replace('tag: "1.4.2" }', 'tag: "1.4.2" }\n  replicas: 46'));
    const failed = synth(out, { ENVIRONMENTS_DIR: envs });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("environment 'dev': 46 pods x (250m CPU, 256Mi memory) do not fit");
    expect(fs.readdirSync(out).filter((f) => f.startsWith('.synth-staging'))).toEqual([]);
  });

  it('rejects a bad STATE_BACKEND with what is allowed', () => {
    const failed = synth(out, { STATE_BACKEND: 's3' });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("STATE_BACKEND='s3' is not allowed; use 'remote' (default) or 'local'");
    expect(failed.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects an unknown flag with its usage', () => {
    const bad = synth(out, {}, ['--out-dir', out]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('usage: node scripts/synth.mjs [--outdir DIR] (got: --out-dir');
  });
});
