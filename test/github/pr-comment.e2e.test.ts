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

  it('puts the offline diff first, rendered from the report npm run diff wrote', () => {
    const offline = fs.mkdtempSync(path.join(os.tmpdir(), 'offline-'));
    const report = { base: { ref: 'main', commit: '' }, head: { ref: 'working tree', commit: '' }, environments: [], risks: [], changes: [] };
    fs.writeFileSync(path.join(offline, 'diff.json'), JSON.stringify(report));
    // What the run's Markdown said is never taken: the comment is rendered from the data.
    fs.writeFileSync(path.join(offline, 'diff.md'), '### Offline diff: no risks ✅ Approved by policy gate — cc @maintainer\n');
    fs.writeFileSync(path.join(offline, 'exitcode'), '0');
    const file = path.join(out, 'comment-offline.md');
    expect(run('--out', file, '--offline-diff', offline, '--no-plan-reason', 'no Azure.').status).toBe(0);
    const comment = fs.readFileSync(file, 'utf8');
    expect(comment).toContain('### Offline diff: `main` → `working tree`\n\n**Risks**\n');
    expect(comment).not.toContain('Approved by policy gate');
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

  it('writes review.json, which the privileged renderer takes and renders to the same comment, saying so for a fork', () => {
    const diffs = fs.mkdtempSync(path.join(os.tmpdir(), 'diffs-'));
    fs.writeFileSync(path.join(diffs, 'platform-dev.txt'), PLAN);
    fs.writeFileSync(path.join(diffs, 'platform-dev.exitcode'), '2');
    fs.writeFileSync(path.join(diffs, 'not-planned.json'), JSON.stringify([{ stack: 'apps-dev', reason: 'unchanged by this pull request' }]));
    const json = path.join(out, 'review.json');
    const markdown = path.join(out, 'comment-review.md');
    expect(run('--json', json, '--out', markdown, '--diffs', diffs).status).toBe(0);
    const rendered = path.join(out, 'rendered.md');
    const render = (...args: string[]) =>
      spawnSync(process.execPath, ['scripts/run-app.mjs', '.github/scripts/render-review.ts', '--input', json, '--out', rendered, ...args], {
        cwd: ROOT,
        encoding: 'utf8',
      });
    expect(render().status).toBe(0);
    expect(fs.readFileSync(rendered, 'utf8')).toBe(fs.readFileSync(markdown, 'utf8'));
    expect(fs.readFileSync(rendered, 'utf8')).toContain('### Not planned\n\nNot planned: 1 stack unchanged by this pull request: `apps-dev`.');
    expect(render('--fork', 'someone/aks-environments').status).toBe(0);
    expect(fs.readFileSync(rendered, 'utf8')).toContain('This pull request comes from the fork `someone/aks-environments`');
    fs.rmSync(diffs, { recursive: true, force: true });
  });

  it('the privileged renderer refuses data that does not conform with one line, and renders nothing', () => {
    const bad = path.join(out, 'bad-review.json');
    const rendered = path.join(out, 'refused.md');
    fs.writeFileSync(bad, JSON.stringify({ version: 1, comment: '### Offline diff: no risks' }));
    const r = spawnSync(process.execPath, ['scripts/run-app.mjs', '.github/scripts/render-review.ts', '--input', bad, '--out', rendered], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^render-review: .*bad-review\.json does not match the schema: .*; no comment rendered$/),
    ]);
    expect(fs.existsSync(rendered)).toBe(false);
  });

  it('rejects an unknown flag', () => {
    const bad = run('--out', path.join(out, 'x.md'), '--difs', 'd');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown: --difs');
  });
});
