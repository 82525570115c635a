import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Change, DiffReport } from '../../scripts/diff/model';
import { renderMarkdown } from '../../scripts/diff/render-markdown';
import { GitFixture, type DiffRun } from './git-fixture';

/*
 * `npm run diff` end to end, on real git repositories in temporary folders: a base commit and head
 * commits that each make one kind of change per environment, so one diff run (two synths) covers
 * several cases. Assertions are on the JSON; the Markdown is checked for structure.
 */
jest.setTimeout(240_000);

const SECRET = 'Pa55w0rd-that-must-never-show-Zq81';

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
const find = (report: DiffReport, env: string, predicate: (c: Change) => boolean) => {
  const found = report.changes.filter((c) => c.environment === env && predicate(c));
  expect(found).toHaveLength(1);
  return found[0];
};
const ofType = (type: string) => (c: Change) => c.type === type;
const attribute = (change: Change, p: string) => {
  const a = change.attributes.find((x) => x.path === p);
  expect([p, a]).toEqual([p, expect.anything()]);
  return a as NonNullable<typeof a>;
};

describe('npm run diff', () => {
  const repo = new GitFixture();
  const base = repo.git('rev-parse', 'HEAD');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-out-'));

  // Commit 2 on branch "changes": one change of each kind, spread over the three environments.
  repo.git('checkout', '--quiet', '-b', 'changes');
  repo.setEnvironment('dev', {
    'kubernetes.systemPool.vmSize': 'Standard_D4ds_v5',
    'kubernetes.userPool.maxCount': 5,
    'keyVault.purgeProtection': true,
    'tags.owner': 'photo-team',
  });
  repo.setEnvironment('staging', {
    location: 'northeurope',
    'app.internalLoadBalancer': false,
    // Synth refuses secret-looking settings it recognises (DB_PASSWORD and the like); the diff
    // redacts more broadly, as a second line of defence: a value under a certificate-data key gets through synth.
    'app.settings.TLS_CERTIFICATE_DATA': SECRET,
  });
  // The policy run by synth refuses both unless waived (docs/guardrails.md).
  repo.addWaiver('staging', 'NET004', 'Service/photo-view/photo-view');
  repo.addWaiver('staging', 'NET003', 'ConfigMap/photo-view/photo-view-settings-*');
  repo.setEnvironment('prod', { 'app.release.canaryPercent': 30 });
  repo.commit('changes');
  const changes: DiffRun = repo.diff('--base', base, '--format', 'json', '--output-dir', out, '--fail-on', 'replace');
  const report = JSON.parse(changes.stdout || '{}') as DiffReport;

  afterAll(() => {
    repo.remove();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('exits 1 when --fail-on matches, after printing the whole diff', () => {
    expect(changes.stderr).toContain('--fail-on replace matched');
    expect(changes.status).toBe(1);
    expect(report.base.commit).toBe(base);
    expect(report.environments.map((e) => [e.name, e.status])).toEqual([
      ['dev', 'changed'],
      ['prod', 'changed'],
      ['staging', 'changed'],
    ]);
  });

  it('predicts a replacement when the registry location changes', () => {
    const registry = find(report, 'staging', ofType('azurerm_container_registry'));
    expect(registry.action).toBe('replace');
    expect(attribute(registry, 'location')).toMatchObject({ old: 'westeurope', new: 'northeurope', effect: 'replace' });
    expect(attribute(registry, 'location').basis).toContain('azurerm 4.55.0 docs');
    expect(report.risks).toContainEqual(
      expect.objectContaining({ kind: 'stateful-replaced', level: 'high', environment: 'staging', address: registry.address }),
    );
  });

  it('predicts a node-pool rotation when the AKS system pool vm_size changes', () => {
    const cluster = find(report, 'dev', ofType('azurerm_kubernetes_cluster'));
    expect(cluster.action).toBe('rotate');
    expect(attribute(cluster, 'default_node_pool.vm_size')).toMatchObject({ old: 'Standard_D2ds_v5', new: 'Standard_D4ds_v5', effect: 'rotate' });
    expect(cluster.risks).toContainEqual(
      expect.objectContaining({ kind: 'node-pool-rotation', message: expect.stringContaining('temporary pool "systemtmp"') }),
    );
  });

  it('updates the autoscaler max count in place, saying that the docs do not list it', () => {
    const pool = find(report, 'dev', ofType('azurerm_kubernetes_cluster_node_pool'));
    expect(pool.action).toBe('update');
    const maxCount = attribute(pool, 'max_count');
    expect(maxCount).toMatchObject({ old: 3, new: 5, effect: 'in-place' });
    expect(maxCount.basis).toMatch(/not listed .* assumed in place/);
    expect(pool.risks.map((r) => r.kind)).not.toContain('capacity-lowered');
  });

  it('marks Key Vault purge protection as one-way', () => {
    const vault = find(report, 'dev', ofType('azurerm_key_vault'));
    expect(vault.action).toBe('update');
    expect(attribute(vault, 'purge_protection_enabled')).toMatchObject({ old: false, new: true, effect: 'one-way' });
    expect(vault.risks).toContainEqual(expect.objectContaining({ kind: 'one-way', message: expect.stringContaining('cannot be undone') }));
  });

  it('flags a load balancer going from internal to public', () => {
    const service = find(report, 'staging', (c) => c.address === 'Service/photo-view/photo-view');
    expect(service.layer).toBe('kubernetes');
    expect(report.risks).toContainEqual(
      expect.objectContaining({ kind: 'public-exposure', level: 'high', environment: 'staging', address: service.address }),
    );
  });

  it('shows a tag-only change as an update with low risk', () => {
    const workspace = find(report, 'dev', ofType('azurerm_log_analytics_workspace'));
    expect(workspace).toMatchObject({ action: 'update', level: 'low', risks: [] });
    expect(workspace.attributes).toEqual([expect.objectContaining({ path: 'tags.owner', new: 'photo-team', effect: 'in-place' })]);
  });

  it('shows a canary percentage change as Kubernetes updates and the share that goes live', () => {
    // No Azure resource changes; in the apps stack at most how Terraform waits for the objects.
    const terraform = report.changes.filter((c) => c.environment === 'prod' && c.layer === 'terraform');
    expect(terraform.filter((c) => c.stack !== 'apps-prod')).toEqual([]);
    for (const c of terraform) expect(c).toMatchObject({ type: 'kubernetes_manifest', action: 'update', level: 'low' });
    const canary = find(report, 'prod', (c) => c.address === 'Deployment/photo-view/photo-view-canary');
    expect(canary).toMatchObject({ layer: 'kubernetes', action: 'update' });
    expect(attribute(canary, 'spec.replicas')).toMatchObject({ old: 1, new: 3 });
    const traffic = report.risks.find((r) => r.environment === 'prod' && r.kind === 'traffic');
    expect(traffic?.live?.before.map((s) => [s.track, s.percent])).toEqual([
      ['canary', 10],
      ['stable', 90],
    ]);
    expect(traffic?.live?.after.map((s) => [s.track, s.percent])).toEqual([
      ['canary', 30],
      ['stable', 70],
    ]);
    expect(traffic?.message).toMatch(/goes live on canary \(photo-view:[^)]+\) 30 %/);
  });

  it('shows a new content-hashed ConfigMap as one change of its data, with a secret-looking value redacted', () => {
    const configMap = find(report, 'staging', (c) => c.type === 'ConfigMap');
    expect(configMap).toMatchObject({ action: 'update', from: expect.stringMatching(/^ConfigMap\/photo-view\/photo-view-settings-/) });
    expect(attribute(configMap, 'data.TLS_CERTIFICATE_DATA')).toMatchObject({ new: '(sensitive)', redacted: true });
  });

  it('never shows the secret-looking value, in any format', () => {
    const written = ['diff.json', 'diff.md', 'diff.txt'].map((f) => read(out, f));
    expect(written[0]).toContain('TLS_CERTIFICATE_DATA');
    for (const text of [changes.stdout, changes.stderr, ...written]) expect(text).not.toContain(SECRET);
  });

  it('writes Markdown with the risks first, a summary table per environment and folded details', () => {
    const markdown = read(out, 'diff.md');
    const order = [
      '### Offline diff',
      '**Risks**',
      ':red_circle:',
      '**Monthly cost**',
      '| Environment | Status | Terraform | Kubernetes | Risks |',
      '<details><summary><b>dev</b>',
    ];
    const positions = order.map((s) => markdown.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(markdown).toMatch(/\| \*\*staging\*\* \| changed \| [^|]*\d+ replace[^|]* \|/);
    expect(markdown).toContain('| `default_node_pool.vm_size` | `"Standard_D2ds_v5"` | `"Standard_D4ds_v5"` | **rotate** |');
  });

  it('gives each environment its monthly cost before and after, at the snapshot’s prices, in every format', () => {
    for (const env of report.environments) {
      expect(env.cost).toMatchObject({
        before: { min: expect.any(Number), max: expect.any(Number), partial: expect.any(Boolean) },
        after: { min: expect.any(Number), max: expect.any(Number), partial: expect.any(Boolean) },
        currency: 'USD',
        pricesAsOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      });
    }
    // staging moves to northeurope, where the snapshot prices less than in westeurope: named, never 0.
    const staging = report.environments.find((e) => e.name === 'staging')?.cost;
    expect(staging?.unpriced.filter((u) => u.side === 'after').length).toBeGreaterThan(0);
    expect(read(out, 'diff.txt')).toMatch(/^ {2}staging: .* USD\/month → .*; partial: \d+ unpriced, not counted$/m);
  });

  it('trims Markdown to the limit, cutting details first and saying so', () => {
    const trimmed = renderMarkdown(report, 4000);
    expect(trimmed.length).toBeLessThanOrEqual(4000);
    expect(trimmed).toContain('| Environment | Status |');
    expect(trimmed).toContain('details cut to fit the comment');
  });

  it('leaves the checkout alone: no cdktf.out/ or dist/, nothing changed', () => {
    expect(fs.existsSync(path.join(repo.dir, 'cdktf.out'))).toBe(false);
    expect(fs.existsSync(path.join(repo.dir, 'dist'))).toBe(false);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  describe('a construct ID renamed (commit 2 on a second branch, base found by itself), an environment added and one removed (uncommitted)', () => {
    let renamed: DiffRun;
    let moves: DiffReport;
    beforeAll(() => {
      repo.git('checkout', '--quiet', '-b', 'rename', base);
      repo.replaceIn('infra/stacks/platform-stack.ts', "new ContainerRegistry(this, 'Registry',", "new ContainerRegistry(this, 'ImageRegistry',");
      repo.commit('rename');
      // Not committed: the diff compares with the working tree as it is.
      fs.copyFileSync(path.join(repo.dir, 'environments/dev.yaml'), path.join(repo.dir, 'environments/qa.yaml'));
      fs.rmSync(path.join(repo.dir, 'environments/staging.yaml'));
      // prod deployed after staging: now after dev (delivery config only, prod's output stays as it was).
      repo.setEnvironment('prod', { 'deploy.after': ['dev'] });
      renamed = repo.diff('--format', 'json');
      moves = JSON.parse(renamed.stdout || '{}') as DiffReport;
      repo.git('reset', '--quiet', '--hard');
      repo.git('clean', '--quiet', '-fd');
    });

    it('exits 0 when it ran, compares with the merge base with main', () => {
      expect(renamed.stderr).toBe('');
      expect(renamed.status).toBe(0);
      expect(moves.base).toEqual({ ref: 'merge base with main', commit: base });
      expect(moves.head).toEqual({ ref: 'working tree with uncommitted changes', commit: repo.git('rev-parse', 'rename') });
    });

    it('shows an added and a removed environment as such', () => {
      expect(moves.environments.map((e) => [e.name, e.status])).toEqual([
        ['dev', 'changed'],
        ['prod', 'changed'],
        ['qa', 'added'],
        ['staging', 'removed'],
      ]);
      expect(moves.risks[0]).toEqual(
        expect.objectContaining({
          kind: 'environment-removed',
          level: 'high',
          environment: 'staging',
          message: expect.stringMatching(
            /^environment staging is removed: \d+ Terraform resources in apps-staging, platform-staging, \d+ Kubernetes objects destroyed$/,
          ),
        }),
      );
      expect(moves.risks).toContainEqual(expect.objectContaining({ kind: 'environment-added', level: 'medium', environment: 'qa' }));
      // One line per whole environment, not one per resource.
      expect(moves.risks.filter((r) => r.environment === 'qa' || r.environment === 'staging')).toHaveLength(2);
      const actions = (env: string) => [...new Set(moves.changes.filter((c) => c.environment === env).map((c) => `${c.layer} ${c.action}`))].sort();
      expect(actions('qa')).toEqual(['kubernetes create', 'terraform create']);
      expect(actions('staging')).toEqual(['kubernetes delete', 'terraform delete']);
      const cost = (env: string) => moves.environments.find((e) => e.name === env)?.cost;
      expect(cost('qa')).toMatchObject({ before: null, after: { min: expect.any(Number) } });
      expect(cost('staging')).toMatchObject({ before: { min: expect.any(Number) }, after: null });
    });

    it('shows the stateful resource as moved, with the moved block to add', () => {
      for (const env of ['dev', 'prod']) {
        const registry = find(moves, env, ofType('azurerm_container_registry'));
        expect(registry).toMatchObject({ action: 'move', from: expect.stringMatching(/^azurerm_container_registry\.Registry_/), attributes: [] });
        const risk = registry.risks.find((r) => r.kind === 'address-changed');
        expect(risk).toMatchObject({ level: 'high', moved: { from: registry.from, to: registry.address } });
        expect(risk?.message).toContain(`moved { from = ${registry.from}  to = ${registry.address} }`);
      }
      // What points at the registry moves with it and shows no change of its own.
      expect(moves.changes.filter((c) => ['dev', 'prod'].includes(c.environment) && c.action !== 'move')).toEqual([]);
    });
  });

  it('rejects a bad ref with exit code 2, naming it', () => {
    const bad = repo.diff('--base', 'no-such-ref');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--base 'no-such-ref' is not a commit");
  });

  it('rejects an unknown --fail-on value, listing what is allowed', () => {
    const bad = repo.diff('--fail-on', 'explode');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--fail-on 'explode' is not an action, risk, level or cost threshold; allowed: create, update.*, cost:\+N%, cost:\+N/);
  });

  it('exits 3 when the base fails to synth, naming the base', () => {
    repo.git('checkout', '--quiet', '-b', 'broken', base);
    repo.setEnvironment('dev', { 'kubernetes.userPool.minCount': 99 });
    const broken = repo.commit('broken');
    repo.git('checkout', '--quiet', 'changes');
    const failed = repo.diff('--base', broken);
    expect(failed.status).toBe(3);
    expect(failed.stderr).toContain(`synth of the base ${broken} (${broken.slice(0, 7)}) failed`);
    expect(failed.stderr).toContain('kubernetes.userPool.minCount');
    expect(failed.stdout).toBe('');
  });
});
