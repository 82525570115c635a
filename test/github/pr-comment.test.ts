import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { COMMENT_MARKER, GITHUB_COMMENT_LIMIT, renderComment } from '../../.github/scripts/comment';
import { summarizePlan } from '../../.github/scripts/plan-summary';
import { planSection } from '../../.github/scripts/sections';
import { ROOT, sharedSynth } from '../support/shared-synth';

const PLAN = `platform-dev  Terraform used the selected providers to generate the following execution plan.
platform-dev    # azurerm_kubernetes_cluster.Cluster_EB0386A7 must be replaced
platform-dev  -/+ resource "azurerm_kubernetes_cluster" "Cluster_EB0386A7" {
platform-dev        ~ dns_prefix = "aks-a" -> "aks-b" # forces replacement
platform-dev      }
platform-dev    # azurerm_monitor_metric_alert.Alerts_NodeCpu_490C54B1 will be updated in-place
platform-dev    # azurerm_role_assignment.Old will be destroyed
platform-dev  \u001b[1mPlan:\u001b[0m 1 to add, 1 to change, 2 to destroy.`;

describe('plan summary', () => {
  it('counts adds, changes and destroys and lists replaced and destroyed resources', () => {
    expect(summarizePlan(PLAN, 0)).toEqual({
      status: 'changes',
      add: 1,
      change: 1,
      destroy: 2,
      replaced: ['azurerm_kubernetes_cluster.Cluster_EB0386A7'],
      destroyed: ['azurerm_role_assignment.Old'],
    });
  });
  it('recognises a plan without changes', () => {
    expect(summarizePlan('apps-dev  No changes. Your infrastructure matches the configuration.', 0).status).toBe('no-changes');
  });
  it('reports a failed plan', () => {
    expect(summarizePlan('Error: building AzureRM Client', 1).status).toBe('failed');
  });
  it('explains an apps stack planned before its platform is deployed', () => {
    expect(planSection('apps-dev', 'Error: cluster not found', 1).summary).toMatch(
      /Could not be planned.*does not exist yet: `platform-dev` is new or changes it in this pull request and is not deployed/,
    );
  });
  it('explains precisely an apps plan missing because the plan identity has Reader only', () => {
    const output = [
      'apps-dev  Error: Invalid index',
      'apps-dev    on cdk.tf.json line 40, in provider "kubernetes":',
      'apps-dev    40:   "host": "${data.azurerm_kubernetes_cluster.Cluster.kube_config[0].host}"',
      'apps-dev      data.azurerm_kubernetes_cluster.Cluster.kube_config is empty list of object',
    ].join('\n');
    const summary = planSection('apps-dev', output, 1).summary;
    expect(summary).toContain('`listClusterUserCredential` needs the "Azure Kubernetes Service Cluster User Role"');
    expect(summary).toContain('returns an empty `kube_config`, so the kubernetes provider fails with "Invalid index"');
    expect(summary).toContain('The offline diff above still shows');
  });
  it('names the permission a plan was denied', () => {
    const output = "Error: ... does not have authorization to perform action 'Microsoft.Storage/storageAccounts/listKeys/action' over scope ...";
    expect(planSection('platform-dev', output, 1).summary).toContain('`Microsoft.Storage/storageAccounts/listKeys/action` was denied');
  });
  it('puts replaced resources in the summary a reviewer reads first', () => {
    expect(planSection('platform-dev', PLAN, 0).summary).toContain(
      '**Replaced** (destroyed and re-created):\n- `azurerm_kubernetes_cluster.Cluster_EB0386A7`',
    );
  });
});

describe('comment', () => {
  it('starts with the marker the workflow updates it by', () => {
    expect(renderComment('Review', [{ title: 'A', summary: 's' }]).startsWith(COMMENT_MARKER)).toBe(true);
  });
  it("is trimmed to GitHub's size limit, cutting details but keeping every summary", () => {
    const huge = 'x'.repeat(50_000);
    const text = renderComment('Review', [
      { title: 'platform-dev', summary: 'SUMMARY-1', details: huge },
      { title: 'platform-prod', summary: 'SUMMARY-2', details: huge },
      { title: 'apps-dev', summary: 'SUMMARY-3', details: 'short' },
    ]);
    expect(text.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    for (const s of ['SUMMARY-1', 'SUMMARY-2', 'SUMMARY-3', 'short', 'trimmed to fit the comment']) expect(text).toContain(s);
  });
});

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
