import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sharedSynth, type SynthRun } from '../support/shared-synth';
import { ENVIRONMENTS, ROOT } from './project-output';

/*
 * Synth and validate as processes on the repository's own output: synth's policy step passes, refuses
 * output that breaks an un-waived error rule, and validate synthesizes first when there is no output.
 */
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-synth-'));
const synth = (outdir: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['scripts/synth.mjs', '--outdir', outdir], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
let synthesized: SynthRun;
// The run's one shared `npm run synth` (test/support/shared-synth.ts), copied: a test below synthesizes
// into this folder again, which must not disturb the other files reading the shared output.
beforeAll(async () => {
  synthesized = await sharedSynth();
  for (const dir of ['cdktf.out', 'dist']) fs.cpSync(path.join(synthesized.outdir, dir), path.join(out, dir), { recursive: true });
}, 120_000);

describe("the project's own output", () => {
  it('synthesizes (the policy step passes)', () => {
    expect([synthesized.status, synthesized.stderr]).toEqual([0, expect.not.stringContaining('Policy:')]);
  });

  it('synth refuses output that breaks an un-waived error rule, and leaves earlier output intact', () => {
    const envs = fs.mkdtempSync(path.join(os.tmpdir(), 'envs-'));
    for (const env of ENVIRONMENTS) fs.copyFileSync(path.join(ROOT, 'test/fixtures/environments', `${env}.yaml`), path.join(envs, `${env}.yaml`));
    const dev = fs.readFileSync(path.join(envs, 'dev.yaml'), 'utf8');
    // Without its waiver, dev's public load balancer is an error.
    fs.writeFileSync(path.join(envs, 'dev.yaml'), dev.replace(/ {2}- rule: NET004\n(?: {4}.*\n)+/, '').replace(/waivers:\n$/, 'waivers: []\n'));
    const before = fs.readFileSync(path.join(out, 'dist/photo-view-dev.k8s.yaml'), 'utf8');

    const failed = synth(out, { ENVIRONMENTS_DIR: envs });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('Policy: 1 un-waived error finding(s)');
    expect(failed.stderr).toMatch(/Service\/photo-view\/photo-view .*\n\s+error {3}NET004 {2}No public load balancer/);
    // The finding names the file the user opens, relative to --outdir, as the summary does; not the staging copy synth checked.
    expect(failed.stderr).toMatch(/\n {2}Service\/photo-view\/photo-view {2}cdktf\.out\/stacks\/apps-dev\/cdk\.tf\.json:\d+\n/);
    expect(failed.stderr).not.toContain('.synth-staging');
    expect(failed.stderr).toContain('synth failed; cdktf.out/ and dist/ were left as they were');
    expect(fs.readFileSync(path.join(out, 'dist/photo-view-dev.k8s.yaml'), 'utf8')).toBe(before);
  });

  it('npm run validate without files synthesizes first when there is no output, then validates it', () => {
    // A sandbox of the repository (links to its sources) with no cdktf.out/ or dist/.
    const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-sandbox-'));
    for (const entry of ['config', 'environments', 'infra', 'workloads', 'policy', 'scripts', 'node_modules', 'package.json', 'cdktf.json']) {
      fs.symlinkSync(path.join(ROOT, entry), path.join(sandbox, entry));
    }
    const result = spawnSync(process.execPath, ['scripts/run-app.mjs', 'policy/validate.ts', '--today', '2026-11-23'], {
      cwd: sandbox,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(result.stderr).toContain('validate: no synthesized output yet; running npm run synth first');
    expect(fs.existsSync(path.join(sandbox, 'dist/photo-view-prod.k8s.yaml'))).toBe(true);
    expect(result.stdout).toMatch(
      /environment prod[\s\S]*\n0 errors, \d+ warnings?, \d+ waived \(\d+ rules, \d+ files, waivers and AKS support judged on 2026-11-23/,
    );
    expect(result.status).toBe(0);
  });
});
