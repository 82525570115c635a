import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { ROOT, sharedSynth } from '../support/shared-synth';
import { PLAN } from './plan-output';

describe('pr-comment command', () => {
  let cdktfOut: string;
  let dist: string;
  let out: string;
  beforeAll(async () => {
    const synth = await sharedSynth();
    expect(synth.status).toBe(0);
    cdktfOut = path.join(synth.outdir, 'cdktf.out');
    dist = path.join(synth.outdir, 'dist');
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'comment-'));
  }, 120_000);
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['scripts/run-app.mjs', '.github/scripts/pr-comment.ts', '--cdktf-out', cdktfOut, '--dist', dist, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
    });
  const resourceCount = (stack: string) => {
    const tf = JSON.parse(fs.readFileSync(path.join(cdktfOut, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    return Object.values<Record<string, unknown>>(tf.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
  };

  it('without Azure, says what was synthesized per environment and why no plan was made', () => {
    const file = path.join(out, 'comment.md');
    expect(run('--out', file, '--no-plan-reason', 'Azure OIDC is not configured.').status).toBe(0);
    const comment = fs.readFileSync(file, 'utf8');
    for (const env of ['dev', 'staging', 'prod']) {
      // The count the synthesized stack really has, whatever it is today.
      const resources = resourceCount(`platform-${env}`);
      expect(resources).toBeGreaterThan(0);
      expect(comment).toContain(`| \`platform-${env}\` | ${resources} | `);
      const objects = parseAllDocuments(fs.readFileSync(path.join(dist, `photo-view-${env}.k8s.yaml`), 'utf8')).length;
      expect(comment).toContain(`| \`dist/photo-view-${env}.k8s.yaml\` | ${objects} | `);
    }
    expect(comment).toMatch(/\| `platform-dev` \| \d+ \| .*\b1 kubernetes_cluster\b/);
    expect(comment).toContain('No plan could be made: Azure OIDC is not configured.');
  });

  it('with diffs, adds one section per stack', () => {
    const diffs = fs.mkdtempSync(path.join(os.tmpdir(), 'diffs-'));
    fs.writeFileSync(path.join(diffs, 'platform-dev.txt'), PLAN);
    fs.writeFileSync(path.join(diffs, 'platform-dev.exitcode'), '0');
    const file = path.join(out, 'comment-diffs.md');
    expect(run('--out', file, '--diffs', diffs).status).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('### `platform-dev`\n\n**1 to add, 1 to change, 2 to destroy.**');
  });

  it('puts the offline diff first, as npm run diff wrote it', () => {
    const offline = fs.mkdtempSync(path.join(os.tmpdir(), 'offline-'));
    fs.writeFileSync(path.join(offline, 'diff.md'), '### Offline diff: `main` → `working tree`\n\n**Risks**\n');
    fs.writeFileSync(path.join(offline, 'exitcode'), '0');
    const file = path.join(out, 'comment-offline.md');
    expect(run('--out', file, '--offline-diff', offline, '--no-plan-reason', 'no Azure.').status).toBe(0);
    const comment = fs.readFileSync(file, 'utf8');
    expect(comment.indexOf('### Offline diff')).toBeGreaterThan(0);
    expect(comment.indexOf('### Offline diff')).toBeLessThan(comment.indexOf('### Synthesized'));
    fs.writeFileSync(path.join(offline, 'exitcode'), '3');
    fs.writeFileSync(path.join(offline, 'stderr.txt'), 'npm run diff: synth of the base main (abc1234) failed');
    expect(run('--out', file, '--offline-diff', offline, '--no-plan-reason', 'no Azure.').status).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toMatch(
      /### Offline diff\n\n\*\*`npm run diff` failed\*\* \(exit code 3[^]*synth of the base main \(abc1234\) failed/,
    );
    fs.rmSync(offline, { recursive: true, force: true });
  });

  it('says synthesis failed instead of failing itself when there is no output', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nothing-'));
    const file = path.join(out, 'comment-failed.md');
    const r = spawnSync(
      process.execPath,
      [
        'scripts/run-app.mjs',
        '.github/scripts/pr-comment.ts',
        '--cdktf-out',
        path.join(empty, 'cdktf.out'),
        '--dist',
        path.join(empty, 'dist'),
        '--out',
        file,
        '--no-plan-reason',
        'no Azure.',
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('### Synthesized\n\n**Synthesis failed**');
    fs.rmSync(empty, { recursive: true, force: true });
  });

  it('rejects an unknown flag', () => {
    const bad = run('--out', path.join(out, 'x.md'), '--difs', 'd');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown: --difs');
  });
});
