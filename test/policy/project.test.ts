import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { newFindings, runValidate, validatePaths } from '../../policy';
import type { JsonReport } from '../../policy/report/json';
import { sharedSynth, type SynthRun } from '../support/shared-synth';

/*
 * The repository's own output: `npm run synth` into a temporary folder, then validate on it. The
 * shipped environments pass with exactly their documented waivers, and synth refuses output that
 * breaks an un-waived error rule.
 */
const ROOT = path.resolve(__dirname, '../..');
const ENVIRONMENTS = ['dev', 'prod', 'staging'];
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

function validateJson(today: string): { status: number; report: JsonReport } {
  const printed: string[] = [];
  const status = runValidate(['--format', 'json', '--today', today, path.join(out, 'cdktf.out'), path.join(out, 'dist')], {
    out: (t) => printed.push(t),
    err: () => undefined,
    isTerminal: false,
  });
  return { status, report: JSON.parse(printed.join('\n')) as JsonReport };
}

const waiversOf = (env: string): Array<{ rule: string; object: string; expires: string }> =>
  parse(fs.readFileSync(path.join(ROOT, 'environments', `${env}.yaml`), 'utf8')).waivers ?? [];

describe("the project's own output", () => {
  it('synthesizes (the policy step passes)', () => {
    expect([synthesized.status, synthesized.stderr]).toEqual([0, expect.not.stringContaining('Policy:')]);
  });

  it('passes validate with only its documented waivers, each of them used', () => {
    const { status, report } = validateJson('2026-11-23');
    expect(report.findings.filter((f) => !f.waiver && f.severity === 'error')).toEqual([]);
    expect(status).toBe(0);
    for (const env of ENVIRONMENTS) {
      const used = new Set(report.findings.filter((f) => f.environment === env && f.waiver).map((f) => `${f.waiver?.rule} ${f.waiver?.object}`));
      expect([env, [...used].sort()]).toEqual([
        env,
        waiversOf(env)
          .map((w) => `${w.rule} ${w.object}`)
          .sort(),
      ]);
    }
    expect(report.findings.filter((f) => f.ruleId.startsWith('WAIVER'))).toEqual([]);
  });

  it('fails validate once the waivers have expired', () => {
    const latest =
      ENVIRONMENTS.flatMap(waiversOf)
        .map((w) => w.expires)
        .sort()
        .at(-1) ?? '';
    const dayAfter = new Date(Date.parse(latest) + 86_400_000).toISOString().slice(0, 10);
    const { status, report } = validateJson(dayAfter);
    expect(status).toBe(1);
    expect(report.findings.filter((f) => f.ruleId === 'WAIVER001')).toHaveLength(ENVIRONMENTS.flatMap(waiversOf).length);
  });

  it('synth refuses output that breaks an un-waived error rule, and leaves earlier output intact', () => {
    const envs = fs.mkdtempSync(path.join(os.tmpdir(), 'envs-'));
    for (const env of ENVIRONMENTS) fs.copyFileSync(path.join(ROOT, 'environments', `${env}.yaml`), path.join(envs, `${env}.yaml`));
    const dev = fs.readFileSync(path.join(envs, 'dev.yaml'), 'utf8');
    // Without its waiver, dev's public load balancer is an error.
    fs.writeFileSync(path.join(envs, 'dev.yaml'), dev.replace(/ {2}- rule: NET004\n(?: {4}.*\n)+/, '').replace(/waivers:\n$/, 'waivers: []\n'));
    const before = fs.readFileSync(path.join(out, 'dist/photo-view-dev.k8s.yaml'), 'utf8');

    const failed = synth(out, { ENVIRONMENTS_DIR: envs });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('Policy: 1 un-waived error finding(s)');
    expect(failed.stderr).toMatch(/Service\/photo-view\/photo-view .*\n\s+error {3}NET004 {2}No public load balancer/);
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
      /environment prod[\s\S]*\n0 errors, \d+ warnings?, \d+ waived \(\d+ rules, \d+ files, waivers judged on 2026-11-23/,
    );
    expect(result.status).toBe(0);
  });

  it('lists the findings that are new in a head output compared with a base output (the PR review diff)', () => {
    const head = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-head-'));
    fs.cpSync(out, head, { recursive: true });
    const prod = path.join(head, 'dist/photo-view-prod.k8s.yaml');
    fs.writeFileSync(prod, fs.readFileSync(prod, 'utf8').replace('azure-load-balancer-internal: "true"', 'azure-load-balancer-internal: "false"'));
    const options = { environmentsDir: path.join(ROOT, 'environments'), today: '2026-11-23' };
    const base = validatePaths([path.join(out, 'cdktf.out'), path.join(out, 'dist')], options);
    const changed = validatePaths([path.join(head, 'cdktf.out'), path.join(head, 'dist')], options);
    expect(newFindings(changed.findings, base.findings).map((f) => [f.environment, f.ruleId, f.objectId])).toEqual([
      ['prod', 'NET004', 'Service/photo-view/photo-view'],
    ]);
  });
});
